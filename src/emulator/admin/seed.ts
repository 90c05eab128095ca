import { generateKeys } from '../pki/key-pairs';
import { PemError } from '../pki/pem';
import { EmulatorError } from '../protocol/emulator-error';
import { type ServiceEnvironment } from '../services/action';
import { PLAN_PRESETS, plan, type PlanPreset } from '../services/plans';
import { storeCertificate } from '../services/stored-certificate';
import { type Account } from '../state/account';
import { type CasCertificateRecord, type SiteRecord } from '../state/records';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * `POST /_emulator/seed`: adds sites, SLB regions and CAS certificates to an account. Everything is
 * validated before anything is added. A CAS certificate is given as PEM, or made here from names.
 */
export async function seedAccount(account: Account, body: Record<string, unknown>, env: ServiceEnvironment): Promise<Record<string, unknown>> {
  const now = env.clock.nowMs();
  const sites = list(body.sites, 'sites').map((item, index) => siteOf(item, index, now));
  const regions = list(body.regions, 'regions').map((item) => {
    if (typeof item !== 'string' || !REGION.test(item)) throw bad(`regions: "${String(item)}" is not a region id.`);
    return item;
  });
  const cas: CasCertificateRecord[] = [];
  for (const [index, item] of list(body.casCertificates, 'casCertificates').entries()) cas.push(await casOf(item, index, env));

  for (const site of sites) account.sites.set(site.id, site);
  for (const region of regions) account.regions.add(region);
  for (const record of cas) account.casCertificates.set(record.id, record);
  account.touch();
  return {
    sites: sites.map((site) => site.id),
    regions,
    casCertificates: cas.map((record) => ({ id: record.id, name: record.name, commonName: record.certificate.facts.commonName })),
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
  return {
    id,
    name,
    status: status as SiteRecord['status'],
    accessType,
    coverage: 'global',
    resourceGroupId: typeof s.resourceGroupId === 'string' ? s.resourceGroupId : 'rg-acfmdemo0000001',
    instanceId: `esa-site-${id.slice(-6)}`,
    plan: plan(preset, `plan-${preset}-${id.slice(-4)}`),
    createdAt: now,
    updatedAt: now,
  };
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
