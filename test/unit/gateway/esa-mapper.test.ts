import {
  mapApplication,
  mapCertificateBody,
  mapCertificateList,
  mapCreatedClientCertificate,
  mapSite,
  mapSites,
  mapUploadedOriginClientCertificate,
} from '../../../src/providers/esa/esa-mapper';

/** Answers shaped like the examples of the ESA reference pages (for example https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate). */
const GET_CERTIFICATE = {
  SiteId: 1234567890123,
  SiteName: 'example.com ',
  Status: 'OK',
  Certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  Result: {
    CasId: 30000478,
    Id: 'babaded901474b9693acf530e0fb1d95',
    Name: 'yourCertName',
    Region: 'cn-hangzhou',
    Status: 'OK',
    Type: 'free',
    CommonName: 'www.example.com',
    NotBefore: '2023-11-26T16:00:00Z',
    NotAfter: '2024-11-26T16:00:00Z',
    Issuer: 'DigiCert',
    IssuerCN: 'DigiCert Global Root CA',
    SAN: 'www.example.com,*.example.com',
    SigAlg: 'ECDSA-SHA1',
    PubAlg: 'ECDSA',
    CreateTime: '2020-05-12 02:00:53',
    UpdateTime: '2022-09-22 05:33:13',
    SerialNumber: 'babaded901474b9693acf530e0fb1daa',
    FingerprintSha256: '1dc5fc9af4eead2570c70d94b416130baeb6d4429b51fd3557379588456aca66',
    DCV: [{ Id: 'bababf7cdd1546a2ad04c0def1f4c980', Type: 'HTTP', Key: 'http://www.example.com/.well-known/acme-challenge/x', Value: 'x.y', Status: 'pending' }],
    ApplyCode: 2,
    ApplyMessage: 'canceled',
  },
  RequestId: '04F0F334-1335-436C-A1D7-6C044FE73368',
};

const SITE = { accountId: 'default', siteId: '1234567890123' };
const ONE = { accountId: 'default', siteId: '1' };
const EDGE_REF = { ...SITE, nativeId: 'babaded901474b9693acf530e0fb1d95' };

