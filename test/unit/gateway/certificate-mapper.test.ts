import { type Certificate, type CertificateRef } from '../../../src/domain/certificate';
import { decodeCertificateId } from '../../../src/domain/global-id';
import { withPemFacts } from '../../../src/domain/pem-facts';
import { RequestClock } from '../../../src/domain/request-clock';
import { toCertificateType } from '../../../src/schema/certificate/certificate.mapper';
import { makeCertificate, opensslFacts } from '../../helpers/openssl';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-06-15T12:00:00Z');
const clock = (at: Date = NOW) => ({ clock: new RequestClock(at), expiringDays: 30 });
const EDGE: CertificateRef = { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: 'babaded901474b9693acf530e0fb1d95' };
const SERVER: CertificateRef = { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430' };

const certificate = (fields: Partial<Certificate> = {}): Certificate => ({ ref: EDGE, subjectAlternativeNames: [], domainValidations: [], ...fields });
/** As the gateway hands certificates to the schema: completed from their PEM first. */
const completed = (fields: Partial<Certificate>) => withPemFacts(certificate(fields));
const expiringIn = (ms: number, at: Date = NOW) => toCertificateType(certificate({ notAfter: new Date(NOW.getTime() + ms) }), clock(at)).daysUntilExpiry;

describe('the schema certificate mapper', () => {
  it('gives an ESA certificate a global id that names it, its account, and its site but no region', () => {
    const mapped = toCertificateType(certificate({ name: 'static', status: 'OK' }), clock());
    expect(decodeCertificateId(mapped.id, 'first')).toEqual(EDGE);
    expect(mapped).toMatchObject({ provider: 'ESA', kind: 'EDGE', accountId: 'default', nativeId: EDGE.nativeId, siteId: '1234567890123', name: 'static', status: 'ISSUED', upstreamStatus: 'OK' });
    expect(mapped).not.toHaveProperty('regionId');
    expect(mapped).not.toHaveProperty('ref');
  });

  it('gives an SLB certificate its region and no site', () => {
    const mapped = toCertificateType(certificate({ ref: SERVER }), clock());
    expect(decodeCertificateId(mapped.id, 'first')).toEqual(SERVER);
    expect(mapped).toMatchObject({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: SERVER.nativeId });
    expect(mapped).not.toHaveProperty('siteId');
  });

  it.each([
    ['ten days ahead', 10 * DAY_MS, 10],
    ['a millisecond short of ten days', 10 * DAY_MS - 1, 9],
    ['half a day ahead', DAY_MS / 2, 0],
    ['this very moment', 0, 0],
    ['a millisecond ago', -1, -1],
    ['three and a half days ago', -3.5 * DAY_MS, -4],
    ['a year ago', -365 * DAY_MS, -365],
  ])('counts daysUntilExpiry of a certificate ending %s as %i', (_name, offset, days) => {
    expect(expiringIn(offset)).toBe(days);
  });

  it.each([
    ['ten days ahead', 10 * DAY_MS],
    ['a millisecond short of ten days', 10 * DAY_MS - 1],
    ['this very moment', 0],
    ['three and a half days ago', -3.5 * DAY_MS],
  ])('tells the clock the last moment daysUntilExpiry of a certificate ending %s holds', (_name, offset) => {
    const requestClock = clock();
    const days = toCertificateType(certificate({ notAfter: new Date(NOW.getTime() + offset) }), requestClock).daysUntilExpiry;
    const changesAt = requestClock.clock.validUntil;
    expect(changesAt).toBeGreaterThan(NOW.getTime());
    expect(changesAt - NOW.getTime()).toBeLessThanOrEqual(DAY_MS);
    expect(expiringIn(offset, new Date(changesAt - 1))).toBe(days);
    expect(expiringIn(offset, new Date(changesAt))).toBe((days as number) - 1);
  });

  it('tells the clock nothing when no value depends on it', () => {
    const requestClock = clock();
    toCertificateType(certificate(), requestClock);
    expect(requestClock.clock.validUntil).toBe(Infinity);
  });

  it('leaves daysUntilExpiry out when nothing tells when the certificate ends', () => {
    expect(toCertificateType(certificate(), clock())).not.toHaveProperty('daysUntilExpiry');
  });

  it('reads the values the cloud left out from the certificate PEM, as openssl reads them', () => {
    const pair = makeCertificate({ commonName: 'www.example.com', dnsNames: ['www.example.com', 'example.com'], keyType: 'rsa', organization: 'Example, Inc.', days: 90 });
    const facts = opensslFacts(pair.certificatePem);

    const mapped = toCertificateType(completed({ certificatePem: pair.certificatePem }), clock());

    expect(mapped).toMatchObject({
      commonName: 'www.example.com',
      subjectAlternativeNames: facts.dnsNames,
      issuerCommonName: facts.issuerCommonName,
      serialNumber: facts.serialNumber,
      fingerprintSha256: facts.fingerprintSha256,
      fingerprintSha1: facts.fingerprintSha1,
      notBefore: new Date(facts.notBefore),
      notAfter: new Date(facts.notAfter),
      validityDays: 90,
      daysUntilExpiry: Math.floor((Date.parse(facts.notAfter) - NOW.getTime()) / DAY_MS),
    });
  });

  it('keeps every value the cloud reported over what the PEM says', () => {
    const pair = makeCertificate({ commonName: 'pem.example.com', dnsNames: ['pem.example.com'] });
    const reported = {
      commonName: 'cloud.example.com',
      subjectAlternativeNames: ['cloud.example.com'],
      issuerCommonName: 'Cloud CA',
      serialNumber: 'abc',
      fingerprintSha1: 'aa:bb',
      notAfter: new Date('2030-01-01T00:00:00Z'),
      validityDays: 7,
    };
    expect(toCertificateType(completed({ ...reported, certificatePem: pair.certificatePem }), clock())).toMatchObject(reported);
  });

  it('reads the leaf of a chain, not its issuer', () => {
    const ca = makeCertificate({ commonName: 'Test Intermediate', organization: 'Test Org' });
    const leaf = makeCertificate({ commonName: 'leaf.example.com', issuer: ca });
    const mapped = toCertificateType(completed({ certificatePem: leaf.certificatePem + ca.certificatePem }), clock());
    expect(mapped).toMatchObject({ commonName: 'leaf.example.com', issuerCommonName: 'Test Intermediate', fingerprintSha1: opensslFacts(leaf.certificatePem).fingerprintSha1 });
  });

  it('maps a certificate whose PEM does not parse as it came, without failing', () => {
    const broken = completed({ certificatePem: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', status: 'OK' });
    const mapped = toCertificateType(broken, clock());
    expect(mapped).toMatchObject({ status: 'ISSUED', upstreamStatus: 'OK', subjectAlternativeNames: [] });
    expect(mapped).not.toHaveProperty('fingerprintSha1');
  });

  it('holds no undefined values', () => {
    const pair = makeCertificate({ commonName: 'x.example.com' });
    for (const input of [certificate(), completed({ certificatePem: pair.certificatePem }), certificate({ ref: SERVER, name: 'n' })]) {
      expect(Object.entries(toCertificateType(input, clock())).filter(([, value]) => value === undefined)).toEqual([]);
    }
  });
});

describe('PEM facts for an upload answer', () => {
  it('fills the upload answer, its PEM included, from the PEM that was uploaded, when the answer carries none', () => {
    const pair = makeCertificate({ commonName: 'origin.example.com', dnsNames: ['origin.example.com', 'origin2.example.com'] });
    const answer = certificate({ ref: { ...EDGE, kind: 'ORIGIN_CLIENT' }, commonName: 'origin.example.com', status: 'OK' });

    const filled = withPemFacts(answer, pair.certificatePem);

    expect(filled).toMatchObject({ subjectAlternativeNames: ['origin.example.com', 'origin2.example.com'], validityDays: 365, status: 'OK' });
    expect(filled.certificatePem).toBe(pair.certificatePem);
  });
});
