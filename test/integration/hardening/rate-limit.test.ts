import { SitesDocument } from '../../generated/graphql';
import { onlyError } from '../../helpers/answers';
import { bearer, gatewayError, productionSettings } from '../../helpers/callers';
import { type TestEmulator } from '../../helpers/emulator';
import { type TestGateway } from '../../helpers/gateway';
import { type TestRedis } from '../../helpers/redis';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const BUSY = 'busy-caller-key-0123456789';
const QUIET = 'quiet-caller-key-0123456789';
const PER_MINUTE = 5;

/**
 * The budget is counted per clock minute. A run that began in the last seconds of a minute would see
 * its count restart halfway, so it starts at the top of the next minute instead.
 */
async function awayFromMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('the per-key rate limit, shared by gateway instances through Redis', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let first: TestGateway;
  let second: TestGateway;

  const instances = twoGatewaysOnOneRedis(
    productionSettings(
      [
        { key: BUSY, scopes: ['certificates:read'] },
        { key: QUIET, scopes: ['certificates:read'] },
      ],
      { rateLimitPerMinute: PER_MINUTE },
    ),
    { resetEachTest: false },
  );
  beforeAll(() => ({ redis, emulator, first, second } = instances));

  it('refuses the sixth request of a minute 429 THROTTLED with Retry-After, counting requests to both instances', async () => {
    await awayFromMinuteEnd();
    const instances = [first, second];

    const allowed = [];
    for (let i = 0; i < PER_MINUTE; i++) {
      allowed.push(await (instances[i % 2] as TestGateway).execute(SitesDocument, {}, bearer(BUSY)));
    }
    await emulator.admin('DELETE', 'stats');
    const refused = await fetch(second.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BUSY}` },
      body: JSON.stringify({ query: '{ sites { id } }' }),
    });

    expect(allowed.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const body = (await refused.json()) as { errors: Array<{ extensions: unknown }> };
    expect(body.errors.map((error) => error.extensions)).toEqual([gatewayError('Throttling.User', 'THROTTLED', 429, true)]);
    expect(await emulator.stats()).toEqual({});

    // The first instance refuses too: the count lives in Redis, not in either process.
    const fromFirst = await first.execute(SitesDocument, {}, bearer(BUSY));
    expect(fromFirst.status).toBe(429);
    expect(onlyError(fromFirst).extensions?.code).toBe('Throttling.User');

    // Another key has its own budget.
    const quiet = await first.execute(SitesDocument, {}, bearer(QUIET));
    expect(quiet.status).toBe(200);
    expect(quiet.data?.sites).toHaveLength(4);
  });

  it('keeps the count in Redis under a key that names neither the API key nor its prefix', async () => {
    await awayFromMinuteEnd();
    await first.execute(SitesDocument, {}, bearer(QUIET));

    const keys = await redis.client.keys('cg:v1:{rate:*');

    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain(QUIET);
      expect(key).not.toContain(QUIET.slice(0, 8));
    }
    expect(await redis.client.pttl(keys[0] as string)).toBeGreaterThan(0);
  });
});
