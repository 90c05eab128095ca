import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';
import { type NonceRegistry } from './nonce-registry';
import { percentEncode } from './percent-encode';

export type AuthFailure = 'missing' | 'malformed' | 'unknownKey' | 'badSignature' | 'missingTimestamp' | 'expired' | 'nonceUsed';

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

const V3_AUTHORIZATION = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/;

/**
 * Verifies the two schemes `@alicloud/openapi-client` signs with (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
 * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism): ACS3-HMAC-SHA256
 * in the Authorization header (its default) and the v2 RPC HMAC-SHA1 `Signature` query parameter.
 * Order: key, time, signature, nonce; a nonce is only spent by a request whose signature verified.
 */
export class Authenticator {
  constructor(
    private readonly secrets: ReadonlyMap<string, string>,
    private readonly nonces: NonceRegistry,
    private readonly skewMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the caller's access key id, or throws AuthenticationError. */
  authenticate(request: SignedRequest): string {
    const authorization = header(request.headers, 'authorization');
    if (authorization !== undefined) return this.verifyV3(request, authorization);
    if (request.query.has('Signature')) return this.verifyV2(request);
    throw new AuthenticationError('missing', 'The request is not signed.');
  }

  private verifyV3(request: SignedRequest, authorization: string): string {
    const match = V3_AUTHORIZATION.exec(authorization.trim());
    if (!match) throw new AuthenticationError('malformed', 'The Authorization header is not an ACS3-HMAC-SHA256 signature.');
    const [, accessKeyId = '', signedHeaderList = '', signature = ''] = match;
    const secret = this.secretOf(accessKeyId);
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
    return accessKeyId;
  }

  private verifyV2(request: SignedRequest): string {
    const accessKeyId = request.query.get('AccessKeyId');
    if (accessKeyId === undefined) throw new AuthenticationError('missing', 'The AccessKeyId parameter is missing.');
    const secret = this.secretOf(accessKeyId);
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
      throw new AuthenticationError('badSignature', 'The signature does not match.', stringToSign);
    }

    this.spendNonce(accessKeyId, request.query.get('SignatureNonce'));
    return accessKeyId;
  }

  private secretOf(accessKeyId: string): string {
    const secret = this.secrets.get(accessKeyId);
    if (secret === undefined) throw new AuthenticationError('unknownKey', 'The access key is not known.');
    return secret;
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
    if (!this.nonces.claim(accessKeyId, nonce)) throw new AuthenticationError('nonceUsed', 'The signature nonce was used already.');
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? [...value].sort().join(',') : value;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
