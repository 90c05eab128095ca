import { randomBytes, randomInt } from 'node:crypto';

/** ESA certificate ids: 32 lowercase hex digits (`babaded901474b9693acf530e0fb1d95`). */
export function esaCertificateId(): string {
  return randomBytes(16).toString('hex');
}

/** SLB server certificate ids: `<uid>_<hex ms>_<10 digits>_<9 digits>`, as UploadServerCertificate shows them. */
export function slbServerCertificateId(uid: string, nowMs: number): string {
  return `${uid}_${nowMs.toString(16)}_${randomInt(1_000_000_000, 9_999_999_999)}_${randomInt(100_000_000, 999_999_999)}`;
}

/** Opaque tokens for domain validation (base64url, as ACME uses). */
export function token(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
