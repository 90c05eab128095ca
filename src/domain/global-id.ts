import { type CertificateKind, type CertificateRef } from './certificate';
import { GatewayError } from './errors/gateway-error';
import { isAccountId } from './validation/account-ids';
import { isRegionId, isSiteId } from './validation/identifiers';

/**
 * Opaque certificate ids: `crt_` + base64url of `account/kind:scope:nativeId`, where scope is the ESA
 * site id or the SLB region. Opaque so callers never build them by hand; versioned by the prefix;
 * decoding is strict (canonical encoding only) so junk is refused instead of half-understood. Ids
 * minted before accounts existed (`kind:scope:nativeId`, no account) name a certificate of the
 * gateway's first account.
 */
const PREFIX = 'crt_';
const KINDS: readonly CertificateKind[] = ['EDGE', 'ORIGIN_CLIENT', 'CLIENT', 'SERVER'];
const NATIVE_ID = /^[\w.*:-]{1,128}$/;
const MAX_ID_LENGTH = 320;

export function encodeCertificateId(ref: CertificateRef): string {
  const scope = ref.provider === 'ESA' ? ref.siteId : ref.regionId;
  return PREFIX + Buffer.from(`${ref.accountId}/${ref.kind}:${scope}:${ref.nativeId}`, 'utf8').toString('base64url');
}

/**
 * The id a certificate of the first account had before ids carried the account: what marks made then
 * (the expiry radar's, claimed once ever) were keyed by, so they are still known after the change.
 */
export function legacyCertificateId(ref: CertificateRef): string {
  const scope = ref.provider === 'ESA' ? ref.siteId : ref.regionId;
  return PREFIX + Buffer.from(`${ref.kind}:${scope}:${ref.nativeId}`, 'utf8').toString('base64url');
}

/**
 * The reference behind an id, or a BAD_USER_INPUT `InvalidParameter` error. `firstAccount` is the
 * account of an id minted without one.
 */
export function decodeCertificateId(id: string, firstAccount: string): CertificateRef {
  const invalid = () => GatewayError.refused('InvalidParameter', 'GATEWAY', 'The certificate id is not one this gateway issued.');
  if (id.length > MAX_ID_LENGTH || !id.startsWith(PREFIX)) throw invalid();
  const encoded = id.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw invalid();
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  if (Buffer.from(decoded, 'utf8').toString('base64url') !== encoded) throw invalid();

  // A native id never holds '/', so one before the first ':' ends the account.
  const slash = decoded.indexOf('/');
  const colon = decoded.indexOf(':');
  const qualified = slash >= 0 && (colon < 0 || slash < colon);
  const accountId = qualified ? decoded.slice(0, slash) : firstAccount;
  const rest = qualified ? decoded.slice(slash + 1) : decoded;
  if (!isAccountId(accountId)) throw invalid();

  const first = rest.indexOf(':');
  const second = rest.indexOf(':', first + 1);
  if (first < 0 || second < 0) throw invalid();
  const kind = rest.slice(0, first) as CertificateKind;
  const scope = rest.slice(first + 1, second);
  const nativeId = rest.slice(second + 1);
  if (!KINDS.includes(kind) || !NATIVE_ID.test(nativeId)) throw invalid();
  if (kind === 'SERVER') {
    if (!isRegionId(scope)) throw invalid();
    return { provider: 'SLB', kind, accountId, regionId: scope, nativeId };
  }
  if (!isSiteId(scope)) throw invalid();
  return { provider: 'ESA', kind, accountId, siteId: scope, nativeId };
}
