/**
 * Where an account's signing credentials come from: its access key, a RAM role assumed through STS,
 * or Alibaba's default credentials chain. Secrets and tokens never leave these objects as text:
 * neither JSON.stringify, util.inspect, String() nor an error message shows them.
 */
import { inspect } from 'node:util';
import Credential from '@alicloud/credentials';
import { GatewayError } from '../domain/errors/gateway-error';
import { type AccountSpec } from './account-settings';

export interface CloudCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface CredentialSource {
  readonly kind: 'access-key' | 'role' | 'chain';
  /** Current credentials; a role's are refreshed before they expire; concurrent callers share one refresh. */
  current(): Promise<CloudCredentials>;
  /** The cloud refused these (expired or invalid token): the next current() gets new ones — once, however many callers report the same credentials. */
  refused(used: CloudCredentials): void;
}

/** The port STS is reached through (src/providers/sts/sts-client.ts). */
export interface RoleAssumer {
  assumeRole(request: { roleArn: string; sessionName: string; durationSeconds: number; externalId?: string }): Promise<{ credentials: CloudCredentials; expiresAt: number }>;
}

/**
 * The codes that say "these temporary credentials are no good any more", after which new ones may
 * succeed: the POP gateway's common InvalidSecurityToken codes (SLB and STS answer with them), and
 * ESA's `Unauthorized.InvalidToken`. ESA's operation pages list no InvalidSecurityToken code: their
 * only refusal of a signed request's credentials is `Unauthorized.InvalidToken` ("Token
 * authentication failed", for example
 * https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate),
 * so an expired STS token reaches ESA callers as that code. It is also ESA's answer to a wrong
 * access key or secret, which new credentials do not mend; that costs at most one refresh per set of
 * credentials, since refused() renews only the credentials still current.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'Unauthorized.InvalidToken',
]);

export function isCredentialRefusal(code: string): boolean {
  return REFUSALS.has(code);
}

/** Credentials whose secret and token are kept out of every printed or serialised form. */
class SealedCredentials implements CloudCredentials {
  readonly #secret: string;
  readonly #token: string | undefined;

  constructor(
    readonly accessKeyId: string,
    secret: string,
    token: string | undefined,
  ) {
    this.#secret = secret;
    this.#token = token;
  }

  get accessKeySecret(): string {
    return this.#secret;
  }

  get securityToken(): string | undefined {
    return this.#token;
  }

