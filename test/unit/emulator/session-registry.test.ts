import { isWellFormedToken, SessionRegistry } from '../../../src/emulator/protocol/session-registry';

describe('the STS session registry', () => {
  let now = 0;
  const grant = { accountKeyId: 'owner-key', roleArn: 'acs:ram::1000000000000001:role/reader', sessionName: 'gateway', durationSeconds: 900 };

  beforeEach(() => {
    now = Date.parse('2030-01-01T00:00:00.750Z');
  });

  it('issues STS.-prefixed keys with a well-formed token, expiring on its clock at a whole second', () => {
    const sessions = new SessionRegistry(() => now);
    const session = sessions.issue(grant);
    expect(session.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{25}$/);
    expect(isWellFormedToken(session.securityToken)).toBe(true);
    expect(new Date(session.expiresAtMs).toISOString()).toBe('2030-01-01T00:15:00.000Z');
    expect(sessions.get(session.accessKeyId)).toBe(session);
  });

  it('accepts the right token until the expiry and refuses it from then on', () => {
    const sessions = new SessionRegistry(() => now);
    const session = sessions.issue(grant);
    now = session.expiresAtMs - 1;
    expect(sessions.check(session, session.securityToken)).toBeUndefined();
    now = session.expiresAtMs;
    expect(sessions.check(session, session.securityToken)).toBe('tokenExpired');
  });

  it('tells a missing, a malformed and another session\'s token apart, before expiry', () => {
    const sessions = new SessionRegistry(() => now);
    const session = sessions.issue(grant);
    const other = sessions.issue(grant);
    now = session.expiresAtMs + 1;
    expect(sessions.check(session, undefined)).toBe('tokenMissing');
    expect(sessions.check(session, '')).toBe('tokenMissing');
    expect(sessions.check(session, 'CAIS-short')).toBe('tokenMalformed');
    expect(sessions.check(session, other.securityToken)).toBe('tokenMismatch');
  });

  it('forgets the oldest sessions beyond its capacity, and all of them on clear', () => {
    const sessions = new SessionRegistry(() => now, 2);
    const [first, second, third] = [sessions.issue(grant), sessions.issue(grant), sessions.issue(grant)];
    expect(sessions.get(first.accessKeyId)).toBeUndefined();
    expect(sessions.get(second.accessKeyId)).toBe(second);
    expect(sessions.get(third.accessKeyId)).toBe(third);
    sessions.clear();
    expect(sessions.size).toBe(0);
  });

  it('loads what it snapshotted, so a restart keeps the sessions', () => {
    const sessions = new SessionRegistry(() => now);
    const session = sessions.issue(grant);
    const restarted = new SessionRegistry(() => now);
    restarted.load(structuredClone(sessions.snapshot()));
    expect(restarted.check(restarted.get(session.accessKeyId) ?? session, session.securityToken)).toBeUndefined();
    expect(restarted.get(session.accessKeyId)).toEqual(session);
  });
});
