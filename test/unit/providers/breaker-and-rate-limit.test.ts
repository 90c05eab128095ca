import { ConfigError, parseConfig } from '../../../src/config';
import { FakeCloud, resilience, settle } from './fake-cloud';

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('the circuit breaker', () => {
  async function openBreaker() {
    const cloud = new FakeCloud([], { fail: 'InternalError' });
    const { policy, events } = resilience({ breaker: { failures: 5, openMs: 10_000 } });
    for (let i = 0; i < 5; i++) await settle(policy.execute('DeleteCertificate', 5_000, cloud.attempt));
    return { cloud, policy, events };
  }

  it('opens after five consecutive retryable failures and then refuses calls without reaching the cloud', async () => {
    const { cloud, policy, events } = await openBreaker();

    const refused = await settle(policy.execute('GetCertificate', 5_000, cloud.attempt));

    expect(refused).toEqual({ error: expect.objectContaining({ code: 'UPSTREAM_UNREACHABLE', category: 'UPSTREAM_UNAVAILABLE', retryable: true }) });
    expect((refused as { error: Error }).error.message).toContain('ESA circuit breaker is open');
    expect(cloud.attempts).toHaveLength(5);
    expect(events.breaker).toEqual([true]);
  });

  it('lets a trial call through after the open period and closes when it succeeds', async () => {
    const { policy, events } = await openBreaker();
    await jest.advanceTimersByTimeAsync(10_000);
    const healthy = new FakeCloud();

    expect(await settle(policy.execute('GetCertificate', 5_000, healthy.attempt))).toEqual({ value: 'answer 1' });
    expect(await settle(policy.execute('GetCertificate', 5_000, healthy.attempt))).toEqual({ value: 'answer 2' });
    expect(events.breaker).toEqual([true, true, false]);
  });

  it('opens again when the trial call fails', async () => {
    const { cloud, policy, events } = await openBreaker();
    await jest.advanceTimersByTimeAsync(10_000);

    expect(await settle(policy.execute('DeleteCertificate', 5_000, cloud.attempt))).toEqual({ error: expect.objectContaining({ code: 'InternalError' }) });
    expect(await settle(policy.execute('DeleteCertificate', 5_000, cloud.attempt))).toEqual({ error: expect.objectContaining({ code: 'UPSTREAM_UNREACHABLE' }) });
    expect(cloud.attempts).toHaveLength(6);
    expect(events.breaker).toEqual([true, true, true]);
  });

  it('counts no documented answer against the breaker', async () => {
    const cloud = new FakeCloud([], { fail: 'Certificate.NotFound' });
    const { policy, events } = resilience();

    for (let i = 0; i < 10; i++) await settle(policy.execute('GetCertificate', 5_000, cloud.attempt));

    expect(cloud.attempts).toHaveLength(10);
    expect(events.breaker).toEqual([]);
  });

  it('stops retrying a read once its failures have opened the breaker, reporting the cloud failure', async () => {
    const cloud = new FakeCloud([], { fail: 'ServiceUnavailable' });
    const { policy } = resilience();

    const first = settle(policy.execute('GetCertificate', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);
    const second = settle(policy.execute('GetCertificate', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);

    expect([await first, await second]).toEqual([
      { error: expect.objectContaining({ code: 'ServiceUnavailable' }) },
      { error: expect.objectContaining({ code: 'ServiceUnavailable' }) },
    ]);
    expect(cloud.attempts).toHaveLength(5);
  });
});

describe('the rate limit', () => {
  it('holds calls beyond the rate until a slot frees, and answers every one', async () => {
    const cloud = new FakeCloud();
    const { policy } = resilience({ ratePerSecond: 5 });

    const calls = Array.from({ length: 15 }, () => settle(policy.execute('GetCertificate', 5_000, cloud.attempt)));
    await jest.advanceTimersByTimeAsync(0);
    const startedAtOnce = cloud.attempts.length;
    await jest.advanceTimersByTimeAsync(2_000);

    expect(startedAtOnce).toBe(5);
    expect((await Promise.all(calls)).every((call) => 'value' in call)).toBe(true);
    expect(cloud.attempts.map((attempt) => attempt.at)).toEqual([0, 0, 0, 0, 0, 200, 400, 600, 800, 1_000, 1_200, 1_400, 1_600, 1_800, 2_000]);
  });

  it('refuses with UPSTREAM_TIMEOUT, without calling the cloud, a call whose slot would come after its deadline', async () => {
    const cloud = new FakeCloud();
    const { policy } = resilience({ ratePerSecond: 1 });

    const first = await settle(policy.execute('GetCertificate', 500, cloud.attempt));
    const second = await settle(policy.execute('GetCertificate', 500, cloud.attempt));

    expect(first).toEqual({ value: 'answer 1' });
    expect(second).toEqual({ error: expect.objectContaining({ code: 'UPSTREAM_TIMEOUT', retryable: true }) });
    expect((second as { error: Error }).error.message).toContain('at most 1 calls/s');
    expect(cloud.attempts).toHaveLength(1);
  });
});

describe('the rate settings', () => {
  it('default to 50 ESA and 20 SLB calls per second', () => {
    expect(parseConfig({})).toMatchObject({ upstreamEsaRatePerSecond: 50, upstreamSlbRatePerSecond: 20 });
  });

  it.each(['UPSTREAM_ESA_RATE_PER_SECOND', 'UPSTREAM_SLB_RATE_PER_SECOND'])('refuses a bad %s with one line naming it', (name) => {
    expect(() => parseConfig({ [name]: 'fast' })).toThrow(new ConfigError(`${name} must be a whole number from 1 to 10000, got "fast".`));
    expect(parseConfig({ [name]: '7' })).toMatchObject({ [name === 'UPSTREAM_ESA_RATE_PER_SECOND' ? 'upstreamEsaRatePerSecond' : 'upstreamSlbRatePerSecond']: 7 });
  });
});
