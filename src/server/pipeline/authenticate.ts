import { type ApiKeyRing } from '../auth/api-keys';
import { errorAnswer, refusal } from '../errors/error-answer';
import { headerText, type Exchange, type Stage } from './exchange';

/**
 * Settles who is calling before anything else is done for the request, so a refusal costs nothing.
 * The Sandbox page itself (a browser GET without an operation) needs no key.
 */
export function authenticate(keys: ApiKeyRing): Stage {
  return (exchange: Exchange) => {
    const carriesOperation = exchange.method !== 'GET' || /(?:^|&)(?:query|extensions)=/.test(exchange.search);
    if (!carriesOperation) return undefined;
    const caller = keys.identify(headerText(exchange.request.headers.authorization));
    if (caller) {
      exchange.caller = caller;
      return undefined;
    }
    return errorAnswer(refusal('UNAUTHENTICATED', 'A valid API key is required: send Authorization: Bearer <key>.'), {
      accept: headerText(exchange.request.headers.accept),
      headers: [['www-authenticate', 'Bearer']],
    });
  };
}
