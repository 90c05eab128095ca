import { randomBytes, randomInt } from 'node:crypto';
import { sameText } from './same-text';

/** Why temporary credentials were refused; each has its documented gateway code (security-token-errors.ts). */
export type TokenFailure = 'tokenMissing' | 'tokenMalformed' | 'tokenMismatch' | 'tokenExpired';

/** Temporary credentials AssumeRole answered, and what calls signed with them act as. */
export interface StsSession {
  /** `STS.` followed by random letters and digits. */
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** On the emulator's clock, in whole seconds, exactly the `Expiration` AssumeRole answered. */
  expiresAtMs: number;
  /** The configured access key of the role's account: calls signed with the session act there. */
  accountKeyId: string;
  roleArn: string;
  sessionName: string;
}

export interface SessionGrant {
  accountKeyId: string;
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
}

/** Real tokens are long base64 strings starting `CAIS`; anything else cannot be one. */
const TOKEN_PREFIX = 'CAIS';
const WELL_FORMED_TOKEN = /^CAIS[A-Za-z0-9+/]{64,}={0,2}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The STS sessions issued so far, by their `STS.` access key id. A session stays after it expires,
 * so its calls are told `InvalidSecurityToken.Expired` rather than that the key does not exist;
 * beyond `capacity` sessions the oldest are forgotten.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, StsSession>();

  constructor(
    /** The emulator's clock (POST /_emulator/clock moves it), in milliseconds. */
    private readonly now: () => number,
    private readonly capacity = 10_000,
  ) {}

  issue(grant: SessionGrant): StsSession {
    const session: StsSession = {
      accessKeyId: `STS.${alphanumeric(25)}`,
      accessKeySecret: alphanumeric(44),
      securityToken: `${TOKEN_PREFIX}${randomBytes(384).toString('base64')}`,
      expiresAtMs: Math.floor((this.now() + grant.durationSeconds * 1000) / 1000) * 1000,
      accountKeyId: grant.accountKeyId,
      roleArn: grant.roleArn,
      sessionName: grant.sessionName,
    };
    this.add(session);
    return session;
  }

  get(accessKeyId: string): StsSession | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Why a call signed with the session's key and carrying `token` is refused now, or undefined when it is not. */
  check(session: StsSession, token: string | undefined): TokenFailure | undefined {
    if (token === undefined || token === '') return 'tokenMissing';
    if (!isWellFormedToken(token)) return 'tokenMalformed';
    if (!sameText(token, session.securityToken)) return 'tokenMismatch';
    if (this.now() >= session.expiresAtMs) return 'tokenExpired';
    return undefined;
  }

  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }

  /** What the state file keeps, so credentials handed out survive a restart as they would in the cloud. */
  snapshot(): StsSession[] {
    return [...this.sessions.values()];
  }

  load(sessions: readonly StsSession[]): void {
    for (const session of sessions) this.add(session);
  }

  private add(session: StsSession): void {
    this.sessions.set(session.accessKeyId, session);
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.capacity) break;
      this.sessions.delete(oldest);
    }
  }
}

export function isWellFormedToken(token: string): boolean {
  return WELL_FORMED_TOKEN.test(token);
}

function alphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}