describe('the ESA mapper', () => {
  it('maps a GetCertificate answer to a unified edge certificate', () => {
    expect(mapCertificateBody('EDGE', GET_CERTIFICATE, EDGE_REF)).toEqual({
      ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: 'babaded901474b9693acf530e0fb1d95' },
      siteName: 'example.com',
      name: 'yourCertName',
      status: 'OK',
      type: 'free',
      commonName: 'www.example.com',
      subjectAlternativeNames: ['www.example.com', '*.example.com'],
      issuer: 'DigiCert',
      issuerCommonName: 'DigiCert Global Root CA',
      serialNumber: 'babaded901474b9693acf530e0fb1daa',
      fingerprintSha256: '1dc5fc9af4eead2570c70d94b416130baeb6d4429b51fd3557379588456aca66',
      signatureAlgorithm: 'ECDSA-SHA1',
      publicKeyAlgorithm: 'ECDSA',
      notBefore: new Date('2023-11-26T16:00:00Z'),
      notAfter: new Date('2024-11-26T16:00:00Z'),
      createdAt: new Date('2020-05-12T02:00:53Z'),
      updatedAt: new Date('2022-09-22T05:33:13Z'),
      casId: '30000478',
      certificatePem: GET_CERTIFICATE.Certificate,
      domainValidations: [
        { id: 'bababf7cdd1546a2ad04c0def1f4c980', type: 'HTTP', key: 'http://www.example.com/.well-known/acme-challenge/x', value: 'x.y', status: 'pending' },
      ],
      applyCode: 2,
      applyMessage: 'canceled',
    });
  });

  it('reads the zone-less CreateTime and the list dates as UTC', () => {
    const [certificate] = mapCertificateList(
      'EDGE',
      { Result: [{ Id: 'a', NotBefore: '2023-03-31 02:08:00', NotAfter: '2024-03-31 02:08:00', CreateTime: '2022-06-24 07:48:51' }] },
      ONE,
    );
    expect(certificate?.notBefore?.toISOString()).toBe('2023-03-31T02:08:00.000Z');
    expect(certificate?.notAfter?.toISOString()).toBe('2024-03-31T02:08:00.000Z');
    expect(certificate?.createdAt?.toISOString()).toBe('2022-06-24T07:48:51.000Z');
  });

  it('puts every certificate in the account of the site it was read from', () => {
    const site = { accountId: 'prod', siteId: '1234567890123' };
    const listed = mapCertificateList('EDGE', { Result: [{ Id: 'a' }, { Id: 'b' }] }, site);
    expect(listed.map((certificate) => certificate.ref)).toEqual([
      { provider: 'ESA', kind: 'EDGE', ...site, nativeId: 'a' },
      { provider: 'ESA', kind: 'EDGE', ...site, nativeId: 'b' },
    ]);
    expect(mapCertificateBody('CLIENT', { Result: { Id: 'c' } }, { ...site, nativeId: 'c' }).ref.accountId).toBe('prod');
    expect(mapApplication({ Result: [{ Domain: 'a.example.com', Status: 'Applying', Id: '1' }] }, site).applications[0]?.ref.accountId).toBe('prod');
  });

  it('splits a comma-joined SAN, trimming names and dropping empty ones', () => {
    const [certificate] = mapCertificateList('EDGE', { Result: [{ Id: 'a', SAN: ' www.example.com, ,*.example.com,' }] }, ONE);
    expect(certificate?.subjectAlternativeNames).toEqual(['www.example.com', '*.example.com']);
  });

  it('reads client certificates with their own algorithm field names and CA id', () => {
    const body = {
      SiteId: 1234567890123,
      SiteName: 'example.com',
      Status: 'active',
      Certificate: '-----BEGIN CERTIFICATE-----',
      Result: {
        CACertificateId: 'babab9db65ee5efcca9f3d41d4b50d66',
        Id: 'baba39055622c008b90285a8838ed09a',
        Type: 'dcdn',
        SigAlg: 'not read for this kind',
        SignatureAlgorithm: 'SHA256-RSA',
        PubkeyAlgorithm: 'RSA',
        Status: 'revoked',
      },
    };
    const certificate = mapCertificateBody('CLIENT', body, { ...SITE, nativeId: 'baba39055622c008b90285a8838ed09a' });
    expect(certificate).toMatchObject({
      ref: { provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: '1234567890123', nativeId: 'baba39055622c008b90285a8838ed09a' },
      caCertificateId: 'babab9db65ee5efcca9f3d41d4b50d66',
      signatureAlgorithm: 'SHA256-RSA',
      publicKeyAlgorithm: 'RSA',
      status: 'revoked',
      type: 'dcdn',
    });
  });

  it('maps a CreateClientCertificate answer, with the key only when ESA sent one', () => {
    const answer = {
      RequestId: 'C370DAF1-C838-4288-A1A0-9A87633D248E',
      Id: 'babaded901474b9693acf530e0fb1d95',
      Status: 'active',
      Certificate: '-----BEGIN CERTIFICATE-----',
      PrivateKey: '-----BEGIN PRIVATE KEY-----',
      CommonName: 'www.example.com ',
      NotBefore: '2023-12-01T02:12:49Z',
      NotAfter: '2024-12-01T02:12:49Z',
      Issuer: 'DCDN CA',
      SerialNumber: 'babaded901474b9693acf530e0fb1daa',
      SignatureAlgorithm: 'SHA256-RSA',
      ValidityDays: 365,
      CACertificateId: 'babaded901474b9693acf530e0fb1dbb',
    };
    const created = mapCreatedClientCertificate(answer, SITE, answer.Id);
    expect(created.privateKey).toBe('-----BEGIN PRIVATE KEY-----');
    expect(created.certificate).toMatchObject({
      ref: { provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: '1234567890123', nativeId: answer.Id },
      status: 'active',
      commonName: 'www.example.com',
      certificatePem: '-----BEGIN CERTIFICATE-----',
      issuer: 'DCDN CA',
      validityDays: 365,
      caCertificateId: 'babaded901474b9693acf530e0fb1dbb',
      notAfter: new Date('2024-12-01T02:12:49Z'),
    });
    expect(created.certificate).not.toHaveProperty('privateKey');
    expect(mapCreatedClientCertificate({ ...answer, PrivateKey: undefined }, ONE, answer.Id)).not.toHaveProperty('privateKey');
  });

  it('accepts ValidityDays as the documented string as well as the number the examples send', () => {
    const fromString = mapUploadedOriginClientCertificate({ Id: 'babaabcd', ValidityDays: '365' }, ONE, 'babaabcd');
    const fromNumber = mapUploadedOriginClientCertificate({ Id: 'babaabcd', ValidityDays: 365 }, ONE, 'babaabcd');
    expect(fromString.validityDays).toBe(365);
    expect(fromNumber.validityDays).toBe(365);
    expect(fromNumber.ref).toEqual({ provider: 'ESA', kind: 'ORIGIN_CLIENT', accountId: 'default', siteId: '1', nativeId: 'babaabcd' });
  });

  it('keeps the caller’s site id digits and falls back to the asked id when the Result has none', () => {
    // Parsed as the client parses it: the number above 2^53 arrives rounded to ...992.
    const body = JSON.parse('{"SiteId": 9007199254740993, "Result": {}}') as { SiteId: number };
    expect(String(body.SiteId)).toBe('9007199254740992');
    const certificate = mapCertificateBody('ORIGIN_CLIENT', body, { accountId: 'default', siteId: '9007199254740993', nativeId: 'x' });
    expect(certificate.ref).toEqual({ provider: 'ESA', kind: 'ORIGIN_CLIENT', accountId: 'default', siteId: '9007199254740993', nativeId: 'x' });
  });

  it('never throws on missing or oddly typed fields, leaving them out', () => {
    const odd = { Result: { Id: 7, SAN: 12, DCV: 'none', NotAfter: 'soon', CreateTime: '2024-13-45 99:00:00', ApplyCode: 'two', CasId: {} } };
    const certificate = mapCertificateBody('EDGE', odd as never, { ...ONE, nativeId: 'asked' });
    expect(certificate).toEqual({
      ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1', nativeId: '7' },
      subjectAlternativeNames: [],
      domainValidations: [],
    });
    expect(mapCertificateBody('EDGE', {}, { ...ONE, nativeId: 'asked' }).ref.nativeId).toBe('asked');
    expect(mapCertificateList('CLIENT', { Result: 'nothing' } as never, ONE)).toEqual([]);
    expect(mapCertificateList('CLIENT', { Result: [null, { Name: 'no id' }, { Id: 'kept' }] } as never, ONE).map((c) => c.ref.nativeId)).toEqual(['kept']);
  });

  it('ignores fields it does not know', () => {
    const certificate = mapCertificateBody('EDGE', { Result: { Id: 'a', KeyServerId: 'ks-1', Surprise: { nested: true } } } as never, EDGE_REF);
    expect(Object.keys(certificate).sort()).toEqual(['domainValidations', 'ref', 'subjectAlternativeNames']);
  });

  it('maps ListSites entries and GetSite’s SiteModel, site ids as exact digit strings, each in the account asked', () => {
    const sites = mapSites(
      [
        { SiteId: 1234567890123, SiteName: 'example.com', Status: 'active', AccessType: 'NS', Coverage: 'global' },
        { SiteName: 'no id' },
        { SiteId: '2345678901234', SiteName: 'cname-example.com', Status: 'active', AccessType: 'CNAME' },
      ],
      'prod',
    );
    expect(sites).toEqual([
      { id: '1234567890123', accountId: 'prod', name: 'example.com', status: 'active', accessType: 'NS' },
      { id: '2345678901234', accountId: 'prod', name: 'cname-example.com', status: 'active', accessType: 'CNAME' },
    ]);
    expect(mapSites([{ SiteId: 1e21, SiteName: 'big.example' }], 'default').map((site) => site.id)).toEqual(['1000000000000000000000']);
    const basic = { accountId: 'prod', siteId: '4567890123456' };
    expect(mapSite({ SiteId: 4567890123456, SiteName: 'basic-example.com' }, basic)).toEqual({ id: '4567890123456', accountId: 'prod', name: 'basic-example.com' });
    expect(mapSite(undefined, basic)).toEqual({ id: '4567890123456', accountId: 'prod', name: '' });
  });

  it('maps an ApplyCertificate answer to applications that carry edge refs', () => {
    const body = {
      SiteName: 'example.com ',
      TotalCount: 2,
      Result: [
        { Domain: '*.example.com ', Status: 'Applying', Id: '30000478' },
        { Domain: 'www.example.com', Status: 'Applying', Id: '30000479' },
      ],
      RequestId: '156A6B-677B1A-4297B7-9187B7-2B44792',
    };
    expect(mapApplication(body, SITE)).toEqual({
      siteName: 'example.com',
      totalCount: 2,
      applications: [
        { domain: '*.example.com', status: 'Applying', ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: '30000478' } },
        { domain: 'www.example.com', status: 'Applying', ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: '30000479' } },
      ],
    });
    expect(mapApplication({ Result: [{ Domain: 'a.example.com' }] }, ONE)).toEqual({ siteName: '', totalCount: 0, applications: [] });
  });
});
