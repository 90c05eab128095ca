import { generateKeys } from '../../pki/key-pairs';
import { EmulatorError } from '../../protocol/emulator-error';
import { type Account } from '../../state/account';
import { type EdgeCertificateRecord, type SiteRecord } from '../../state/records';
import { type ServiceEnvironment } from '../action';
import { esaCertificateId } from '../ids';
import { storeCertificate } from '../stored-certificate';
import { holdsQuota, requireQuotaRoom } from './certificate-quota.model';
import { belongsToSite, isWildcard, parseDomainList } from './domain-names';
import { isValid, siteCertificates } from './edge-certificates.model';
import { EsaErrors } from './esa-errors';
import { FREE_CERTIFICATE_TYPES, isFreeCertificateType } from './free-certificate-types';

/** ApplyCertificate's parameters, as sent. */
export interface ApplicationRequest {
  type?: string;
  domains?: string;
}

/**
 * Applies for one free certificate per requested domain, in the order of ApplyCertificate's error
 * table. Every check runs before anything is stored, so a refused call leaves the state as it was.
 */
export function applyForCertificates(account: Account, env: ServiceEnvironment, site: SiteRecord, request: ApplicationRequest): EdgeCertificateRecord[] {
  if (site.status !== 'active') throw EsaErrors.siteNotActivated();
  const type = request.type?.trim() ?? 'lets_encrypt';
  if (!isFreeCertificateType(type)) throw EsaErrors.invalidType();
  const profile = FREE_CERTIFICATE_TYPES[type];
  const parsed = parseDomainList(request.domains);
  if ('malformed' in parsed) throw EsaErrors.domainsMalformed(parsed.malformed);
  const { domains } = parsed;
  if (domains.length > profile.maxDomains) throw EsaErrors.domainsTooMany();
  for (const domain of domains) {
    const refusal = profile.refusal(domain);
    if (refusal !== undefined) throw EsaErrors.domainsMalformed(refusal);
    if (!belongsToSite(domain, site.name)) throw EsaErrors.domainsNotOfSite(domain);
    if (site.accessType === 'CNAME' && isWildcard(domain)) throw EsaErrors.wildcardOnCnameSite();
  }
  const now = env.clock.nowMs();
  const held = siteCertificates(account, site.id).filter((record) => holdsQuota(record, 'free'));
  const taken = held.find((record) => domains.includes(record.application?.domain ?? '') && (record.state === 'Applying' || isValid(record, now)));
  if (taken) throw EsaErrors.domainsAlreadyApplied(taken.application?.domain ?? taken.name);
  requireQuotaRoom(account, site, 'free', domains.length);

  const records = domains.map((domain): EdgeCertificateRecord => ({
    id: esaCertificateId(),
    siteId: site.id,
    name: domain,
    type: 'free',
    state: 'Applying',
    region: 'cn-hangzhou',
    application: { type, domain, appliedAt: now, dcv: [profile.challenge(domain)] },
    createdAt: now,
    updatedAt: now,
  }));
  for (const record of records) account.edgeCertificates.set(record.id, record);
  account.touch();
  return records;
}

/**
 * Run by the reads (GetCertificate, ListCertificates): in `immediate` mode every pending application
 * of the site completes, in `time` mode those applied at least `delayMs` ago; `manual` waits for the
 * admin route. Reads are not locked by the dispatcher, so the work is redone under the account lock,
 * which also keeps two concurrent reads from issuing the same certificate twice.
 */
export async function settleDueApplications(account: Account, env: ServiceEnvironment, siteId: string, id?: string): Promise<void> {
  if (dueApplications(account, env, siteId, id).length === 0) return;
  await account.lock.run(async () => {
    for (const record of dueApplications(account, env, siteId, id)) await issue(account, env, record);
  });
}

function dueApplications(account: Account, env: ServiceEnvironment, siteId: string, id: string | undefined): EdgeCertificateRecord[] {
  const { mode, delayMs } = env.validation;
  if (mode === 'manual') return [];
  const now = env.clock.nowMs();
  return pendingApplications(account, siteId, id).filter(
    (record) => mode === 'immediate' || now >= (record.application?.appliedAt ?? Infinity) + delayMs,
  );
}

function pendingApplications(account: Account, siteId: string, id: string | undefined): EdgeCertificateRecord[] {
  return siteCertificates(account, siteId).filter(
    (record) => record.state === 'Applying' && record.application !== undefined && (id === undefined || record.id === id),
  );
}

export interface CompleteValidationsRequest {
  siteId: string;
  /** One certificate; all of the site's pending ones when absent. */
  id?: string;
  /** Validation fails instead: the application ends ApplyFailed. */
  fail?: boolean;
}

/**
 * Completes domain validation of pending free certificates now; returns the ids that changed. The
 * caller holds the account lock. Unknown names are refused so a test with a typo does not pass.
 */
export async function completeValidations(account: Account, env: ServiceEnvironment, request: CompleteValidationsRequest): Promise<string[]> {
  if (!account.sites.has(request.siteId)) throw new EmulatorError('NotFound', 404, `There is no site ${request.siteId} in this account.`);
  if (request.id !== undefined && account.edgeCertificates.get(request.id)?.siteId !== request.siteId) {
    throw new EmulatorError('NotFound', 404, `Site ${request.siteId} has no certificate ${request.id}.`);
  }
  const pending = pendingApplications(account, request.siteId, request.id);
  for (const record of pending) {
    if (request.fail) reject(account, env, record);
    else await issue(account, env, record);
  }
  return pending.map((record) => record.id);
}

/** Signs the certificate the application asked for; the leaf's key is made for it and not kept. */
async function issue(account: Account, env: ServiceEnvironment, record: EdgeCertificateRecord): Promise<void> {
  const application = record.application;
  if (!application) return;
  const profile = FREE_CERTIFICATE_TYPES[application.type];
  const now = env.clock.now();
  const authority = await env.authorities.get(profile.issuer, now);
  const keys = await generateKeys(profile.keyAlgorithm);
  const leaf = await authority.issue({
    subject: { commonName: application.domain },
    dnsNames: profile.dnsNames(application.domain),
    publicKeyDer: keys.publicKeyDer,
    notBefore: now,
    validityDays: profile.validityDays,
    usage: 'server',
  });
  record.certificate = storeCertificate(leaf + authority.chainPem);
  record.state = 'Issued';
  application.dcv = application.dcv.map((dcv) => ({ ...dcv, status: 'verified' }));
  record.updatedAt = now.getTime();
  account.touch();
}

/** GetCertificate reports a failed application in data: ApplyCode / ApplyMessage (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate). */
function reject(account: Account, env: ServiceEnvironment, record: EdgeCertificateRecord): void {
  const application = record.application;
  if (!application) return;
  record.state = 'ApplyFailed';
  application.dcv = application.dcv.map((dcv) => ({ ...dcv, status: 'failed' }));
  application.applyCode = 1;
  application.applyMessage = 'domain validation failed';
  record.updatedAt = env.clock.nowMs();
  account.touch();
}
