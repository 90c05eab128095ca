import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Clock } from '../clock';
import { EmulatorError } from '../protocol/emulator-error';
import { sendJson } from '../protocol/envelope';
import { readBody } from '../protocol/request-reader';
import { type ServiceEnvironment, type ValidationMode } from '../services/action';
import { completeValidations } from '../services/esa/free-certificates.model';
import { type AccountDirectory } from '../state/account-directory';
import { type StateStore } from '../state/state-store';
import { type CallStats } from './call-stats';
import { type FaultInjector } from './fault-injector';
import { seedAccount } from './seed';

export interface AdminDependencies {
  store: StateStore;
  /** The configured access keys, each its own account. */
  accounts: AccountDirectory;
  stats: CallStats;
  faults: FaultInjector;
  clock: Clock;
  env: ServiceEnvironment;
  defaultAccessKeyId: string;
  defaultValidation: ServiceEnvironment['validation'];
}

type Route = (body: Record<string, unknown>, deps: AdminDependencies) => Promise<[number, unknown]> | [number, unknown];

const VALIDATION_MODES: ValidationMode[] = ['immediate', 'manual', 'time'];

/** `/_emulator/*`: JSON control of the emulated cloud for tests, demos and humans. */
const ROUTES: Record<string, Route> = {
  'GET /_emulator/health': () => [200, { status: 'ok' }],

  'POST /_emulator/reset': async (_body, deps) => {
    await deps.store.reset();
    deps.stats.reset();
    deps.faults.clear();
    deps.clock.reset();
    Object.assign(deps.env.validation, deps.defaultValidation);
    return [200, { reset: true }];
  },

  'GET /_emulator/accounts': (_body, deps) => [200, deps.accounts.list()],

  'POST /_emulator/seed': async (body, deps) => {
    const account = await deps.store.account(accessKeyOf(body, deps));
    const seeded = await account.lock.run(() => seedAccount(account, body, deps.env, (key) => deps.accounts.has(key)));
    await deps.store.save();
    return [200, seeded];
  },

  'GET /_emulator/stats': (_body, deps) => [200, deps.stats.snapshot()],
  'DELETE /_emulator/stats': (_body, deps) => {
    deps.stats.reset();
    return [200, deps.stats.snapshot()];
  },

  'GET /_emulator/faults': (_body, deps) => [200, { faults: deps.faults.list() }],
  'POST /_emulator/faults': (body, deps) => {
    const fault = deps.faults.add(body);
    if (typeof fault === 'string') throw badRequest(fault);
    return [201, fault];
  },
  'DELETE /_emulator/faults': (_body, deps) => {
    deps.faults.clear();
    return [200, { faults: [] }];
  },

  'GET /_emulator/validations/mode': (_body, deps) => [200, deps.env.validation],
  'POST /_emulator/validations/mode': (body, deps) => {
    if (!VALIDATION_MODES.includes(body.mode as ValidationMode)) throw badRequest(`mode is one of ${VALIDATION_MODES.join(', ')}.`);
    if (body.delayMs !== undefined && !(typeof body.delayMs === 'number' && body.delayMs >= 0)) throw badRequest('delayMs is a number >= 0.');
    deps.env.validation.mode = body.mode as ValidationMode;
    if (typeof body.delayMs === 'number') deps.env.validation.delayMs = body.delayMs;
    return [200, deps.env.validation];
  },
  'POST /_emulator/validations/complete': async (body, deps) => {
    const siteId = typeof body.siteId === 'number' || typeof body.siteId === 'string' ? String(body.siteId) : undefined;
    if (siteId === undefined) throw badRequest('siteId is required.');
    if (body.id !== undefined && typeof body.id !== 'string') throw badRequest('id is a string.');
    if (body.outcome !== undefined && body.outcome !== 'issued' && body.outcome !== 'failed') throw badRequest('outcome is issued or failed.');
    const account = await deps.store.account(accessKeyOf(body, deps));
    const completed = await account.lock.run(() =>
      completeValidations(account, deps.env, { siteId, id: body.id as string | undefined, fail: body.outcome === 'failed' }),
    );
    await deps.store.save();
    return [200, { completed }];
  },

  'GET /_emulator/clock': (_body, deps) => [200, clockBody(deps.clock)],
  'POST /_emulator/clock': (body, deps) => {
    if (typeof body.advanceSeconds !== 'number' || !Number.isFinite(body.advanceSeconds)) throw badRequest('advanceSeconds is a number.');
    deps.clock.advance(body.advanceSeconds * 1000);
    return [200, clockBody(deps.clock)];
  },
};

export async function handleAdmin(request: IncomingMessage, response: ServerResponse, pathname: string, deps: AdminDependencies): Promise<void> {
  const route = ROUTES[`${request.method ?? 'GET'} ${pathname.replace(/\/$/, '')}`];
  try {
    if (!route) throw new EmulatorError('NotFound', 404, `No admin route ${request.method} ${pathname}. Routes: ${Object.keys(ROUTES).join(', ')}`);
    const raw = await readBody(request);
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw badRequest('The body is not JSON.');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body is a JSON object.');
    }
    const [status, result] = await route(body, deps);
    sendJson(response, status, result);
  } catch (error) {
    const known = error instanceof EmulatorError ? error : new EmulatorError('InternalError', 500, (error as Error).message);
    sendJson(response, known.status, { Code: known.code, Message: known.message });
  }
}

/** The account a route acts on: the default key's, or the configured key `accessKeyId` names. */
function accessKeyOf(body: Record<string, unknown>, deps: AdminDependencies): string {
  if (body.accessKeyId === undefined) return deps.defaultAccessKeyId;
  if (typeof body.accessKeyId !== 'string' || !deps.accounts.has(body.accessKeyId)) {
    throw badRequest('accessKeyId is not an access key of the emulator (GET /_emulator/accounts lists them).');
  }
  return body.accessKeyId;
}

function badRequest(message: string): EmulatorError {
  return new EmulatorError('InvalidParameter', 400, message);
}

function clockBody(clock: Clock): Record<string, unknown> {
  return { now: clock.now().toISOString(), offsetMs: clock.offset };
}
