import { CertificateAuthority, type DistinguishedName } from '../../pki/certificate-authority';
import { type Account, type ClientAuthority } from '../../state/account';
import { esaCertificateId } from '../ids';

/** The issuer CreateClientCertificate's documentation shows (`"Issuer": "DCDN CA"`). */
const CLIENT_CA_NAME: DistinguishedName = { commonName: 'ESA Client CA', organization: 'DCDN CA' };

/**
 * Twenty years: a client certificate may be valid for up to 3650 days, so every certificate issued
 * in the CA's first ten years ends before the CA does.
 */
const CLIENT_CA_VALIDITY_DAYS = 7300;

/** Signing objects keyed by the stored record, so the CA's key is imported once, not on every call. */
const signers = new WeakMap<ClientAuthority, CertificateAuthority>();

export interface ResolvedClientAuthority {
  /** The caller stores it on the account together with what it issues (the same record when it was there). */
  authority: ClientAuthority;
  signer: CertificateAuthority;
}

/** A new ESA client CA (RSA 2048), valid from `notBefore`: the demo account's, or an account's first. */
export function createClientAuthority(notBefore: Date): Promise<CertificateAuthority> {
  return CertificateAuthority.create({ name: CLIENT_CA_NAME, keyAlgorithm: 'RSA', notBefore, validityDays: CLIENT_CA_VALIDITY_DAYS });
}

/**
 * The account's ESA-managed client CA, or a new one (RSA 2048) when the account has none yet. Nothing
 * is stored here: CreateClientCertificate keeps the CA only once a certificate has been issued by it,
 * so a failed call leaves the account as it was. Callers run inside a `write()` action, which the
 * dispatcher serialises per account; two first uses therefore cannot both see "no CA" and make two.
 */
export async function resolveClientAuthority(account: Account, now: Date): Promise<ResolvedClientAuthority> {
  const existing = account.clientAuthority;
  if (existing) return { authority: existing, signer: signerOf(existing) };
  const signer = await createClientAuthority(now);
  const authority: ClientAuthority = { id: esaCertificateId(), authority: signer.record };
  signers.set(authority, signer);
  return { authority, signer };
}

function signerOf(authority: ClientAuthority): CertificateAuthority {
  let signer = signers.get(authority);
  if (!signer) {
    signer = new CertificateAuthority(authority.authority);
    signers.set(authority, signer);
  }
  return signer;
}
