import { EmulatorError } from '../protocol/emulator-error';

/** `POST /_emulator/seed` `{generate: {...}}`: the shape of a large account to make in one call. */
export interface EstateOptions {
  /** Active sites to add. */
  sites: number;
  /** Uploaded edge certificates on each generated site. */
  certificatesPerSite: number;
  /** SLB server certificates, spread round-robin over `regions`. */
  serverCertificates: number;
  /** SLB regions for the server certificates; added to the account. */
  regions: string[];
  /** Share of all generated certificates already past notAfter (spread evenly, so the count is exact). */
  expiredFraction: number;
  /** The others expire between an hour and this many days from the emulated now. */
  spreadDays: number;
  /** The same seed on the same account gives the same ids, names and dates. */
  seed: number;
}

/** Generous bounds that keep one call within seconds and a few hundred MB. */
const LIMITS = { sites: 10_000, certificatesPerSite: 1_000, serverCertificates: 100_000, totalCertificates: 200_000 };
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export function estateOptionsOf(value: unknown): EstateOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('generate is an object.');
  const input = value as Record<string, unknown>;
  const known = ['sites', 'certificatesPerSite', 'serverCertificates', 'regions', 'expiredFraction', 'spreadDays', 'seed'];
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw bad(`generate has no option ${unknown.join(', ')} (options: ${known.join(', ')}).`);
  const options: EstateOptions = {
    sites: count(input.sites, 'sites', 0, LIMITS.sites),
    certificatesPerSite: count(input.certificatesPerSite, 'certificatesPerSite', 0, LIMITS.certificatesPerSite),
    serverCertificates: count(input.serverCertificates, 'serverCertificates', 0, LIMITS.serverCertificates),
    regions: regions(input.regions),
    expiredFraction: fraction(input.expiredFraction),
    spreadDays: count(input.spreadDays ?? 365, 'spreadDays', 1, 3650),
    seed: count(input.seed ?? 1, 'seed', 0, 2 ** 32 - 1),
  };
  if (options.sites * options.certificatesPerSite + options.serverCertificates > LIMITS.totalCertificates) {
    throw bad(`generate makes at most ${LIMITS.totalCertificates} certificates in one call.`);
  }
  return options;
}

function count(value: unknown, name: string, min: number, max: number): number {
  const number = value ?? 0;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw bad(`generate.${name} is a whole number from ${min} to ${max}.`);
  }
  return number;
}

function fraction(value: unknown): number {
  const number = value ?? 0.05;
  if (typeof number !== 'number' || !(number >= 0 && number <= 1)) throw bad('generate.expiredFraction is a number from 0 to 1.');
  return number;
}

function regions(value: unknown): string[] {
  if (value === undefined) return ['cn-hangzhou', 'cn-shanghai'];
  if (!Array.isArray(value) || value.length === 0) throw bad('generate.regions is a non-empty array of region ids.');
  for (const region of value) if (typeof region !== 'string' || !REGION.test(region)) throw bad(`generate.regions: "${String(region)}" is not a region id.`);
  return [...new Set(value as string[])];
}

function bad(message: string): EmulatorError {
  return new EmulatorError('InvalidParameter', 400, message);
}
