import { Kind, type DocumentNode, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';
import { type Access } from '../../domain/access';
import { type GatewayError } from '../../domain/errors/gateway-error';
import { errorAnswer, refusal } from '../errors/error-answer';
import { type DocumentReader } from '../limits/document-reader';
import { limitProblems, measureDocument, type OperationLimits } from '../limits/operation-cost';
import { headerText, type Exchange, type Stage } from './exchange';

/** The `method` of an operation that came as a graphql-ws subscribe message. */
export const WEBSOCKET = 'WEBSOCKET';

/** An operation after the checks: refused with an error (and the status to answer it with), or allowed to run. */
export type CheckedOperation =
  | { refused: GatewayError; status?: number; headers?: ReadonlyArray<readonly [string, string]> }
  | { refused?: undefined; document: DocumentNode; kind?: OperationTypeNode; name?: string };

/** What an operation is checked against: how it came (an HTTP method, or the websocket), the caller's access, the limits. */
export interface CheckOptions {
  reader: DocumentReader;
  limits: OperationLimits;
  /** GET or POST; `WEBSOCKET` for a subscribe message of the graphql-ws protocol. */
  method: string;
  access: Access | undefined;
}

/**
 * Checks every operation of the request before graphql-js validates or runs anything, the cheapest
 * first: its fields' types, the document's tokens and nesting (document-reader.ts), then its measure
 * against the limits, in time linear in its size (operation-cost.ts); then what it is (a mutation over
 * GET is refused 405, a subscription is served over the websocket only) and whether the caller's key
 * may do it. Each operation of a batch is judged on its own: one refused operation gets its error, the
 * rest still run.
 */
export function checkOperations(options: { reader: DocumentReader; limits: OperationLimits; access: (exchange: Exchange) => Access | undefined }): Stage {
  return (exchange: Exchange) => {
    const operations = exchange.operations;
    if (!operations) return undefined;
    const checked = (exchange.checked ??= []);
    const access = options.access(exchange);
    operations.forEach((operation, index) => {
      if (checked[index]) return;
      checked[index] = checkOperation(operation, { ...options, method: exchange.method, access });
    });
    const names = checked.map((entry) => (entry.refused ? undefined : entry.name));
    exchange.operationName = exchange.batched ? 'batch' : (names[0] ?? 'anonymous');
    const only = checked[0];
    if (!exchange.batched && only?.refused) {
      return errorAnswer(only.refused, { accept: headerText(exchange.request.headers.accept), ...(only.status ? { status: only.status } : {}), ...(only.headers ? { headers: only.headers } : {}) });
    }
    return undefined;
  };
}

/** One operation, from an HTTP request or a websocket's subscribe message: refused with its error, or allowed to run. */
export function checkOperation(operation: unknown, options: CheckOptions): CheckedOperation {
  const { method, access } = options;
  const { query, operationName, variables, extensions } = (operation ?? {}) as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') {
    return { refused: refusal('BAD_REQUEST', 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.') };
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return { refused: refusal('BAD_REQUEST', 'operationName must be a string.') };
  }
  for (const [name, value] of [['variables', variables], ['extensions', extensions]] as const) {
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      return { refused: refusal('BAD_REQUEST', `${name} must be a JSON object.`) };
    }
  }
  let document: DocumentNode;
  try {
    document = options.reader.read(query);
  } catch (error) {
    return { refused: error as GatewayError };
  }
  const problems = limitProblems(measureDocument(document, (variables as Record<string, unknown> | null) ?? {}), options.limits);
  if (problems.length) return { refused: refusal('GRAPHQL_VALIDATION_FAILED', `The operation ${problems.join('; ')}.`) };

  const chosen = chooseOperation(document, typeof operationName === 'string' ? operationName : undefined);
  const kind = chosen?.operation;
  const name = chosen?.name?.value;
  if (method === WEBSOCKET) {
    if (kind !== 'subscription') return { refused: refusal('GRAPHQL_VALIDATION_FAILED', 'The websocket carries subscriptions; queries and mutations are sent over HTTP.') };
  } else if (kind === 'subscription') {
    return { refused: refusal('GRAPHQL_VALIDATION_FAILED', 'Subscriptions are served over a websocket on /graphql (the graphql-transport-ws protocol), not over HTTP.') };
  }
  if (kind && kind !== 'query' && method === 'GET') {
    return { refused: refusal('METHOD_NOT_ALLOWED', `A ${kind} is sent with POST; GET carries queries only.`), headers: [['allow', 'POST']] };
  }
  const scope = kind === 'mutation' ? 'certificates:write' : 'certificates:read';
  if (access && !access.can(scope)) return { refused: refusal('FORBIDDEN', `This API key lacks the ${scope} scope.`) };
  return { document, ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
}

/**
 * The operation that will run, as graphql-js picks it; undefined when the request does not say which
 * (Apollo Server then answers the standard error). Without a chosen operation the document's every
 * operation must be allowed for the scope check to pass, so the most demanding one is taken.
 */
function chooseOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operationName !== undefined) return operations.find((operation) => operation.name?.value === operationName);
  if (operations.length === 1) return operations[0];
  return operations.find((operation) => operation.operation !== 'query') ?? operations[0];
}
