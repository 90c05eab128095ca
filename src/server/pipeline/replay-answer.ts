import { type AnswerCache } from '../answers/answer-cache';
import { type GatewayMetrics } from '../metrics';
import { SPAN } from '../../telemetry/span-attributes';
import { type Tracing } from '../../telemetry/tracing';
import { headerText, type Exchange, type Stage } from './exchange';

const JSON_CONTENT = /^application\/(graphql-response\+)?json\b/i;

/**
 * A query asked before, by the same caller, in the same bytes: its answer, if still good, as it was
 * (no parsing, validation, execution or serialisation). Otherwise, a POST of one JSON operation is
 * given a recorder, so what it reads decides whether its answer may be kept.
 */
export function replayAnswer(answers: AnswerCache, metrics: GatewayMetrics, tracing?: Tracing): Stage {
  return (exchange: Exchange) => {
    const { body, request } = exchange;
    const contentType = headerText(request.headers['content-type']);
    if (exchange.method !== 'POST' || !body || body.length === 0 || !JSON_CONTENT.test(contentType)) return undefined;
    const key = answers.keyOf(exchange.caller?.id ?? '', contentType, headerText(request.headers.accept), body);
    if (key === undefined) return undefined;
    const kept = answers.lookup(key);
    // Said on the request's span rather than in a span of its own: the lookup is one Map read, and a
    // replayed answer is the cheapest request there is, where a second span would cost the most.
    if (tracing) tracing.active()?.setAttribute(SPAN.answerCache, kept ? 'replayed' : 'miss');
    if (kept) {
      metrics.answerCache('hit');
      exchange.operationName = kept.operationName;
      return kept;
    }
    // Only a JSON object (one operation) is ever kept; a batch starts with '['.
    if (body[0] !== 0x7b) return undefined;
    metrics.answerCache('miss');
    exchange.answerKey = key;
    exchange.recorder = answers.recorder();
    return undefined;
  };
}
