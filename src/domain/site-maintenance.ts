import { type Certificate } from './certificate';
import { type CertificateService } from './certificate-service';
import { certificateStatus, type CertificateStatus } from './certificate-status';
import { GatewayError } from './errors/gateway-error';
import { encodeCertificateId } from './global-id';
import { type CertificateQuota, type CloudAccounts } from './ports';

export interface PurgeResult {
  /** What was (or, with dryRun, would be) deleted. */
  certificates: Certificate[];
  /** Every listed certificate was deleted (false with dryRun). */
  deleted: boolean;
  /** The ones that could not be deleted, each with why. */
  errors: Array<{ certificate: Certificate; error: GatewayError }>;
}

/** Dead certificates that still hold a site's quota: expired ones, and with `expiredOnly: false` also failed, canceled or revoked ones. */
const EXPIRED: ReadonlySet<CertificateStatus> = new Set(['EXPIRED']);
const DEAD: ReadonlySet<CertificateStatus> = new Set(['EXPIRED', 'FAILED', 'CANCELED', 'REVOKED']);

/** Deletes run a few at a time: ESA has no batch delete. */
const PURGE_CONCURRENCY = 4;

/**
 * An ESA site's certificate quota (GetCertificateQuota, for each pool) and its cleaning: edge
 * certificates count against the quota until deleted, expired or not, so the ones that can no longer
 * serve are listed and, unless it is a dry run, deleted, freeing their slots.
 */
export class SiteMaintenance {
  constructor(
    private readonly certificates: CertificateService,
    private readonly accounts: CloudAccounts,
    private readonly expiringDays: number,
  ) {}

  async quota(siteId: string, accountId?: string): Promise<CertificateQuota & { accountId: string }> {
    const site = this.certificates.siteKey(siteId, accountId, 'GetCertificateQuota');
    await this.certificates.site(site.siteId, site.accountId);
    const quota = await this.accounts.get(site.accountId).esa.getCertificateQuota(site.siteId);
    return { ...quota, siteId: site.siteId, accountId: site.accountId };
  }

  async purge(siteId: string, options: { expiredOnly: boolean; dryRun: boolean; accountId?: string; now: Date }): Promise<PurgeResult> {
    const site = this.certificates.siteKey(siteId, options.accountId, 'DeleteCertificate');
    // An unknown site answers as certificateQuota does (SiteNotFound), before its lists are read.
    await this.certificates.site(site.siteId, site.accountId);
    const statuses = options.expiredOnly ? EXPIRED : DEAD;
    const listed = await this.certificates.siteCertificates(site);
    const dead = listed.filter((certificate) => certificate.ref.kind === 'EDGE' && statuses.has(certificateStatus(certificate, options.now, this.expiringDays).value));
    if (options.dryRun || dead.length === 0) return { certificates: dead, deleted: false, errors: [] };

    const errors: PurgeResult['errors'] = [];
    let next = 0;
    const worker = async () => {
      while (next < dead.length) {
        const certificate = dead[next++] as Certificate;
        try {
          await this.certificates.deleteCertificate(encodeCertificateId(certificate.ref));
        } catch (error) {
          errors.push({ certificate, error: error instanceof GatewayError ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Internal server error.', { provider: 'GATEWAY' }) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PURGE_CONCURRENCY, dead.length) }, worker));
    return { certificates: dead, deleted: errors.length === 0, errors };
  }
}
