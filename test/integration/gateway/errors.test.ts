import { execFileSync } from 'node:child_process';
import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ApplyCertificateIdsDocument,
  CertificateDocument,
  CreateClientCertificateDocument,
  EsaCertificateDocument,
  RenameCertificateDocument,
  RevokeClientCertificateDocument,
  ServerCertificatesDocument,
  SiteSummaryDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, type ErrorExtensions } from '../../helpers/answers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type GraphQLAnswer, type TestGateway } from '../../helpers/gateway';
import { makeCertificate, makeKey, type TestCertificate } from '../../helpers/openssl';

const SITE = DEMO.sites.example;
const domains = (count: number, prefix = '') => Array.from({ length: count }, (_, index) => `${prefix}host${index}.example.com`);
const untyped = (source: string) => parse(source) as unknown as TypedDocumentNode<unknown, Record<string, unknown>>;

describe('errors the gateway refuses before calling the cloud', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  let pair: TestCertificate;
  let foreignKey: string;
  let encryptedKey: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator);
    pair = makeCertificate({ commonName: 'www.example.com', dnsNames: ['www.example.com'], keyType: 'rsa' });
    foreignKey = makeKey('rsa');
    encryptedKey = execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], {
      input: pair.privateKeyPem,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });
  beforeEach(() => emulator.reset());

  const refused = (code: string, provider: ErrorExtensions['provider'], action?: string): ErrorExtensions => ({
    code,
    category: 'BAD_USER_INPUT',
    httpStatus: 400,
    provider,
    ...(action ? { action } : {}),
    retryable: false,
  });

  const cases: Array<[string, () => Promise<GraphQLAnswer<unknown>>, string, ErrorExtensions]> = [
    [
      "51 domains for one Let's Encrypt application",
      () => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: domains(51) } }),
      'applyCertificate',
      refused('InvalidParameter.Domains', 'ESA', 'ApplyCertificate'),
    ],
    [
      '11 domains for one DigiCert single-domain application',
      () => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: domains(11), type: 'DIGICERT_SINGLE' } }),
      'applyCertificate',
      refused('InvalidParameter.Domains', 'ESA', 'ApplyCertificate'),
    ],
    [
      '2 domains for one DigiCert wildcard application',
      () => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: domains(2, '*.'), type: 'DIGICERT_WILDCARD' } }),
      'applyCertificate',
      refused('InvalidParameter.Domains', 'ESA', 'ApplyCertificate'),
    ],
    [
      'a malformed domain',
      () => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: ['www.example.com', 'bad_name..example.com'] } }),
      'applyCertificate',
      refused('InvalidParameter.Domains', 'ESA', 'ApplyCertificate'),
    ],
    [
      'a site certificate with a key of another certificate',
      () => gateway.execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: pair.certificatePem, privateKey: foreignKey } }),
      'uploadSiteCertificate',
      refused('CertificateNotMatchPrivateKey', 'ESA', 'SetCertificate'),
    ],
    [
      'an origin client certificate with a key of another certificate',
      () => gateway.execute(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: pair.certificatePem, privateKey: foreignKey } }),
      'uploadOriginClientCertificate',
      refused('CertificateNotMatchPrivateKey', 'ESA', 'UploadSiteOriginClientCertificate'),
    ],
    [
      'a server certificate with a key of another certificate',
      () => gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem, privateKey: foreignKey } }),
      'uploadServerCertificate',
      refused('CertificateNotMatchPrivateKey', 'SLB', 'UploadServerCertificate'),
    ],
    [
      'a site certificate that does not parse',
      () => gateway.execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: pair.certificatePem.slice(0, 300), privateKey: pair.privateKeyPem } }),
      'uploadSiteCertificate',
      refused('InvalidParameter', 'ESA', 'SetCertificate'),
    ],
    [
      'a server certificate that does not parse',
      () => gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: 'not a certificate', privateKey: pair.privateKeyPem } }),
      'uploadServerCertificate',
      refused('InvalidParameter', 'SLB', 'UploadServerCertificate'),
    ],
    [
      'a server certificate with an encrypted key',
      () => gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem, privateKey: encryptedKey } }),
      'uploadServerCertificate',
      refused('PrivateKeyEncryption', 'SLB', 'UploadServerCertificate'),
    ],
    [
      'a server certificate without its key',
      () => gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem } }),
      'uploadServerCertificate',
      refused('InvalidParameter', 'SLB', 'UploadServerCertificate'),
    ],
    [
      'an empty site id',
      () => gateway.execute(CreateClientCertificateDocument, { input: { siteId: '', keyAlgorithm: 'ECDSA', validityDays: 30 } }),
      'createClientCertificate',
      refused('MissingSiteId', 'ESA', 'CreateClientCertificate'),
    ],
    [
      'a site id that is not a number',
      () => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: 'abc', domains: ['www.example.com'] } }),
      'applyCertificate',
      refused('InvalidParameter.SiteId', 'ESA', 'ApplyCertificate'),
    ],
    [
      'an empty site id for a site read',
      () => gateway.execute(SiteSummaryDocument, { id: '' }),
      'site',
      refused('MissingSiteId', 'ESA', 'GetSite'),
    ],
    [
      'a client certificate valid for 0 days',
      () => gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 0 } }),
      'createClientCertificate',
      refused('InvalidParameter', 'ESA', 'CreateClientCertificate'),
    ],
    [
      'a client certificate valid for 4000 days',
      () => gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 4000 } }),
      'createClientCertificate',
      refused('InvalidParameter', 'ESA', 'CreateClientCertificate'),
    ],
    [
      'a client certificate from a CSR and a key algorithm at once',
      () => gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, csr: '-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----', keyAlgorithm: 'RSA', validityDays: 30 } }),
      'createClientCertificate',
      refused('InvalidParameter', 'ESA', 'CreateClientCertificate'),
    ],
    [
      'a client certificate from a certificate in place of a CSR',
      () => gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, csr: pair.certificatePem, validityDays: 30 } }),
      'createClientCertificate',
      refused('InvalidParameter', 'ESA', 'CreateClientCertificate'),
    ],
    [
      'a junk certificate id',
      () => gateway.execute(CertificateDocument, { id: 'crt_not-really-an-id' }),
      'certificate',
      refused('InvalidParameter', 'GATEWAY'),
    ],
    [
      'a malformed ESA certificate id',
      () => gateway.execute(EsaCertificateDocument, { siteId: SITE, id: 'no such/id' }),
      'esaCertificate',
      refused('InvalidParameter', 'ESA', 'GetCertificate'),
    ],
    [
      'a malformed region',
      () => gateway.execute(ServerCertificatesDocument, { regionId: 'CN_HANGZHOU' }),
      'serverCertificates',
      refused('InvalidParameter', 'SLB', 'DescribeServerCertificates'),
    ],
    [
      'renaming an ESA certificate, which only SLB supports',
      () => gateway.execute(RenameCertificateDocument, { id: encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: SITE, nativeId: DEMO.edgeCertificates.upload }), name: 'x' }),
      'renameCertificate',
      refused('InvalidParameter', 'GATEWAY', 'SetServerCertificateName'),
    ],
    [
      'revoking an edge certificate, which only client certificates allow',
      () => gateway.execute(RevokeClientCertificateDocument, { id: encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: SITE, nativeId: DEMO.edgeCertificates.upload }) }),
      'revokeClientCertificate',
      refused('InvalidParameter', 'GATEWAY'),
    ],
  ];

  it.each(cases)('refuses %s with its documented code and no upstream call', async (_name, send, field, extensions) => {
    const answer = await send();

    expect(answer.data === null || (answer.data as Record<string, unknown>)[field] === null).toBe(true);
    expect(onlyError(answer)).toMatchObject({ path: [field], extensions });
    expect(onlyError(answer).extensions).toEqual(extensions);
    expect(await emulator.stats()).toEqual({});
    expectNothingLeaks(answer.text);
  });

  describe('operations the schema refuses', () => {
    const schemaRefusal = (code: string): ErrorExtensions => ({ code, category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'GATEWAY', retryable: false });

    it.each([
      ['a junk enum value written in the operation', 'GRAPHQL_VALIDATION_FAILED', untyped('mutation { applyCertificate(input: { siteId: "1234567890123", domains: ["a.example.com"], type: BOGUS }) { totalCount } }'), {}],
      ['a field the schema does not have', 'GRAPHQL_VALIDATION_FAILED', untyped('{ certificate(id: "x") { privateKey } }'), {}],
      ['a junk enum value in a variable', 'BAD_USER_INPUT', ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: ['a.example.com'], type: 'BOGUS' } }],
      ['a variable of the wrong type', 'BAD_USER_INPUT', CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 'ten' } }],
      ['a validity beyond a 32-bit integer', 'BAD_USER_INPUT', CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 2 ** 40 } }],
    ] as Array<[string, string, TypedDocumentNode<unknown, Record<string, unknown>>, Record<string, unknown>]>)(
      'refuses %s as %s, a BAD_USER_INPUT error of the gateway, with no upstream call',
      async (_name, code, document, variables) => {
        const answer = await gateway.execute(document, variables);

        expect(answer.data ?? null).toBeNull();
        expect(onlyError(answer).extensions).toEqual(schemaRefusal(code));
        expect(await emulator.stats()).toEqual({});
        expectNothingLeaks(answer.text);
      },
    );

    it('refuses an upload missing a required field without repeating the private key it carried', async () => {
      const variables = { input: { certificate: pair.certificatePem, privateKey: pair.privateKeyPem } };

      const answer = await gateway.execute(UploadOriginClientCertificateDocument, variables as never);

      expect(onlyError(answer).extensions).toEqual(schemaRefusal('BAD_USER_INPUT'));
      expect(onlyError(answer).message).toContain('Field "siteId" of required type "ID!" was not provided.');
      expect(answer.text).toContain('[redacted PEM]');
      expectNothingLeaks(answer.text);
      expect(answer.text).not.toContain(pair.privateKeyPem.split('\n')[1]);
      expect(await emulator.stats()).toEqual({});
    });

    it('refuses an input with a field the schema does not define without repeating the private key it carried', async () => {
      const variables = { input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem, privateKey: pair.privateKeyPem, passphrase: 'secret' } };

      const answer = await gateway.execute(UploadServerCertificateDocument, variables as never);

      expect(onlyError(answer).extensions).toEqual(schemaRefusal('BAD_USER_INPUT'));
      expect(onlyError(answer).message).toContain('Field "passphrase" is not defined by type "UploadServerCertificateInput".');
      expectNothingLeaks(answer.text);
      expect(await emulator.stats()).toEqual({});
    });
  });
});
