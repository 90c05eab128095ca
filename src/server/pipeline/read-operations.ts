import { errorAnswer, refusal } from '../errors/error-answer';
import { headerText, type Exchange, type OperationRequest, type Stage } from './exchange';

const JSON_CONTENT = /^application\/(graphql-response\+)?json\b/i;

/**
 * Reads the operations a request carries: a GET's query parameters, or a JSON body holding one
 * operation or a batch of at most `maxBatch`. A request that carries none (the Sandbox page, a body
 * that is not JSON) is left for Apollo Server to answer: it runs nothing without a JSON operation.
 */
export function readOperations(maxBatch: number): Stage {
  return (exchange: Exchange) => {
    const accept = headerText(exchange.request.headers.accept);
    if (exchange.method === 'GET') {
      const params = new URLSearchParams(exchange.search);
      if (!params.has('query') && !params.has('extensions')) return undefined;
      const operation: OperationRequest = {};
      const query = params.get('query');
      const operationName = params.get('operationName');
      if (query !== null) operation.query = query;
      if (operationName) operation.operationName = operationName;
      for (const name of ['variables', 'extensions'] as const) {
        const text = params.get(name);
        if (text === null || text === '') continue;
        const parsed = parseJson(text);
        if (!isObject(parsed)) return errorAnswer(refusal('BAD_REQUEST', `The ${name} parameter is not a JSON object.`), { accept });
        operation[name] = parsed;
      }
      exchange.operations = [operation];
      return undefined;
    }
    const { body } = exchange;
    if (!body || body.length === 0 || !JSON_CONTENT.test(headerText(exchange.request.headers['content-type']))) return undefined;
    const parsed = parseJson(body.toString('utf8'));
    if (parsed === NOT_JSON) return errorAnswer(refusal('BAD_REQUEST', 'The request body is not valid JSON.'), { accept });
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) return errorAnswer(refusal('BAD_REQUEST', 'A batch holds no operation.'), { accept });
      if (parsed.length > maxBatch) {
        // The request as a whole is refused, not a document in it: 400 whatever the caller accepts.
        return errorAnswer(refusal('GRAPHQL_VALIDATION_FAILED', `A batch may hold at most ${maxBatch} operations; this one holds ${parsed.length}.`), { accept, status: 400 });
      }
      exchange.batched = true;
      exchange.operations = parsed.map(operationOf);
      return undefined;
    }
    if (!isObject(parsed)) return errorAnswer(refusal('BAD_REQUEST', 'The request body must be a JSON object (or an array of them).'), { accept });
    exchange.operations = [operationOf(parsed)];
    return undefined;
  };
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of one operation, as sent; their types are checked with the operation (operations.ts). */
function operationOf(value: unknown): OperationRequest {
  return (isObject(value) ? value : { query: value }) as OperationRequest;
}
