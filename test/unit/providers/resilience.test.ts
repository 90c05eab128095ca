import { FakeCloud, resilience, settle } from './fake-cloud';

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('retries', () => {
  it('retries a read twice on ServiceUnavailable and answers with the third attempt', async () => {
    const cloud = new FakeCloud([{ fail: 'ServiceUnavailable' }, { fail: 'ServiceUnavailable' }]);
    const { policy, events } = resilience();

    const call = settle(policy.execute('GetCertificate', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);

    expect(await call).toEqual({ value: 'answer 3' });
    expect(cloud.attempts).toHaveLength(3);
    expect(events.retried).toEqual(['GetCertificate', 'GetCertificate']);
  });

  it('gives up after two retries and reports the last failure of a read', async () => {
    const cloud = new FakeCloud([], { fail: 'Throttling.User' });
    const { policy } = resilience();

    const call = settle(policy.execute('DescribeServerCertificates', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);

    expect(await call).toEqual({ error: expect.objectContaining({ code: 'Throttling.User', category: 'THROTTLED', retryable: true }) });
    expect(cloud.attempts).toHaveLength(3);
  });

  it.each(['ApplyCertificate', 'SetCertificate', 'CreateClientCertificate', 'UploadServerCertificate', 'RevokeClientCertificate', 'ActivateClientCertificate', 'DeleteCertificate', 'SetServerCertificateName'])(
    'never repeats the mutation %s, even on a retryable failure',
    async (action) => {
      const cloud = new FakeCloud([{ fail: 'ServiceUnavailable' }]);
      const { policy, events } = resilience();

      const call = settle(policy.execute(action, 5_000, cloud.attempt));
      await jest.advanceTimersByTimeAsync(1_000);

      expect(await call).toEqual({ error: expect.objectContaining({ code: 'ServiceUnavailable', retryable: true }) });
      expect(cloud.attempts).toHaveLength(1);
      expect(events.retried).toEqual([]);
    },
  );

  it('never repeats a documented answer such as Certificate.NotFound', async () => {
    const cloud = new FakeCloud([{ fail: 'Certificate.NotFound' }]);
    const { policy } = resilience();

    const call = settle(policy.execute('GetCertificate', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);

    expect(await call).toEqual({ error: expect.objectContaining({ code: 'Certificate.NotFound', category: 'NOT_FOUND' }) });
    expect(cloud.attempts).toHaveLength(1);
  });

  it('waits a full-jitter backoff below 100 ms, then below 200 ms, between read attempts', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const cloud = new FakeCloud([], { fail: 'InternalError' });
    const { policy } = resilience();

    const call = settle(policy.execute('ListCertificates', 5_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);
    await call;

    expect(cloud.attempts.map((attempt) => attempt.at)).toEqual([0, 99, 99 + 199]);
  });
});

describe('the deadline', () => {
  it('gives each attempt the time left of the whole call as its timeout', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const cloud = new FakeCloud([{ ms: 300, fail: 'ServiceUnavailable' }, { ms: 200, fail: 'ServiceUnavailable' }]);
    const { policy } = resilience();

    const call = settle(policy.execute('GetSite', 2_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(2_000);

    expect(await call).toEqual({ value: 'answer 3' });
    expect(cloud.attempts).toEqual([
      { at: 0, timeoutMs: 2_000 },
      { at: 350, timeoutMs: 1_650 },
      { at: 650, timeoutMs: 1_350 },
    ]);
  });

  it('starts no retry when a backoff and a useful attempt no longer fit, and reports the real failure', async () => {
    const cloud = new FakeCloud([{ ms: 800, fail: 'ServiceUnavailable' }]);
    const { policy } = resilience();

    const call = settle(policy.execute('GetCertificate', 1_000, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_000);

    expect(await call).toEqual({ error: expect.objectContaining({ code: 'ServiceUnavailable' }) });
    expect(cloud.attempts).toHaveLength(1);
  });

  it('answers UPSTREAM_TIMEOUT at the deadline when the cloud never answers', async () => {
    const cloud = new FakeCloud(['hang']);
    const { policy } = resilience();

    const call = settle(policy.execute('GetCertificate', 1_500, cloud.attempt));
    await jest.advanceTimersByTimeAsync(1_499);
    const early = await Promise.race([call, Promise.resolve('still waiting')]);
    await jest.advanceTimersByTimeAsync(1);

    expect(early).toBe('still waiting');
    expect(await call).toEqual({
      error: expect.objectContaining({ code: 'UPSTREAM_TIMEOUT', category: 'UPSTREAM_UNAVAILABLE', retryable: true, details: { provider: 'ESA', action: 'GetCertificate' } }),
    });
    expect(cloud.attempts).toHaveLength(1);
  });
});

