import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type CallStats } from '../admin/call-stats';
import { type FaultInjector } from '../admin/fault-injector';
import { type ActionTable, type Product, type ServiceEnvironment } from '../services/action';
import { type StateStore } from '../state/state-store';
import { AuthenticationError, type Authenticator, type Caller } from './authenticator';
import { CommonErrors, EmulatorError } from './emulator-error';
import { errorBody, newRequestId, sendJson } from './envelope';
import { Params } from './params';
import { decodeRequest, readBody } from './request-reader';

/** One emulated product: its API version, its actions, and how it words authentication failures. */
export interface ProductService {
  product: Product;
  version: string;
  actions: ActionTable;
  authenticationError(error: AuthenticationError): EmulatorError;
}

export interface DispatcherDependencies {
  services: ProductService[];
  authenticator: Authenticator;
  store: StateStore;
  env: ServiceEnvironment;
  stats: CallStats;
  faults: FaultInjector;
  log: (line: string) => void;
}

/**
 * The RPC front door on `/`: decode, find the action, authenticate, apply injected faults, run the
 * handler, answer JSON. Mechanical on purpose; every rule of the cloud lives in the service models.
 */
export class Dispatcher {
  private readonly byVersion: Map<string, ProductService>;

  constructor(private readonly deps: DispatcherDependencies) {
    this.byVersion = new Map(deps.services.map((service) => [service.version, service]));
  }

  async handle(request: IncomingMessage, response: ServerResponse, rawQuery: string): Promise<void> {
    const requestId = newRequestId();
    const host = request.headers.host ?? 'localhost';
    let product: string = 'Unknown';
    try {
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'POST') throw CommonErrors.unsupportedMethod();
      const decoded = decodeRequest(request, rawQuery, await readBody(request));

      const action = header(request, 'x-acs-action') ?? decoded.query.get('Action');
      const version = header(request, 'x-acs-version') ?? decoded.query.get('Version');
      if (!action) throw CommonErrors.missingParameter('Action');
      if (!version) throw CommonErrors.missingParameter('Version');
      const service = this.byVersion.get(version);
      if (!service) throw CommonErrors.invalidVersion();
      product = service.product;
      const definition = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
      if (!definition) throw CommonErrors.actionNotFound();
      this.deps.stats.record(service.product, action);

      let caller: Caller;
      try {
        caller = this.deps.authenticator.authenticate({ method, headers: request.headers, ...decoded });
      } catch (error) {
        if (error instanceof AuthenticationError) throw service.authenticationError(error);
        throw error;
      }
      await this.deps.faults.apply(service.product, action);

      const params = new Params(new Map([...decoded.query, ...decoded.formParams, ...decoded.jsonParams]));
      // Temporary credentials act in the account of the role they assumed.
      const account = await this.deps.store.account(caller.accountKeyId);
      const revision = account.revision;
      const call = { params, account, env: this.deps.env, caller };
      const body = definition.mutates ? await account.lock.run(async () => definition.handle(call)) : await definition.handle(call);
      if (account.revision !== revision) await this.deps.store.save();
      sendJson(response, 200, { RequestId: requestId, ...body }, requestId);
    } catch (error) {
      const known = error instanceof EmulatorError ? error : CommonErrors.internalError();
      if (!(error instanceof EmulatorError)) this.deps.log(`internal error ${requestId}: ${(error as Error)?.stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, known.status, errorBody(known, requestId, host, product), requestId);
    }
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
