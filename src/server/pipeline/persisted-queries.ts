import { createHash } from 'node:crypto';
import { BREAK, visit, type DocumentNode } from 'graphql';
import { CacheKeys } from '../../cache/cache-keys';
import { holdsPrivateKey } from '../../domain/redaction';
import { type GuardedStore } from '../../cache/guarded-store';
import { refusal } from '../errors/error-answer';
import { type Exchange, type OperationRequest, type Stage } from './exchange';
import { type CheckedOperation } from './operations';

/** How long a registered query is kept after it was last registered. */
const PERSISTED_QUERY_TTL_MS = 7 * 24 * 3600 * 1000;
const SHA256_HEX = /^[0-9a-f]{64}$/;

interface PersistedQuery {
  version?: unknown;
  sha256Hash?: unknown;
}

/**
 * Automatic persisted queries (Apollo's protocol): a client sends only a query's SHA-256; an unknown
 * hash is answered PERSISTED_QUERY_NOT_FOUND and the client sends the query with its hash, which
 * registers it. The texts live in the shared store (Redis), so a hash registered through one
 * instance is served by every other. A query is registered only once it has passed the operation
 * checks (`register` below), so the store never holds a document the limits refuse.
 */
export function persistedQueries(store: GuardedStore): Stage {
  return (exchange: Exchange) => {
    const operations = exchange.operations ?? [];
    const lookups: Array<Promise<void>> = [];
    operations.forEach((operation, index) => {
      const persisted = operation.extensions?.persistedQuery as PersistedQuery | undefined;
      if (persisted === undefined) return;
      const { persistedQuery: _, ...extensions } = operation.extensions ?? {};
      const refuse = (checked: CheckedOperation) => {
        exchange.checked ??= [];
        exchange.checked[index] = checked;
      };
      if (persisted?.version !== 1) return refuse({ refused: refusal('BAD_REQUEST', 'Unsupported persisted query version: only version 1 is.') });
      const hash = typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : '';
      if (!SHA256_HEX.test(hash)) return refuse({ refused: refusal('BAD_REQUEST', 'persistedQuery.sha256Hash must be 64 hexadecimal digits.') });
      const stripped: OperationRequest = { ...operation, extensions };
      exchange.operations![index] = stripped;
      if (typeof operation.query === 'string') {
        if (sha256(operation.query) !== hash) return refuse({ refused: refusal('BAD_REQUEST', 'provided sha does not match query') });
        exchange.register ??= [];
        exchange.register.push(index);
        return;
      }
      lookups.push(
        store.getMany([CacheKeys.persistedQuery(hash)]).then(
          ([text]) => {
            if (text === undefined) refuse({ refused: refusal('PERSISTED_QUERY_NOT_FOUND'), status: 200 });
            else stripped.query = text;
          },
          // Without the store nothing is known: the client sends the query again, as for an unknown hash.
          () => refuse({ refused: refusal('PERSISTED_QUERY_NOT_FOUND'), status: 200 }),
        ),
      );
    });
    return lookups.length ? Promise.all(lookups).then(() => undefined) : undefined;
  };
}

/**
 * Keeps the texts of the operations that asked to be registered and passed the checks; a store failure
 * loses only the registration. A document that holds a private key (a deploy or an upload written
 * inline) runs but is never kept: private keys enter no cache, and its hash alone then finds nothing.
 */
export function registerPersistedQueries(store: GuardedStore, exchange: Exchange): void {
  for (const index of exchange.register ?? []) {
    const checked = exchange.checked?.[index];
    if (checked?.refused) continue;
    const query = exchange.operations?.[index]?.query;
    if (typeof query !== 'string' || holdsPrivateKey(query) || (checked && holdsPrivateKeyValue(checked.document))) continue;
    void store.set(CacheKeys.persistedQuery(sha256(query)), query, PERSISTED_QUERY_TTL_MS).catch(() => undefined);
  }
}

/** Whether a string value of the document holds a private key, read as GraphQL decodes it (an escape hides nothing). */
function holdsPrivateKeyValue(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!holdsPrivateKey(node.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
