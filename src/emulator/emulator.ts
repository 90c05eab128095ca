import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { handleAdmin } from './admin/admin-routes';
import { CallStats } from './admin/call-stats';
import { FaultInjector } from './admin/fault-injector';
import { Clock } from './clock';
import { IssuingAuthorities } from './pki/issuing-authorities';
import { Authenticator } from './protocol/authenticator';
import { Dispatcher } from './protocol/dispatcher';
import { CommonErrors } from './protocol/emulator-error';
import { errorBody, newRequestId, sendJson } from './protocol/envelope';
import { NonceRegistry } from './protocol/nonce-registry';
import { SessionRegistry } from './protocol/session-registry';
import { type ServiceEnvironment, type ValidationSettings } from './services/action';
import { esaService } from './services/esa';
import { slbService } from './services/slb';
import { createStsService } from './services/sts';
import { AccountDirectory } from './state/account-directory';
import { buildDemoAccount } from './state/demo';
import { StateStore } from './state/state-store';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Access key id -> secret. Each key is its own account. */
  accessKeys?: ReadonlyMap<string, string>;
  /** Keep state in this file across restarts. */
  stateFile?: string;
  validation?: Partial<ValidationSettings>;
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** `http://host:port` */
  url: string;
  /** `host:port`, what the Alibaba clients take as `endpoint`. */
  endpoint: string;
  port: number;
  accessKeys: ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

export const DEFAULT_ACCESS_KEYS: ReadonlyMap<string, string> = new Map([['emulator-key', 'emulator-secret']]);
export const DEFAULT_VALIDATION: ValidationSettings = { mode: 'time', delayMs: 5_000 };

/** Node's default 16 KiB header limit would refuse SLB uploads, which carry PEMs in the URL. */
const MAX_HEADER_BYTES = 80 * 1024;
const SKEW_MS = 15 * 60_000;

/** Starts the emulated ESA + SLB (+ STS) endpoint; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accessKeys = options.accessKeys ?? DEFAULT_ACCESS_KEYS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = new Clock();
  const saved = options.stateFile ? await StateStore.readFile(options.stateFile) : undefined;
  const authorities = new IssuingAuthorities(saved?.authorities);
  const defaultValidation = { ...DEFAULT_VALIDATION, ...options.validation };
  const env: ServiceEnvironment = { clock, authorities, validation: { ...defaultValidation } };

  let demo: Promise<Awaited<ReturnType<typeof buildDemoAccount>>> | undefined;
  const template = () => (demo ??= buildDemoAccount(authorities, clock.now()));
  // STS sessions expire on the emulated clock, as certificates do.
  const sessions = new SessionRegistry(() => clock.nowMs());
  const store = new StateStore(template, () => authorities.snapshot(), options.stateFile, sessions);
  if (saved) store.restore(saved);
  const accounts = new AccountDirectory(accessKeys.keys(), store);
  // Built before listening (about a second of key generation), so no caller's first request pays for it.
  await template();

  const stats = new CallStats();
  const faults = new FaultInjector();
  const authenticator = new Authenticator({ secrets: accessKeys, nonces: new NonceRegistry(2 * SKEW_MS), sessions, skewMs: SKEW_MS });
  const stsService = createStsService({ accounts, sessions, save: () => store.save() });
  const dispatcher = new Dispatcher({ services: [esaService, slbService, stsService], authenticator, store, env, stats, faults, log });
  const [defaultAccessKeyId] = accessKeys.keys();
  const admin = { store, accounts, stats, faults, clock, env, defaultAccessKeyId: defaultAccessKeyId ?? '', defaultValidation };

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt < 0 ? url : url.slice(0, queryAt);
    let work: Promise<void>;
    if (pathname === '/') work = dispatcher.handle(request, response, queryAt < 0 ? '' : url.slice(queryAt + 1));
    else if (pathname.startsWith('/_emulator/')) work = handleAdmin(request, response, pathname, admin);
    else {
      // RPC APIs live on "/" only.
      const requestId = newRequestId();
      sendJson(response, 404, errorBody(CommonErrors.actionNotFound(), requestId, request.headers.host ?? '', 'Unknown'), requestId);
      return;
    }
    work.catch((error: unknown) => log(`unhandled: ${(error as Error).stack ?? String(error)}`));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));

  // `once` rejects on 'error' (a port in use) before 'listening'.
  await once(server.listen(options.port ?? 0, options.host ?? '127.0.0.1'), 'listening');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `${host}:${address.port}`;
  return {
    url: `http://${endpoint}`,
    endpoint,
    port: address.port,
    accessKeys,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.save();
    },
  };
}

/** Even a request Node refuses before routing (oversized URL, bad framing) gets a JSON answer. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    RequestId: newRequestId(),
    Code: tooLarge ? 'InvalidParameter' : 'BadRequest',
    Message: tooLarge ? `The request line and headers exceed ${MAX_HEADER_BYTES} bytes.` : 'The HTTP request is malformed.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `content-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
