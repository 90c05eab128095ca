import { inspect } from 'node:util';
import {
  ChainCredentials,
  RoleCredentials,
  StaticCredentials,
  isCredentialRefusal,
  sealCredentials,
  type CloudCredentials,
  type CredentialChain,
  type RoleAssumer,
} from '../../../src/accounts/credentials';
import { GatewayError } from '../../../src/domain/errors/gateway-error';

const ROLE = { arn: 'acs:ram::1234567890123456:role/cert-reader', sessionName: 'certificate-gateway', durationSeconds: 3600, externalId: 'abcd-1234' };
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** STS as RoleCredentials sees it: each AssumeRole waits until the test lets it answer. */
class FakeSts implements RoleAssumer {
  readonly requests: Array<Parameters<RoleAssumer['assumeRole']>[0]> = [];
  private readonly waiting: Array<{ resolve: (value: Awaited<ReturnType<RoleAssumer['assumeRole']>>) => void; reject: (error: unknown) => void }> = [];

  constructor(private readonly clock: { now: number }) {}

  assumeRole(request: Parameters<RoleAssumer['assumeRole']>[0]): ReturnType<RoleAssumer['assumeRole']> {
    this.requests.push(request);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Answers every AssumeRole waiting with credentials number `n`, valid for `lifetimeMs` from now. */
  answer(n: number, lifetimeMs = HOUR): void {
    for (const call of this.waiting.splice(0)) call.resolve({ credentials: credentialsNumber(n), expiresAt: this.clock.now + lifetimeMs });
  }

  fail(error: unknown): void {
    for (const call of this.waiting.splice(0)) call.reject(error);
  }
}

function credentialsNumber(n: number): CloudCredentials {
  return { accessKeyId: `STS.key-${n}`, accessKeySecret: `secret-${n}-0123456789`, securityToken: `token-${n}-CAISzQJ1q6Ft5B2yfSjIr5` };
}

/** Lets queued promise callbacks run, so a pending AssumeRole has been asked for. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function roleSource(options: { failureBackoffMs?: number; refreshBeforeMs?: number } = {}) {
  const clock = { now: Date.UTC(2025, 0, 1) };
  const sts = new FakeSts(clock);
  const source = new RoleCredentials(sts, ROLE, { now: () => clock.now, failureBackoffMs: 0, ...options });
  return { clock, sts, source };
}

async function assumedOnce(options: { failureBackoffMs?: number; refreshBeforeMs?: number } = {}) {
  const fixture = roleSource(options);
  const first = fixture.source.current();
  await settle();
  fixture.sts.answer(1);
  await first;
  return fixture;
}

describe('a role account\'s credentials', () => {
  it('assumes the role once for 50 concurrent callers, with the account\'s role settings', async () => {
    const { sts, source } = roleSource();

    const calls = Array.from({ length: 50 }, () => source.current());
    await settle();
    sts.answer(1);
    const answers = await Promise.all(calls);

    expect(sts.requests).toEqual([{ roleArn: ROLE.arn, sessionName: ROLE.sessionName, durationSeconds: 3600, externalId: 'abcd-1234' }]);
    expect(new Set(answers.map((answer) => answer.accessKeyId))).toEqual(new Set(['STS.key-1']));
    expect(answers[0]).toMatchObject({ accessKeySecret: 'secret-1-0123456789', securityToken: 'token-1-CAISzQJ1q6Ft5B2yfSjIr5' });
  });

  it('reuses the credentials until five minutes before they expire, then assumes the role again once for every caller', async () => {
    const { clock, sts, source } = await assumedOnce();

    clock.now += HOUR - 5 * MINUTE - 1;
    await expect(source.current()).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    expect(sts.requests).toHaveLength(1);

    clock.now += 1;
    const calls = Array.from({ length: 10 }, () => source.current());
    await settle();
    sts.answer(2);
    const answers = await Promise.all(calls);

    expect(sts.requests).toHaveLength(2);
    expect(answers.every((answer) => answer.accessKeyId === 'STS.key-2')).toBe(true);
  });

  it('renews short-lived credentials when two thirds of their life has passed', async () => {
    const { clock, sts, source } = roleSource({ refreshBeforeMs: 5 * MINUTE });
    const first = source.current();
    await settle();
    sts.answer(1, 9 * MINUTE);
    await first;

    clock.now += 6 * MINUTE - 1;
    await source.current();
    expect(sts.requests).toHaveLength(1);

    clock.now += 1;
    void source.current();
    await settle();
    expect(sts.requests).toHaveLength(2);
  });

  it('never trusts an expiry later than the duration asked for: a clock behind the cloud\'s would use them past their end', async () => {
    const { clock, sts, source } = roleSource();
    const first = source.current();
    await settle();
    sts.answer(1, 10 * HOUR);
    await first;

    clock.now += HOUR - 5 * MINUTE;
    void source.current();
    await settle();

    expect(sts.requests).toHaveLength(2);
  });

  it('assumes the role exactly once more when 20 concurrent calls report the current credentials refused', async () => {
    const { sts, source } = await assumedOnce();
    const used = await source.current();

    for (let i = 0; i < 20; i += 1) source.refused(used);
    const calls = Array.from({ length: 20 }, () => source.current());
    await settle();
    sts.answer(2);
    const answers = await Promise.all(calls);
    // Late reports about the credentials already replaced change nothing.
    for (let i = 0; i < 20; i += 1) source.refused(used);
    await expect(source.current()).resolves.toMatchObject({ accessKeyId: 'STS.key-2' });

    expect(sts.requests).toHaveLength(2);
    expect(answers.every((answer) => answer.accessKeyId === 'STS.key-2')).toBe(true);
  });

  it('ignores a refusal of credentials it no longer holds', async () => {
    const { sts, source } = await assumedOnce();

    source.refused(credentialsNumber(0));
    source.refused({ accessKeyId: 'STS.key-1', accessKeySecret: 'secret-1-0123456789', securityToken: 'another-token' });

    await expect(source.current()).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    expect(sts.requests).toHaveLength(1);
  });

  it('answers every waiter with the same error when AssumeRole fails, and asks again on the next call', async () => {
    const { sts, source } = roleSource();
    const refusal = new GatewayError('EntityNotExist.Role', 'The role does not exist.', { provider: 'GATEWAY', action: 'AssumeRole', httpStatus: 404 });

    const calls = Array.from({ length: 5 }, () => source.current());
    await settle();
    sts.fail(refusal);
    const outcomes = await Promise.allSettled(calls);

    expect(outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason === refusal)).toBe(true);
    const retry = source.current();
    await settle();
    sts.answer(1);
    await expect(retry).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    expect(sts.requests).toHaveLength(2);
  });

  it('remembers a failure for the back-off, answering with it at once, then tries again', async () => {
    const { clock, sts, source } = roleSource({ failureBackoffMs: 5_000 });
    const refusal = new GatewayError('Throttling.User', 'Request was denied due to user flow control.', { provider: 'GATEWAY', action: 'AssumeRole' });
    const first = source.current();
    await settle();
    sts.fail(refusal);
    await expect(first).rejects.toBe(refusal);

    clock.now += 4_999;
    await expect(source.current()).rejects.toBe(refusal);
    await expect(source.current()).rejects.toBe(refusal);
    expect(sts.requests).toHaveLength(1);

    clock.now += 1;
    const retry = source.current();
    await settle();
    sts.answer(1);
    await expect(retry).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    expect(sts.requests).toHaveLength(2);
  });

  it('keeps serving credentials that are still valid when renewing them ahead of time fails', async () => {
    const { clock, sts, source } = await assumedOnce({ failureBackoffMs: 5_000 });

    clock.now += HOUR - 2 * MINUTE;
    const early = source.current();
    await settle();
    sts.fail(new GatewayError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', { provider: 'GATEWAY' }));
    await expect(early).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    await expect(source.current()).resolves.toMatchObject({ accessKeyId: 'STS.key-1' });
    expect(sts.requests).toHaveLength(2);

    clock.now += 5_000;
    const next = source.current();
    await settle();
    sts.answer(2);
    await expect(next).resolves.toMatchObject({ accessKeyId: 'STS.key-2' });
  });

  it('answers with the failure once held credentials are refused during the back-off', async () => {
    const { clock, sts, source } = await assumedOnce({ failureBackoffMs: 5_000 });
    const failure = new GatewayError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', { provider: 'GATEWAY' });
    clock.now += HOUR - 2 * MINUTE;
    const early = source.current();
    await settle();
    sts.fail(failure);
    const held = await early;

    source.refused(held);

    await expect(source.current()).rejects.toBe(failure);
    expect(sts.requests).toHaveLength(2);
  });

  it('masks an unexpected failure instead of passing its text on', async () => {
    const { sts, source } = roleSource();
    const first = source.current();
    await settle();
    sts.fail(new Error('signature failed for secret-9-0123456789'));

    const error = await first.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', details: { action: 'AssumeRole' } });
    expect((error as Error).message).not.toContain('secret-9');
  });
});

describe('credentials as text', () => {
  const secrets = ['secret-1-0123456789', 'token-1-CAISzQJ1q6Ft5B2yfSjIr5'];
  const shows = (value: unknown) => [JSON.stringify(value), inspect(value), inspect({ nested: { value } }, { depth: 5 }), String(value), `${JSON.stringify([value])}`].join('\n');

  it('never shows a secret or a token: JSON, util.inspect and String show the key id only', async () => {
    const { source } = await assumedOnce();
    const credentials = await source.current();

    const text = shows(credentials);

    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('STS.key-1');
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({ accessKeyId: 'STS.key-1', accessKeySecret: '[hidden]', securityToken: '[hidden]' });
    expect(Object.keys(credentials)).toEqual(['accessKeyId']);
    expect({ ...credentials }).toEqual({ accessKeyId: 'STS.key-1' });
  });

  it('shows no secret or token of the sources that hold them', async () => {
    const { source } = await assumedOnce();
    const key = new StaticCredentials({ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'static-secret-0123456789' });

    const text = [shows(source), shows(key)].join('\n');

    for (const secret of [...secrets, 'static-secret-0123456789']) expect(text).not.toContain(secret);
    expect(text).toContain('cert-reader');
  });

  it('keeps the values themselves readable for signing', () => {
    const sealed = sealCredentials(credentialsNumber(3));

    expect([sealed.accessKeyId, sealed.accessKeySecret, sealed.securityToken]).toEqual(['STS.key-3', 'secret-3-0123456789', 'token-3-CAISzQJ1q6Ft5B2yfSjIr5']);
    expect(sealCredentials(sealed)).toBe(sealed);
  });
});

describe('an access-key account\'s credentials', () => {
  it('are the key itself, without a token, whatever the cloud refused', async () => {
    const source = new StaticCredentials({ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'static-secret-0123456789' });
    const used = await source.current();

    source.refused(used);

    expect(source.kind).toBe('access-key');
    await expect(source.current()).resolves.toBe(used);
    expect(used).toMatchObject({ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'static-secret-0123456789', securityToken: undefined });
  });
});

describe('the default credentials chain', () => {
  /** A chain whose answers the test sets; it counts how often it was built and asked. */
  function fakeChains(answers: Array<Awaited<ReturnType<CredentialChain['getCredential']>> | Error>) {
    const counts = { built: 0, asked: 0 };
    const create = (): CredentialChain => {
      counts.built += 1;
      return {
        getCredential: async () => {
          const answer = answers[Math.min(counts.asked, answers.length - 1)];
          counts.asked += 1;
          if (answer instanceof Error) throw answer;
          return answer ?? {};
        },
      };
    };
    return { counts, source: new ChainCredentials({ create }) };
  }

