import { BulkIssuer } from '../pki/bulk-issuer';
import { generateKeys } from '../pki/key-pairs';
import { DAY_MS } from '../pki/time-format';
import { type ServiceEnvironment } from '../services/action';
import { DEFAULT_RESOURCE_GROUP_ID } from '../services/slb/server-certificates.model';
import { type Account } from '../state/account';
import { type EdgeCertificateRecord, type ServerCertificateRecord, type SiteRecord } from '../state/records';
import { type EstateOptions } from './estate-options';
import { siteRecord } from './site-record';

const HOUR_MS = 3_600_000;

/** The time part of generated SLB ids: a fixed moment (2023-11-14), not the clock. */
const ID_EPOCH_MS = 1_700_000_000_000;

/** A generated estate, built whole before any of it joins the account. */
export interface Estate {
  sites: SiteRecord[];
  edgeCertificates: EdgeCertificateRecord[];
  serverCertificates: ServerCertificateRecord[];
  regions: string[];
}

/**
 * Makes a large account's worth of sites and certificates without one API call per certificate:
 * active sites, uploaded edge certificates on each, SLB server certificates over the regions. Every
 * certificate is real X.509 signed by the emulated DigiCert ECC intermediate with one shared leaf key
 * (the key is dropped, as uploaded keys are). Ids, names, serials and dates come from a PRNG seeded
 * with `seed`, so the same options on the same account make the same estate; only the ECDSA
 * signatures, and with them the fingerprints, differ from run to run.
 */
export async function generateEstate(account: Account, options: EstateOptions, env: ServiceEnvironment): Promise<Estate> {
  const random = mulberry32(options.seed);
  const nowMs = Math.floor(env.clock.nowMs() / 1000) * 1000;
  const issuer = new BulkIssuer(await env.authorities.get('digicert_ecc', new Date(nowMs)), (await generateKeys('ECDSA')).publicKeyDer);
  const total = options.sites * options.certificatesPerSite + options.serverCertificates;
  // Long enough that every notBefore is at least a month in the past, whatever the spread.
  const validityMs = Math.max(397, options.spreadDays + 32) * DAY_MS;
  let sequence = 0;
  const leafDates = () => {
    const index = sequence++;
    // Certificate `index` is expired when it crosses the next multiple of 1/fraction: evenly spread, exact count.
    const expired = Math.floor((index + 1) * options.expiredFraction) > Math.floor(index * options.expiredFraction);
    const offset = expired ? -(HOUR_MS + random() * 89 * DAY_MS) : HOUR_MS + random() * (options.spreadDays * DAY_MS - HOUR_MS);
    const notAfter = Math.floor((nowMs + offset) / 1000) * 1000;
    return { notBefore: new Date(notAfter - validityMs), notAfter: new Date(notAfter) };
  };
  const serialHex = () => {
    const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
    bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
    return Buffer.from(bytes).toString('hex');
  };

  const takenSites = new Set(account.sites.keys());
  const sites: SiteRecord[] = [];
  for (let i = 1; i <= options.sites; i += 1) {
    let id: string;
    do id = String(1_000_000_000_000 + Math.floor(random() * 8_999_999_999_999));
    while (takenSites.has(id));
    takenSites.add(id);
    sites.push(siteRecord({ id, name: `site${i}.seed${options.seed}.example` }, nowMs));
  }

  const edgeCertificates: EdgeCertificateRecord[] = [];
  for (const site of sites) {
    for (let j = 1; j <= options.certificatesPerSite; j += 1) {
      // Every fifth certificate is a wildcard over the site, the rest name one host each.
      const names = j % 5 === 0 ? [`*.${site.name}`, site.name] : [`h${j}.${site.name}`];
      const commonName = names[0] ?? site.name;
      const certificate = issuer.issue({ serialHex: serialHex(), commonName, dnsNames: names, ...leafDates() });
      const id = hex(random, 16);
      edgeCertificates.push({ id, siteId: site.id, name: commonName, type: 'upload', state: 'Issued', region: 'cn-hangzhou', certificate, createdAt: nowMs, updatedAt: nowMs });
    }
  }

  const serverCertificates: ServerCertificateRecord[] = [];
  for (let k = 1; k <= options.serverCertificates; k += 1) {
    const commonName = `lb${k}.seed${options.seed}.example`;
    const certificate = issuer.issue({ serialHex: serialHex(), commonName, dnsNames: [commonName], ...leafDates() });
    // The shape of SLB's ids (`<uid>_<hex ms>_<10 digits>_<9 digits>`), from the seed and the PRNG
    // instead of the clock, so the same seed makes the same ids whenever it runs.
    const id = `${account.uid}_${(ID_EPOCH_MS + options.seed * 1_000_000 - k).toString(16)}_${digits(random, 10)}_${digits(random, 9)}`;
    const regionId = options.regions[(k - 1) % options.regions.length] ?? 'cn-hangzhou';
    serverCertificates.push({ id, regionId, name: commonName, resourceGroupId: DEFAULT_RESOURCE_GROUP_ID, certificate, createdAt: nowMs });
  }
  if (sequence !== total) throw new Error(`generated ${sequence} certificates, planned ${total}`);
  return { sites, edgeCertificates, serverCertificates, regions: options.serverCertificates > 0 ? options.regions : [] };
}

/** A small, fast, seedable PRNG (public domain); quality is ample for test data. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hex(random: () => number, bytes: number): string {
  return Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join('');
}

function digits(random: () => number, count: number): string {
  return String(10 ** (count - 1) + Math.floor(random() * 9 * 10 ** (count - 1)));
}
