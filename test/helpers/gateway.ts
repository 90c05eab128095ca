import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/app';
import { parseConfig, type GatewayConfig } from '../../src/config';
import { type RunningEmulator } from '../../src/emulator/emulator';
import { startTestEmulator, type TestEmulator } from './emulator';

export interface GraphQLAnswer<T> {
  status: number;
  data?: T | null;
  errors?: Array<GraphQLFormattedError & { extensions?: Record<string, unknown> }>;
  /** The raw body, for checks that nothing leaks. */
  text: string;
}

export interface TestGateway extends RunningGateway {
  execute<T, V>(document: TypedDocumentNode<T, V>, variables?: V, options?: { method?: 'GET' | 'POST'; headers?: Record<string, string> }): Promise<GraphQLAnswer<T>>;
}

/**
 * The gateway as production runs it (cloud mode), its upstream being the test's emulator.
 * `gatewayOptions` reach startGateway as they are (a logger writing to the test's stream, for one).
 */
export async function startTestGateway(
  emulator: RunningEmulator,
  overrides: Partial<GatewayConfig> = {},
  gatewayOptions: GatewayOptions = {},
): Promise<TestGateway> {
  const [accessKeyId, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
  const config: GatewayConfig = {
    ...parseConfig({}),
    mode: 'cloud',
    credentials: { accessKeyId, accessKeySecret },
    esaEndpoint: emulator.endpoint,
    slbEndpoint: emulator.endpoint,
    protocol: 'http',
    port: 0,
    logLevel: 'silent',
    ...overrides,
  };
  const started = Date.now();
  const gateway = await startGateway(config, gatewayOptions);
  // The first sweep runs at start: tests begin once it has filled the inventory (or had its chance),
  // so the calls it makes are not counted as theirs.
  await Promise.race([gateway.inventory.swept(started - 60_000), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  return {
    ...gateway,
    async execute(document, variables, options = {}) {
      const query = print(document);
      const method = options.method ?? 'POST';
      const headers = { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...options.headers };
      const response =
        method === 'POST'
          ? await fetch(gateway.graphqlUrl, { method, headers, body: JSON.stringify({ query, variables }) })
          : await fetch(`${gateway.graphqlUrl}?${new URLSearchParams({ query, variables: JSON.stringify(variables ?? {}) })}`, { headers });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: never; errors?: never };
      return { status: response.status, text, ...body };
    },
  };
}

export interface PerTestGateway {
  readonly emulator: TestEmulator;
  readonly gateway: TestGateway;
}

/**
 * One emulator for the test file and, for every test, the emulator reset and a new gateway: its
 * cache starts empty, so nothing read before the reset is served. Call inside a `describe`.
 */
export function freshGatewayPerTest(overrides: Partial<GatewayConfig> = {}): PerTestGateway {
  const cloud = gatewaysPerTest();
  const current = {
    get emulator() {
      return cloud.emulator;
    },
    gateway: undefined as unknown as TestGateway,
  };
  beforeEach(async () => {
    current.gateway = await cloud.gatewayWith(overrides);
  });
  return current;
}

export interface GatewaysPerTest {
  readonly emulator: TestEmulator;
  /** A gateway on the file's emulator with these settings, stopped when the test ends. */
  gatewayWith(overrides?: Partial<GatewayConfig>): Promise<TestGateway>;
}

/**
 * One emulator for the test file, reset before every test, and gateways each test starts with the
 * settings it needs, all stopped after it. The emulator's call counts begin once a gateway is up:
 * the lists its first sweep reads are its start, not the test's calls. Call inside a `describe`.
 */
export function gatewaysPerTest(): GatewaysPerTest {
  const started: TestGateway[] = [];
  const current = {
    emulator: undefined as unknown as TestEmulator,
    gatewayWith: async (overrides: Partial<GatewayConfig> = {}) => {
      const gateway = await startTestGateway(current.emulator, overrides);
      started.push(gateway);
      await current.emulator.admin('DELETE', 'stats');
      return gateway;
    },
  };
  beforeAll(async () => {
    current.emulator = await startTestEmulator();
  });
  afterAll(() => current.emulator.stop());
  beforeEach(() => current.emulator.reset());
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
  });
  return current;
}

export interface GatewayForFile {
  readonly emulator: TestEmulator;
  readonly gateway: TestGateway;
}

/** One emulator and one gateway on it for the whole test file, started before its tests and stopped after. Call inside a `describe`. */
export function gatewayForFile(overrides: Partial<GatewayConfig> = {}): GatewayForFile {
  const current = {} as { -readonly [K in keyof GatewayForFile]: GatewayForFile[K] };
  beforeAll(async () => {
    current.emulator = await startTestEmulator();
    current.gateway = await startTestGateway(current.emulator, overrides);
  });
  afterAll(async () => {
    await current.gateway?.stop();
    await current.emulator?.stop();
  });
  return current;
}
