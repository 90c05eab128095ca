import { type GatewayConfig } from '../../src/config';
import { startTestEmulator, type TestEmulator } from './emulator';
import { startTestGateway, type TestGateway } from './gateway';
import { eventually, hearsInvalidations } from './memory-caches';
import { startTestRedis, type TestRedis } from './redis';

export interface TwoGateways {
  readonly redis: TestRedis;
  readonly emulator: TestEmulator;
  readonly first: TestGateway;
  readonly second: TestGateway;
}

/**
 * Two gateway instances on one real Redis and one emulator, for the test file, both hearing
 * invalidations before the first test. Unless `resetEachTest` is false, every test starts from a
 * reset emulator, nothing cached, in Redis or in either instance's memory, an inventory swept from
 * the reset emulator, and the emulator's call counts at zero after that sweep. Call inside a `describe`.
 */
export function twoGatewaysOnOneRedis(overrides: Partial<GatewayConfig> = {}, { resetEachTest = true } = {}): TwoGateways {
  const current = {} as { -readonly [K in keyof TwoGateways]: TwoGateways[K] };
  beforeAll(async () => {
    current.redis = await startTestRedis();
    current.emulator = await startTestEmulator();
    current.first = await startTestGateway(current.emulator, { ...overrides, redisUrl: current.redis.url });
    current.second = await startTestGateway(current.emulator, { ...overrides, redisUrl: current.redis.url });
    for (const gateway of [current.first, current.second]) await eventually(() => hearsInvalidations(gateway), 'the gateway hears invalidations');
  });
  if (resetEachTest) {
    beforeEach(async () => {
      await current.emulator.reset();
      await current.redis.forgetGatewayCache();
      const since = Date.now();
      await current.first.sweepNow();
      await Promise.all([current.first, current.second].map((gateway) => gateway.inventory.swept(since)));
      await current.emulator.admin('DELETE', 'stats');
    });
  }
  afterAll(async () => {
    await current.first?.stop();
    await current.second?.stop();
    await current.emulator?.stop();
    await current.redis?.stop();
  });
  return current;
}
