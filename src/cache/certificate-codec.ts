import { type Certificate } from '../domain/certificate';
import { type Site } from '../domain/site';

/** How a cached value is written and read back. JSON, with the certificate's dates revived. */
export interface Codec<T> {
  encode(value: T): unknown;
  decode(value: unknown): T;
}

const DATE_FIELDS = ['notBefore', 'notAfter', 'createdAt', 'updatedAt'] as const;

function reviveCertificate(raw: unknown): Certificate {
  const certificate = raw as Certificate & Record<(typeof DATE_FIELDS)[number], string | Date | undefined>;
  for (const field of DATE_FIELDS) {
    const value = certificate[field];
    if (typeof value === 'string') certificate[field] = new Date(value);
  }
  return certificate;
}

export const certificateCodec: Codec<Certificate> = {
  encode: (certificate) => certificate,
  decode: reviveCertificate,
};

export const certificateListCodec: Codec<Certificate[]> = {
  encode: (certificates) => certificates,
  decode: (raw) => (raw as unknown[]).map(reviveCertificate),
};

export const siteCodec: Codec<Site> = { encode: (site) => site, decode: (raw) => raw as Site };
export const siteListCodec: Codec<Site[]> = { encode: (sites) => sites, decode: (raw) => raw as Site[] };
