import { createHash, createHmac } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';
import { type NonceRegistry } from './nonce-registry';
import { percentEncode } from './percent-encode';
import { sameText } from './same-text';
import { isWellFormedToken, type SessionRegistry, type TokenFailure } from './session-registry';

export type AuthFailure =
  | 'missing'
  | 'malformed'
  | 'unknownKey'
  | 'badSignature'
  | 'missingTimestamp'
  | 'expired'
  | 'nonceUsed'
  | TokenFailure;

export class AuthenticationError extends Error {
  constructor(
    readonly failure: AuthFailure,
    message: string,
    /** The string the emulator signed, shown on a mismatch as the real gateway does. */
    readonly stringToSign?: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** What signature checking needs of a request, already decoded. */
export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  query: ReadonlyMap<string, string>;
  /** Form-encoded body parameters (signed by the v2 scheme). */
  formParams: ReadonlyMap<string, string>;
  rawBody: Buffer;
}

/** Who signed a call, and whose account it acts on. */
export interface Caller {
  /** The access key the call was signed with: a configured key, or the `STS.` key of a session. */
  accessKeyId: string;
  /** The configured access key whose account the call acts on: its own, or the assumed role's owner. */
  accountKeyId: string;
  /** Set when the call was signed with temporary credentials from AssumeRole. */
  session?: { roleArn: string; sessionName: string };
}

export interface AuthenticatorOptions {
  /** Configured access key id -> secret. */
  secrets: ReadonlyMap<string, string>;
  nonces: NonceRegistry;
  /** Temporary credentials issued by AssumeRole; without it only configured keys sign. */
  sessions?: SessionRegistry;
  skewMs?: number;
  /** Real time, which clients sign with; STS expiry follows the emulator's clock inside `sessions`. */
  now?: () => number;
}

/** Where `@alicloud/openapi-client` puts the token of temporary credentials: a header in v3, a query parameter in v2. */
const V3_TOKEN_HEADER = 'x-acs-security-token';
const V2_TOKEN_PARAMETER = 'SecurityToken';

const V3_AUTHORIZATION = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/;

/**
 * Verifies the two schemes `@alicloud/openapi-client` signs with (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
 * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism): ACS3-HMAC-SHA256
 * in the Authorization header (its default) and the v2 RPC HMAC-SHA1 `Signature` query parameter.
 * Temporary credentials sign the same way with their own secret and carry their token (header
 * `x-acs-security-token` in v3, query `SecurityToken` in v2); the call then acts in the role's account.
 * Order: key and token, time, signature, nonce; a nonce is only spent by a request whose signature verified.
 */
export class Authenticator {
  private readonly skewMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.skewMs = options.skewMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Returns who signed the call, or throws AuthenticationError. */
  authenticate(request: SignedRequest): Caller {
    const authorization = header(request.headers, 'authorization');
    if (authorization !== undefined) return this.verifyV3(request, authorization);
    if (request.query.has('Signature')) return this.verifyV2(request);
    throw new AuthenticationError('missing', 'The request is not signed.');
  }

