import { GatewayError } from '../../domain/errors/gateway-error';
import { errorAnswer } from '../errors/error-answer';
import { type RateDecision, type RateLimiter } from '../limits/rate-limiter';
import { headerText, type Answer, type Exchange, type Stage } from './exchange';

/** Spends one request of the caller's budget, shared by every instance; a spent budget is answered 429. */
export function rateLimit(limiter: RateLimiter): Stage {
  const decide = (exchange: Exchange, decision: RateDecision): Answer | undefined => {
    if (decision.allowed) return undefined;
    const throttled = new GatewayError('Throttling.User', 'Request was denied due to user flow control: too many requests for this API key.', {
      provider: 'GATEWAY',
      httpStatus: 429,
    });
    return errorAnswer(throttled, { accept: headerText(exchange.request.headers.accept), headers: [['retry-after', String(decision.retryAfterSeconds)]] });
  };
  return (exchange: Exchange) => {
    if (!exchange.caller) return undefined;
    // Most requests are decided from the budget held here, without a promise.
    const checked = limiter.check(exchange.caller.id);
    return checked instanceof Promise ? checked.then((decision) => decide(exchange, decision)) : decide(exchange, checked);
  };
}
