import { generateKeys } from '../pki/key-pairs';
import { PemError } from '../pki/pem';
import { DAY_MS } from '../pki/time-format';
import { EmulatorError } from '../protocol/emulator-error';
import { type ServiceEnvironment } from '../services/action';
import { PLAN_PRESETS, type PlanPreset } from '../services/plans';
import { storeCertificate } from '../services/stored-certificate';
import { type Account } from '../state/account';
import { type CasCertificateRecord, type SiteRecord } from '../state/records';
import { roleArn, roleKey } from '../state/role-record';
import { estateOptionsOf } from './estate-options';
import { generateEstate, type Estate } from './generate-estate';
import { rolesOf } from './seed-roles';
import { siteRecord } from './site-record';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * `POST /_emulator/seed`: adds sites, SLB regions, CAS certificates and RAM roles to an account, and
 * with `generate` a whole estate of sites and certificates (generate-estate.ts). Everything is
 * validated and built before anything is added. A CAS certificate is given as PEM, or made here from
 * names. `isAccessKey` tells which keys a role may trust.
 */
export async function seedAccount(
  account: Account,
  body: Record<string, unknown>,
  env: ServiceEnvironment,
  isAccessKey: (accessKeyId: string) => boolean,
): Promise<Record<string, unknown>> {
  const now = env.clock.nowMs();
  const roles = rolesOf(body.roles, account.uid, isAccessKey, now);
  const sites = list(body.sites, 'sites').map((item, index) => siteOf(item, index, now));
  const regions = list(body.regions, 'regions').map((item) => {
    if (typeof item !== 'string' || !REGION.test(item)) throw bad(`regions: "${String(item)}" is not a region id.`);
    return item;
  });
  const estateOptions = body.generate === undefined ? undefined : estateOptionsOf(body.generate);
  const cas: CasCertificateRecord[] = [];
  for (const [index, item] of list(body.casCertificates, 'casCertificates').entries()) cas.push(await casOf(item, index, env));
  const estate = estateOptions === undefined ? undefined : await generateEstate(account, estateOptions, env);

  for (const site of sites) account.sites.set(site.id, site);
  for (const region of regions) account.regions.add(region);
  for (const record of cas) account.casCertificates.set(record.id, record);
  for (const role of roles) account.roles.set(roleKey(role.name), role);
  if (estate) {
    for (const site of estate.sites) account.sites.set(site.id, site);
    for (const region of estate.regions) account.regions.add(region);
    for (const record of estate.edgeCertificates) account.edgeCertificates.set(record.id, record);
    for (const record of estate.serverCertificates) account.serverCertificates.set(record.id, record);
  }
  account.touch();
  return {
    sites: sites.map((site) => site.id),
    regions,
    casCertificates: cas.map((record) => ({ id: record.id, name: record.name, commonName: record.certificate.facts.commonName })),
    roles: roles.map((role) => ({ name: role.name, arn: roleArn(account.uid, role.name), trustedAccessKeyIds: role.trustedAccessKeyIds })),
    ...(estate ? { generated: estateSummary(estate, env.clock.nowMs()) } : {}),
  };
}

/** Counts a caller can check the estate against, without listing it. */
function estateSummary(estate: Estate, nowMs: number): Record<string, unknown> {
  const certificates = [...estate.edgeCertificates, ...estate.serverCertificates].map((record) => Date.parse(record.certificate?.facts.notAfter ?? ''));
  return {
    sites: estate.sites.length,
    firstSiteId: estate.sites[0]?.id ?? null,
    edgeCertificates: estate.edgeCertificates.length,
    serverCertificates: estate.serverCertificates.length,
    regions: estate.regions,
    expired: certificates.filter((notAfter) => notAfter <= nowMs).length,
    expiringWithin30Days: certificates.filter((notAfter) => notAfter > nowMs && notAfter - nowMs <= 30 * DAY_MS).length,
  };
}

function siteOf(item: unknown, index: number, now: number): SiteRecord {
  const s = object(item, `sites[${index}]`);
  const id = String(s.id ?? '');
  if (!/^\d{1,16}$/.test(id) || !Number.isSafeInteger(Number(id))) throw bad(`sites[${index}].id is a numeric id below 2^53.`);
  const name = String(s.name ?? '').toLowerCase();
  if (!DOMAIN.test(name)) throw bad(`sites[${index}].name is a domain name.`);
  const status = s.status ?? 'active';
  if (!['active', 'pending', 'offline', 'moved'].includes(status as string)) throw bad(`sites[${index}].status is active, pending, offline or moved.`);
  const accessType = s.accessType ?? 'NS';
  if (accessType !== 'NS' && accessType !== 'CNAME') throw bad(`sites[${index}].accessType is NS or CNAME.`);
  const preset = (s.plan ?? 'normal') as PlanPreset;
  if (!Object.hasOwn(PLAN_PRESETS, preset)) throw bad(`sites[${index}].plan is one of ${Object.keys(PLAN_PRESETS).join(', ')}.`);
  return siteRecord(
    {
      id,
      name,
      status: status as SiteRecord['status'],
      accessType,
      plan: preset,
      ...(typeof s.resourceGroupId === 'string' ? { resourceGroupId: s.resourceGroupId } : {}),
    },
    now,
  );
}

async function casOf(item: unknown, index: number, env: ServiceEnvironment): Promise<CasCertificateRecord> {
  const c = object(item, `casCertificates[${index}]`);
  const id = String(c.id ?? 30_100_000 + Math.floor(Math.random() * 800_000));
  if (!/^\d{1,16}$/.test(id)) throw bad(`casCertificates[${index}].id is numeric.`);
  const region = typeof c.region === 'string' ? c.region : 'cn-hangzhou';
  if (typeof c.certificate === 'string') {
    try {
      const certificate = storeCertificate(c.certificate);
      return { id, name: String(c.name ?? certificate.facts.commonName), region, certificate };
    } catch (error) {
      if (error instanceof PemError) throw bad(`casCertificates[${index}].certificate: ${error.message}`);
      throw error;
    }
  }
  const names = Array.isArray(c.dnsNames) ? c.dnsNames.map(String) : [String(c.commonName ?? '')];
  if (names.length === 0 || !names.every((name) => DOMAIN.test(name.replace(/^\*\./, '')))) {
    throw bad(`casCertificates[${index}] needs certificate (PEM) or dnsNames / commonName.`);
  }
  const now = env.clock.now();
  const issuer = await env.authorities.get('digicert', now);
  const keys = await generateKeys('ECDSA');
  const leaf = await issuer.issue({ subject: { commonName: names[0] ?? '' }, dnsNames: names, publicKeyDer: keys.publicKeyDer, notBefore: now, validityDays: 365, usage: 'server' });
  return { id, name: String(c.name ?? names[0]), region, certificate: storeCertificate(leaf + issuer.chainPem) };
}

function list(value: unknown, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad(`${name} is an array.`);
  return value;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`${name} is an object.`);
  return value as Record<string, unknown>;
}

function bad(message: string): EmulatorError {
  return new EmulatorError('InvalidParameter', 400, message);
}