  it('asks the chain each time, sharing one question among concurrent callers', async () => {
    const { counts, source } = fakeChains([{ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'env-secret-0123456789' }]);

    const answers = await Promise.all([source.current(), source.current(), source.current()]);
    await source.current();

    expect(source.kind).toBe('chain');
    expect(counts).toEqual({ built: 1, asked: 2 });
    expect(answers[0]).toMatchObject({ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'env-secret-0123456789', securityToken: undefined });
    expect(JSON.stringify(answers[0])).not.toContain('env-secret');
  });

  it('fails with a retryable error that repeats nothing the chain said, and builds the chain anew next time', async () => {
    const { counts, source } = fakeChains([new Error('refresh session token failed: env-secret-0123456789'), { accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'env-secret-0123456789' }]);

    const error = await source.current().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', retryable: true });
    expect((error as Error).message).not.toContain('env-secret');

    await expect(source.current()).resolves.toMatchObject({ accessKeyId: 'LTAI5tKeyId0001' });
    expect(counts.built).toBe(2);
  });

  it('refuses an answer without a key', async () => {
    const { source } = fakeChains([{ accessKeyId: 'LTAI5tKeyId0001' }]);

    await expect(source.current()).rejects.toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });
  });

  it('builds the chain anew once when its temporary credentials are refused, not for a plain key', async () => {
    const temporary = fakeChains([{ accessKeyId: 'STS.key-1', accessKeySecret: 'ecs-secret-0123456789', securityToken: 'ecs-token' }]);
    const used = await temporary.source.current();
    temporary.source.refused(used);
    temporary.source.refused(used);
    await temporary.source.current();
    expect(temporary.counts.built).toBe(2);

    const plain = fakeChains([{ accessKeyId: 'LTAI5tKeyId0001', accessKeySecret: 'env-secret-0123456789' }]);
    plain.source.refused(await plain.source.current());
    await plain.source.current();
    expect(plain.counts.built).toBe(1);
  });
});

describe('the codes that mean temporary credentials are no good any more', () => {
  it.each(['InvalidSecurityToken.Expired', 'InvalidSecurityToken.Malformed', 'InvalidSecurityToken.MismatchWithAccessKey', 'Unauthorized.InvalidToken'])('include %s', (code) => {
    expect(isCredentialRefusal(code)).toBe(true);
  });

  it.each(['SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'Forbidden.RAM', 'Unauthorized.InvalidTime', 'Throttling.User', ''])('leave out %s', (code) => {
    expect(isCredentialRefusal(code)).toBe(false);
  });
});