  private verifyV3(request: SignedRequest, authorization: string): Caller {
    const match = V3_AUTHORIZATION.exec(authorization.trim());
    if (!match) throw new AuthenticationError('malformed', 'The Authorization header is not an ACS3-HMAC-SHA256 signature.');
    const [, accessKeyId = '', signedHeaderList = '', signature = ''] = match;
    const { caller, secret } = this.identify(accessKeyId, header(request.headers, V3_TOKEN_HEADER));
    this.checkTime(header(request.headers, 'x-acs-date'));

    const payloadHash = header(request.headers, 'x-acs-content-sha256');
    if (payloadHash === undefined) throw new AuthenticationError('malformed', 'The x-acs-content-sha256 header is missing.');
    if (sha256Hex(request.rawBody) !== payloadHash) {
      throw new AuthenticationError('badSignature', 'The x-acs-content-sha256 header does not match the request body.');
    }
    const signedHeaders = signedHeaderList.split(';');
    for (const required of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
      if (!signedHeaders.includes(required)) throw new AuthenticationError('malformed', `The header ${required} is not signed.`);
    }
    const canonicalQuery = [...request.query.keys()]
      .sort()
      .map((key) => `${key}=${percentEncode(request.query.get(key) ?? '')}`)
      .join('&');
    const canonicalHeaders = signedHeaders.map((name) => `${name}:${header(request.headers, name)?.trim() ?? ''}\n`).join('');
    const canonicalRequest = [request.method, '/', canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
    const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
    const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
    if (!sameText(expected, signature)) throw new AuthenticationError('badSignature', 'The signature does not match.', stringToSign);

    this.spendNonce(accessKeyId, header(request.headers, 'x-acs-signature-nonce'));
    return caller;
  }

  private verifyV2(request: SignedRequest): Caller {
    const accessKeyId = request.query.get('AccessKeyId');
    if (accessKeyId === undefined) throw new AuthenticationError('missing', 'The AccessKeyId parameter is missing.');
    const token = request.query.get(V2_TOKEN_PARAMETER) ?? request.formParams.get(V2_TOKEN_PARAMETER);
    const { caller, secret } = this.identify(accessKeyId, token);
    this.checkTime(request.query.get('Timestamp'));
    if (request.query.get('SignatureMethod') !== 'HMAC-SHA1') {
      throw new AuthenticationError('malformed', 'SignatureMethod must be HMAC-SHA1.');
    }

    const signed = new Map([...request.query, ...request.formParams]);
    signed.delete('Signature');
    const canonical = [...signed.keys()]
      .sort()
      .map((key) => `${percentEncode(key)}=${percentEncode(signed.get(key) ?? '')}`)
      .join('&');
    const stringToSign = `${request.method}&${percentEncode('/')}&${percentEncode(canonical)}`;
    const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
    if (!sameText(expected, request.query.get('Signature') ?? '')) {
      // The gateway shows the string it signed; the token inside it is a credential, so not that part.
      const shown = token ? stringToSign.split(percentEncode(percentEncode(token))).join('***') : stringToSign;
      throw new AuthenticationError('badSignature', 'The signature does not match.', shown);
    }

    this.spendNonce(accessKeyId, request.query.get('SignatureNonce'));
    return caller;
  }

  /** The caller a key stands for and the secret it signs with, once its token (if any) is right for it. */
  private identify(accessKeyId: string, token: string | undefined): { caller: Caller; secret: string } {
    const secret = this.options.secrets.get(accessKeyId);
    if (secret !== undefined) {
      // A configured key has no token; one sent anyway belongs to some other key, or to none.
      if (token !== undefined && token !== '') {
        const failure: TokenFailure = isWellFormedToken(token) ? 'tokenMismatch' : 'tokenMalformed';
        throw new AuthenticationError(failure, 'A security token was sent with a permanent access key.');
      }
      return { caller: { accessKeyId, accountKeyId: accessKeyId }, secret };
    }
    const session = this.options.sessions?.get(accessKeyId);
    if (session === undefined) throw new AuthenticationError('unknownKey', 'The access key is not known.');
    const failure = this.options.sessions?.check(session, token);
    if (failure !== undefined) throw new AuthenticationError(failure, 'The security token does not let this key sign now.');
    return {
      caller: { accessKeyId, accountKeyId: session.accountKeyId, session: { roleArn: session.roleArn, sessionName: session.sessionName } },
      secret: session.accessKeySecret,
    };
  }

  private checkTime(timestamp: string | undefined): void {
    if (timestamp === undefined) throw new AuthenticationError('missingTimestamp', 'The request carries no timestamp.');
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(time) || Math.abs(this.now() - time) > this.skewMs) {
      throw new AuthenticationError('expired', 'The request time is more than 15 minutes away from the server time.');
    }
  }

  private spendNonce(accessKeyId: string, nonce: string | undefined): void {
    if (nonce === undefined || nonce === '') throw new AuthenticationError('malformed', 'The signature nonce is missing.');
    if (!this.options.nonces.claim(accessKeyId, nonce)) throw new AuthenticationError('nonceUsed', 'The signature nonce was used already.');
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? [...value].sort().join(',') : value;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
