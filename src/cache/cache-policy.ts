import { type Certificate } from '../domain/certificate';

/** Statuses that are about to change on their own: a free certificate being issued, mostly. */
const TRANSITIONAL = new Set(['applying', 'pending', 'issued', 'issuing']);

export interface CachePolicyOptions {
  /** CACHE_TTL_SECONDS: the longest any entry is fresh. */
  maxTtlMs: number;
  /** Transitional entries (Applying...): short, so an issued certificate shows within seconds. */
  pendingTtlMs: number;
  /** A documented not-found. */
  negativeTtlMs: number;
  /** How much longer than fresh a copy is kept, to serve when the cloud fails (stale-if-error). */
  staleForMs: number;
}

export const DEFAULT_POLICY: Omit<CachePolicyOptions, 'maxTtlMs'> = {
  pendingTtlMs: 5_000,
  negativeTtlMs: 10_000,
  staleForMs: 60 * 60_000,
};

/** How long what the cloud said stays fresh, decided by what it said. */
export class CachePolicy {
  constructor(readonly options: CachePolicyOptions) {}

  certificateTtl(certificate: Certificate, now: number): number {
    if (TRANSITIONAL.has((certificate.status ?? '').toLowerCase())) return Math.min(this.options.pendingTtlMs, this.options.maxTtlMs);
    const untilExpiry = certificate.notAfter ? certificate.notAfter.getTime() - now : Infinity;
    // Never fresh past notAfter: the status the cloud reports changes then.
    return untilExpiry > 0 ? Math.max(1, Math.min(this.options.maxTtlMs, untilExpiry)) : this.options.maxTtlMs;
  }

  listTtl(certificates: readonly Certificate[], now: number): number {
    return certificates.reduce((ttl, certificate) => Math.min(ttl, this.certificateTtl(certificate, now)), this.options.maxTtlMs);
  }

  get defaultTtl(): number {
    return this.options.maxTtlMs;
  }

  get negativeTtl(): number {
    return Math.min(this.options.negativeTtlMs, this.options.maxTtlMs);
  }

  get staleFor(): number {
    return this.options.staleForMs;
  }
}