  toJSON(): Record<string, string> {
    return { accessKeyId: this.accessKeyId, accessKeySecret: '[hidden]', ...(this.#token !== undefined ? { securityToken: '[hidden]' } : {}) };
  }

  toString(): string {
    return `[credentials ${this.accessKeyId}]`;
  }

  [inspect.custom](): string {
    return `CloudCredentials { accessKeyId: '${this.accessKeyId}', accessKeySecret: [hidden]${this.#token !== undefined ? ', securityToken: [hidden]' : ''} }`;
  }
}

/** A copy of `credentials` that prints and serialises without its secret and token. */
export function sealCredentials(credentials: CloudCredentials): CloudCredentials {
  if (credentials instanceof SealedCredentials) return credentials;
  return new SealedCredentials(credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken);
}

/** The same credentials: a renewed set has a new key id, and a new token. */
function sameCredentials(a: CloudCredentials, b: CloudCredentials): boolean {
  return a.accessKeyId === b.accessKeyId && a.securityToken === b.securityToken;
}

/** An account's own access key: it never changes, so a refusal has nothing to renew. */
export class StaticCredentials implements CredentialSource {
  readonly kind = 'access-key';
  readonly #credentials: CloudCredentials;

  constructor(key: { accessKeyId: string; accessKeySecret: string }) {
    this.#credentials = sealCredentials(key);
  }

  current(): Promise<CloudCredentials> {
    return Promise.resolve(this.#credentials);
  }

  refused(_used: CloudCredentials): void {}

  toJSON(): Record<string, string> {
    return { kind: this.kind, accessKeyId: this.#credentials.accessKeyId };
  }

  [inspect.custom](): string {
    return `StaticCredentials { accessKeyId: '${this.#credentials.accessKeyId}' }`;
  }
}

export interface RoleCredentialsOptions {
  /** The clock expiry is judged by; Date.now by default. */
  now?: () => number;
  /** How long before expiry new credentials are fetched: 5 minutes, but at most a third of their lifetime. */
  refreshBeforeMs?: number;
  /**
   * How long a failed AssumeRole is remembered: meanwhile current() answers with that failure at
   * once (or with credentials still valid), so a refused role is not asked for again on every call.
   */
  failureBackoffMs?: number;
}

/** Credentials held, with the times (on the source's own clock) they are renewed and no longer used. */
interface Held {
  credentials: CloudCredentials;
  refreshAt: number;
  validUntil: number;
  /** The cloud refused them: the next current() renews them. */
  refused: boolean;
}

/**
 * Temporary credentials of a RAM role, from STS AssumeRole, renewed before they expire. One
 * AssumeRole serves every caller that asks while it runs; a failed one answers them all with the
 * same error, and is remembered for `failureBackoffMs` before it is tried again.
 */
export class RoleCredentials implements CredentialSource {
  readonly kind = 'role';
  readonly #sts: RoleAssumer;
  readonly #role: NonNullable<AccountSpec['role']>;
  readonly #now: () => number;
  readonly #refreshBeforeMs: number;
  readonly #failureBackoffMs: number;
  #held: Held | undefined;
  #pending: Promise<CloudCredentials> | undefined;
  #failure: { error: GatewayError; until: number } | undefined;

  constructor(sts: RoleAssumer, role: NonNullable<AccountSpec['role']>, options: RoleCredentialsOptions = {}) {
    this.#sts = sts;
    this.#role = role;
    this.#now = options.now ?? Date.now;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.#failureBackoffMs = options.failureBackoffMs ?? 5_000;
  }

  current(): Promise<CloudCredentials> {
    const now = this.#now();
    const held = this.#held;
    if (held && !held.refused && now < held.refreshAt) return Promise.resolve(held.credentials);
    if (this.#pending) return this.#pending;
    const failure = this.#failure;
    if (failure && now < failure.until) {
      return usable(held, now) ? Promise.resolve(held.credentials) : Promise.reject(failure.error);
    }
    const pending = this.#renew(held).finally(() => {
      this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  refused(used: CloudCredentials): void {
    const held = this.#held;
    if (held && sameCredentials(held.credentials, used)) held.refused = true;
  }

  async #renew(previous: Held | undefined): Promise<CloudCredentials> {
    const { arn, sessionName, durationSeconds, externalId } = this.#role;
    try {
      const answer = await this.#sts.assumeRole({ roleArn: arn, sessionName, durationSeconds, ...(externalId !== undefined ? { externalId } : {}) });
      const now = this.#now();
      // The lifetime is measured on this clock from the answer; STS's Expiration (on the cloud's
      // clock) can only shorten it. A clock behind the cloud's would otherwise keep credentials past
      // their end, and one that claims they are already over would renew them on every call.
      const told = answer.expiresAt - now;
      const lifetime = told > 0 ? Math.min(told, durationSeconds * 1000) : durationSeconds * 1000;
      const lead = Math.min(this.#refreshBeforeMs, lifetime / 3);
      const credentials = sealCredentials(answer.credentials);
      this.#held = { credentials, refreshAt: now + lifetime - lead, validUntil: now + lifetime, refused: false };
      this.#failure = undefined;
      return credentials;
    } catch (error) {
      const failure = asGatewayError(error);
      this.#failure = { error: failure, until: this.#now() + this.#failureBackoffMs };
      // Renewing ahead of time failed, but what is held still works: it serves until it expires.
      if (previous === this.#held && usable(previous, this.#now())) return previous.credentials;
      throw failure;
    }
  }

  toJSON(): Record<string, string> {
    return { kind: this.kind, roleArn: this.#role.arn, sessionName: this.#role.sessionName };
  }

  [inspect.custom](): string {
    return `RoleCredentials { roleArn: '${this.#role.arn}', sessionName: '${this.#role.sessionName}' }`;
  }
}

function usable(held: Held | undefined, now: number): held is Held {
  return held !== undefined && !held.refused && now < held.validUntil;
}

/** What the chain hands out; `@alicloud/credentials`'s `Credential` has this shape. */
export interface CredentialChain {
  getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
}

/**
 * Alibaba's default credentials chain (`@alicloud/credentials` with no configuration): the
 * ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET (and SECURITY_TOKEN) variables, OIDC/RRSA, the profile file,
 * the ECS instance's RAM role, a credentials URI; the library keeps and renews what it finds, and it
 * is asked each time. After a failure, or a refusal of temporary credentials, the chain is built
 * anew: the library otherwise keeps asking only the last provider it tried
 * (https://github.com/aliyun/nodejs-credentials, src/providers/default.ts).
 */
export class ChainCredentials implements CredentialSource {
  readonly kind = 'chain';
  readonly #create: () => CredentialChain;
  #chain: CredentialChain | undefined;
  #pending: Promise<CloudCredentials> | undefined;
  #served: CloudCredentials | undefined;

  constructor(options: { create?: () => CredentialChain } = {}) {
    this.#create = options.create ?? (() => new Credential());
  }

  current(): Promise<CloudCredentials> {
    if (this.#pending) return this.#pending;
    const pending = this.#read().finally(() => {
      this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  refused(used: CloudCredentials): void {
    if (used.securityToken === undefined || !this.#served || !sameCredentials(this.#served, used)) return;
    this.#chain = undefined;
    this.#served = undefined;
  }

  async #read(): Promise<CloudCredentials> {
    let found: Awaited<ReturnType<CredentialChain['getCredential']>> | undefined;
    try {
      this.#chain ??= this.#create();
      found = await this.#chain.getCredential();
    } catch {
      found = undefined;
    }
    if (!found?.accessKeyId || !found.accessKeySecret) {
      this.#chain = undefined;
      // The library's own message is left out: it repeats what each provider answered.
      throw GatewayError.refused(
        'UPSTREAM_UNREACHABLE',
        'GATEWAY',
        "Alibaba Cloud's default credentials chain gave no credentials (environment, OIDC, profile file, ECS RAM role).",
      );
    }
    const credentials = sealCredentials({ accessKeyId: found.accessKeyId, accessKeySecret: found.accessKeySecret, ...(found.securityToken ? { securityToken: found.securityToken } : {}) });
    this.#served = credentials;
    return credentials;
  }

  toJSON(): Record<string, string> {
    return { kind: this.kind };
  }

  [inspect.custom](): string {
    return 'ChainCredentials {}';
  }
}

/** What STS answered, or a masked error: anything else may carry what it was given. */
function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('INTERNAL_SERVER_ERROR', 'Assuming the RAM role failed.', { provider: 'GATEWAY', action: 'AssumeRole' });
}
