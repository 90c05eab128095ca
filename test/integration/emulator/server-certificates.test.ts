import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account } from '../../../src/emulator/state/account';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient, type CloudError } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate, opensslFacts, type TestCertificate } from '../../helpers/openssl';

type Item = Record<string, unknown> & { ServerCertificateId: string; ServerCertificateName: string };
interface DescribeBody {
  ServerCertificates: { ServerCertificate: Item[] };
}

const DEMO_HANGZHOU = ['1231579085529123_18b5e2c1a40_1714763408_709981430', '1231579085529123_18b5e2c1a41_1714763409_709981431'];
const DEMO_SHANGHAI = '1231579085529123_18b5e2c1a42_1714763410_709981432';
/** The certificate the demo cn-shanghai HTTPS listener serves (load-balancers.test.ts). */
const DEMO_SHANGHAI_LISTENER = DEMO.serverCertificates.apiListener;
const UID = new Account('emulator-key').uid;
const ids = (items: Item[]) => items.map((item) => item.ServerCertificateId);
const pairParams = (pair: TestCertificate) => ({ ServerCertificate: pair.certificatePem, PrivateKey: pair.privateKeyPem });

const KEY_VARIANTS = {
  'RSA PKCS#1': { keyType: 'rsa', keyFormat: 'traditional' },
  'RSA PKCS#8': { keyType: 'rsa', keyFormat: 'pkcs8' },
  'EC SEC1': { keyType: 'ec', keyFormat: 'traditional' },
  'EC PKCS#8': { keyType: 'ec', keyFormat: 'pkcs8' },
} as const;
type KeyVariant = keyof typeof KEY_VARIANTS;

interface Material {
  byKey: Record<KeyVariant, TestCertificate>;
  other: TestCertificate;
  ca: TestCertificate;
  /** An RSA leaf with enough SANs that leaf + CA + key overflow Node's default 16 KiB URL limit. */
  bigLeaf: TestCertificate;
  encryptedPkcs8: string;
  encryptedPkcs1: string;
}

let material: Material;

beforeAll(() => {
  const byKey = Object.fromEntries(
    Object.entries(KEY_VARIANTS).map(([variant, key], index) => {
      const names = [`upload-${index}.example.test`, `alt-${index}.example.test`];
      return [variant, makeCertificate({ commonName: names[0] as string, dnsNames: names, ...key })];
    }),
  ) as Record<KeyVariant, TestCertificate>;
  const ca = makeCertificate({ commonName: 'Chain Test CA', organization: 'Chain Test', keyType: 'rsa', days: 3650 });
  const manyNames = Array.from({ length: 420 }, (_, index) => `host-${index}.chain.example.test`);
  const rsa = byKey['RSA PKCS#1'].privateKeyPem;
  material = {
    byKey,
    other: makeCertificate({ commonName: 'other.example.test' }),
    ca,
    bigLeaf: makeCertificate({
      commonName: 'chain.example.test',
      dnsNames: manyNames,
      keyType: 'rsa',
      keyFormat: 'traditional',
      issuer: ca,
    }),
    encryptedPkcs8: openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], rsa),
    encryptedPkcs1: openssl(['rsa', '-aes256', '-traditional', '-passout', 'pass:secret'], rsa),
  };
});

function openssl(args: string[], input: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function expectError(error: CloudError, code: string, status: number, message?: string): void {
  expect({ code: error.code, statusCode: error.statusCode }).toEqual({ code, statusCode: status });
  if (message !== undefined) expect(error.data?.Message).toBe(message);
}

const MESSAGES = {
  empty: 'The specified parameter ServerCertificate or Key is empty.',
  certificateFormat: 'The specified parameter ServerCertificate format is error.',
  keyFormat: 'The specified parameter key format is error.',
  encrypted: 'Key has Encrypted .',
  mismatch: 'Certificate and key does not match.',
  idEmpty: 'The specified parameter ServerCertificateId is empty.',
  idNotSupported: 'The specified parameter ServerCertificateId is not Support.',
  resource: 'The specified resource does not exist.',
  length: 'The specified parameter length is not valid.',
  region: 'The specified RegionId does not exist.',
  missingRegion: 'The input parameter "RegionId" that is mandatory for processing this request is not supplied.',
  missingName: 'The input parameter "ServerCertificateName" that is mandatory for processing this request is not supplied.',
  both: 'The parameters AliCloudCertificateId and AliCloudCertificateName cannot be combined with ServerCertificate and PrivateKey.',
  neither: 'Specify either ServerCertificate and PrivateKey, or AliCloudCertificateId.',
  name: 'The specified parameter ServerCertificateName is not valid.',
  group: 'The specified parameter ResourceGroupId is not valid.',
};

type Query = Record<string, string | number | undefined>;
/** The request, the code, the verbatim message and (when not 400) the status. */
type Rejection = [params: (m: Material) => Query, code: string, message: string, status?: number];

/** An EC PKCS#8 pair for cn-hangzhou, with `extra` over it (undefined leaves a parameter out). */
const withPair =
  (extra: Query | ((m: Material) => Query) = {}) =>
  (m: Material): Query => ({
    RegionId: 'cn-hangzhou',
    ServerCertificate: m.byKey['EC PKCS#8'].certificatePem,
    PrivateKey: m.byKey['EC PKCS#8'].privateKeyPem,
    ...(typeof extra === 'function' ? extra(m) : extra),
  });
const byCas = (extra: Query) => (): Query => ({ RegionId: 'cn-hangzhou', ...extra });
const junk = (bytes: number) => randomBytes(bytes).toString('latin1');
const rsaPair = (m: Material) => m.byKey['RSA PKCS#1'];

const UPLOAD_REJECTIONS: Record<string, Rejection> = {
  'a missing RegionId': [withPair({ RegionId: undefined }), 'MissingParameter', MESSAGES.missingRegion],
  'a region the account lacks': [withPair({ RegionId: 'eu-central-9' }), 'InvalidRegionId.NotFound', MESSAGES.region, 404],
  'a certificate without a key': [withPair({ PrivateKey: undefined }), 'InvalidParameter', MESSAGES.empty],
  'a key without a certificate': [withPair({ ServerCertificate: undefined }), 'InvalidParameter', MESSAGES.empty],
  'a blank key': [withPair({ PrivateKey: '  ' }), 'InvalidParameter', MESSAGES.empty],
  'text that is no certificate': [withPair({ ServerCertificate: 'hello' }), 'InvalidParameter', MESSAGES.certificateFormat],
  'a PEM block of junk': [
    withPair({ ServerCertificate: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n' }),
    'InvalidParameter',
    MESSAGES.certificateFormat,
  ],
  'binary junk as certificate': [withPair(() => ({ ServerCertificate: junk(3000) })), 'InvalidParameter', MESSAGES.certificateFormat],
  'a number as certificate': [withPair({ ServerCertificate: 12345 }), 'InvalidParameter', MESSAGES.certificateFormat],
  '60 KB of text as certificate': [withPair({ ServerCertificate: 'A'.repeat(60_000) }), 'InvalidParameter', MESSAGES.certificateFormat],
  'a certificate in place of the key': [withPair((m) => ({ PrivateKey: m.other.certificatePem })), 'InvalidParameter', MESSAGES.keyFormat],
  'binary junk as key': [withPair(() => ({ PrivateKey: junk(2000) })), 'InvalidParameter', MESSAGES.keyFormat],
  'an encrypted PKCS#8 key': [
    withPair((m) => ({ ServerCertificate: rsaPair(m).certificatePem, PrivateKey: m.encryptedPkcs8 })),
    'PrivateKeyEncryption',
    MESSAGES.encrypted,
  ],
  'an encrypted PKCS#1 key': [
    withPair((m) => ({ ServerCertificate: rsaPair(m).certificatePem, PrivateKey: m.encryptedPkcs1 })),
    'PrivateKeyEncryption',
    MESSAGES.encrypted,
  ],
  "another certificate's key": [withPair((m) => ({ PrivateKey: m.other.privateKeyPem })), 'CertificateNotMatchPrivateKey', MESSAGES.mismatch],
  'an unknown AliCloudCertificateId': [byCas({ AliCloudCertificateId: '99999999' }), 'InvalidParameter', MESSAGES.resource],
  'a CAS certificate looked up in another region': [
    byCas({ AliCloudCertificateId: DEMO.casCertificates.www, AliCloudCertificateRegionId: 'ap-southeast-1' }),
    'InvalidParameter',
    MESSAGES.resource,
  ],
  'a CAS id together with PEMs': [withPair({ AliCloudCertificateId: DEMO.casCertificates.www }), 'InvalidParameter', MESSAGES.both],
  'a CAS name together with PEMs': [withPair({ AliCloudCertificateName: 'label' }), 'InvalidParameter', MESSAGES.both],
  'neither PEMs nor a CAS id': [byCas({ ServerCertificateName: 'nothing' }), 'InvalidParameter', MESSAGES.neither],
  'a CAS name without its id': [byCas({ AliCloudCertificateName: 'label' }), 'InvalidParameter', MESSAGES.neither],
  'an 81-character name': [withPair({ ServerCertificateName: 'a'.repeat(81) }), 'InvalidParameterLength', MESSAGES.length],
  'an 81-character CAS name': [
    byCas({ AliCloudCertificateId: DEMO.casCertificates.www, AliCloudCertificateName: 'c'.repeat(81) }),
    'InvalidParameterLength',
    MESSAGES.length,
  ],
  'a name with a space': [withPair({ ServerCertificateName: 'my cert' }), 'InvalidParameter', MESSAGES.name],
  'a name starting with a digit': [withPair({ ServerCertificateName: 3.14 }), 'InvalidParameter', MESSAGES.name],
  'a malformed resource group': [withPair({ ResourceGroupId: 'group one' }), 'InvalidParameter', MESSAGES.group],
};

const DELETE_REJECTIONS: Record<string, Rejection> = {
  'no id': [() => ({ RegionId: 'cn-shanghai' }), 'InvalidParameter', MESSAGES.idEmpty],
  'an unknown id': [() => ({ ServerCertificateId: 'nope' }), 'InvalidParameter', MESSAGES.idNotSupported],
  'the id of another region': [
    () => ({ RegionId: 'cn-hangzhou', ServerCertificateId: DEMO_SHANGHAI }),
    'InvalidParameter',
    MESSAGES.idNotSupported,
  ],
  'an unknown region': [
    () => ({ RegionId: 'xx-nowhere-1', ServerCertificateId: DEMO_SHANGHAI }),
    'InvalidRegionId.NotFound',
    MESSAGES.region,
    404,
  ],
  'binary junk as id': [() => ({ ServerCertificateId: junk(500) }), 'InvalidParameter', MESSAGES.idNotSupported],
};

/** A rename of the cn-shanghai demo certificate, with `extra` over it. */
const rename =
  (extra: Query) =>
  (): Query => ({ RegionId: 'cn-shanghai', ServerCertificateId: DEMO_SHANGHAI, ServerCertificateName: 'x', ...extra });

const RENAME_REJECTIONS: Record<string, Rejection> = {
  'no RegionId': [rename({ RegionId: undefined }), 'MissingParameter', MESSAGES.missingRegion],
  'no id': [rename({ ServerCertificateId: undefined }), 'InvalidParameter', MESSAGES.idEmpty],
  'no name': [rename({ ServerCertificateName: undefined }), 'MissingParameter', MESSAGES.missingName],
  'an unknown id': [rename({ ServerCertificateId: 'nope' }), 'InvalidParameter', MESSAGES.idNotSupported],
  'the id of another region': [rename({ RegionId: 'cn-hangzhou' }), 'InvalidParameter', MESSAGES.idNotSupported],
  'an unknown region': [rename({ RegionId: 'xx-nowhere-1' }), 'InvalidRegionId.NotFound', MESSAGES.region, 404],
  'an 81-character name': [rename({ ServerCertificateName: 'b'.repeat(81) }), 'InvalidParameterLength', MESSAGES.length],
  'a name with a space': [rename({ ServerCertificateName: 'new name' }), 'InvalidParameter', MESSAGES.name],
};

describe.each(['v3', 'v2'] as const)('SLB server certificates over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let slb: AlibabaTestClient;
  const list = async (regionId = 'cn-hangzhou', filter: Record<string, string> = {}) =>
    (await slb.call<DescribeBody>('DescribeServerCertificates', { RegionId: regionId, ...filter })).ServerCertificates.ServerCertificate;
  const everything = async () => [await list('cn-hangzhou'), await list('cn-shanghai')];

  beforeAll(async () => {
    emulator = await startTestEmulator();
    slb = new AlibabaTestClient(emulator, 'SLB', { scheme });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it.each(Object.keys(KEY_VARIANTS) as KeyVariant[])('uploads a certificate with an %s key and reports what openssl reads', async (variant) => {
    const pair = material.byKey[variant];
    const facts = opensslFacts(pair.certificatePem);
    const before = Date.now();
    const body = await slb.call<Item>('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pairParams(pair) });
    const uploaded = {
      ServerCertificateName: facts.commonName,
      Fingerprint: facts.fingerprintSha1,
      CommonName: facts.commonName,
      SubjectAlternativeNames: { SubjectAlternativeName: facts.dnsNames },
      ExpireTime: facts.notAfter,
      ExpireTimeStamp: Date.parse(facts.notAfter),
      IsAliCloudCertificate: 0,
      AliCloudCertificateId: '',
      AliCloudCertificateName: '',
      RegionId: 'cn-hangzhou',
      RegionIdAlias: 'cn-hangzhou',
      ResourceGroupId: 'rg-acfmdemo0000001',
    };
    expect(body).toMatchObject(uploaded);
    expect(body.ServerCertificateId).toMatch(new RegExp(`^${UID}_[0-9a-f]{11}_\\d{10}_\\d{9}$`));
    expect(body.CreateTimeStamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(body.CreateTimeStamp).toBeLessThanOrEqual(Date.now());
    expect(body.CreateTime).toBe(new Date(body.CreateTimeStamp as number).toISOString().replace('.000Z', 'Z'));

    const listed = await list();
    expect(ids(listed)).toEqual([...DEMO_HANGZHOU, body.ServerCertificateId]);
    const { RequestId: _requestId, ...fields } = body;
    expect(listed[2]).toEqual({ ...fields, Tags: { Tag: [] } });
  });

  it('uploads an RSA chain of more than 16 KiB through the query string', async () => {
    const chain = material.bigLeaf.certificatePem + material.ca.certificatePem;
    const key = material.bigLeaf.privateKeyPem;
    expect(key).toContain('BEGIN RSA PRIVATE KEY');
    expect(encodeURIComponent(chain).length + encodeURIComponent(key).length).toBeGreaterThan(16 * 1024);
    const facts = opensslFacts(material.bigLeaf.certificatePem);
    const body = await slb.call<Item>('UploadServerCertificate', { RegionId: 'cn-shanghai', ServerCertificate: chain, PrivateKey: key });
    expect(facts.dnsNames).toHaveLength(420);
    expect(body).toMatchObject({
      CommonName: 'chain.example.test',
      Fingerprint: facts.fingerprintSha1,
      ExpireTime: facts.notAfter,
      SubjectAlternativeNames: { SubjectAlternativeName: facts.dnsNames },
      RegionId: 'cn-shanghai',
    });
    expect(ids(await list('cn-shanghai'))).toEqual([DEMO_SHANGHAI, DEMO_SHANGHAI_LISTENER, body.ServerCertificateId]);
  });

  it('uploads a CAS certificate by AliCloudCertificateId, named after its common name and CAS entry', async () => {
    const wildcard = DEMO.casCertificates.wildcard;
    const body = await slb.call<Item>('UploadServerCertificate', { RegionId: 'cn-shanghai', AliCloudCertificateId: wildcard });
    expect(body).toMatchObject({
      IsAliCloudCertificate: 1,
      AliCloudCertificateId: wildcard,
      AliCloudCertificateName: 'wildcard-example-com',
      CommonName: '*.example.com',
      ServerCertificateName: '*.example.com',
      SubjectAlternativeNames: { SubjectAlternativeName: ['*.example.com', 'example.com'] },
      RegionId: 'cn-shanghai',
    });
    expect(ids(await list('cn-shanghai'))).toEqual([DEMO_SHANGHAI, DEMO_SHANGHAI_LISTENER, body.ServerCertificateId]);
    expect(ids(await list('cn-hangzhou'))).toEqual(DEMO_HANGZHOU);
  });

  it('reports the facts of a seeded CAS certificate as openssl reads them', async () => {
    const seeded = makeCertificate({ commonName: 'cas.example.test', dnsNames: ['cas.example.test', 'www.cas.example.test'], days: 90 });
    const cas = { id: '31000001', name: 'cas-probe', region: 'ap-southeast-1', certificate: seeded.certificatePem };
    await emulator.admin('POST', 'seed', { regions: ['ap-southeast-1'], casCertificates: [cas] });
    const facts = opensslFacts(seeded.certificatePem);
    const body = await slb.call<Item>('UploadServerCertificate', {
      RegionId: 'ap-southeast-1',
      AliCloudCertificateId: '31000001',
      AliCloudCertificateRegionId: 'ap-southeast-1',
      AliCloudCertificateName: 'my-label',
      ServerCertificateName: 'cas-in-singapore',
      ResourceGroupId: 'rg-aek2probe',
    });
    expect(body).toMatchObject({
      Fingerprint: facts.fingerprintSha1,
      ExpireTimeStamp: Date.parse(facts.notAfter),
      SubjectAlternativeNames: { SubjectAlternativeName: facts.dnsNames },
      AliCloudCertificateName: 'my-label',
      ServerCertificateName: 'cas-in-singapore',
      ResourceGroupId: 'rg-aek2probe',
      IsAliCloudCertificate: 1,
    });
  });

  it('lists the demo certificates of a region in creation order with the documented fields', async () => {
    const hangzhou = await list('cn-hangzhou');
    expect(hangzhou.map((item) => [item.ServerCertificateId, item.ServerCertificateName, item.IsAliCloudCertificate])).toEqual([
      [DEMO_HANGZHOU[0], 'www-example-com', 0],
      [DEMO_HANGZHOU[1], 'wildcard-example-com', 1],
    ]);
    expect(Object.keys(hangzhou[1] ?? {}).sort()).toEqual(
      [
        'AliCloudCertificateId', 'AliCloudCertificateName', 'CommonName', 'CreateTime', 'CreateTimeStamp', 'ExpireTime', 'ExpireTimeStamp',
        'Fingerprint', 'IsAliCloudCertificate', 'RegionId', 'RegionIdAlias', 'ResourceGroupId', 'ServerCertificateId', 'ServerCertificateName',
        'SubjectAlternativeNames', 'Tags',
      ].sort(),
    );
    expect(hangzhou[1]).toMatchObject({ AliCloudCertificateId: DEMO.casCertificates.wildcard, Tags: { Tag: [] } });
    expect(hangzhou[0]?.Fingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(JSON.stringify(hangzhou)).not.toContain('BEGIN');
    expect(ids(await list('cn-shanghai'))).toEqual([DEMO_SHANGHAI, DEMO_SHANGHAI_LISTENER]);
  });

  it('filters the list by certificate id and by resource group', async () => {
    const wildcard = DEMO_HANGZHOU[1] as string;
    expect(ids(await list('cn-hangzhou', { ServerCertificateId: wildcard }))).toEqual([wildcard]);
    expect(await list('cn-hangzhou', { ServerCertificateId: DEMO_SHANGHAI })).toEqual([]);
    expect(ids(await list('cn-hangzhou', { ResourceGroupId: 'rg-acfmdemo0000002' }))).toEqual([wildcard]);
    expect(await list('cn-hangzhou', { ResourceGroupId: 'rg-unused' })).toEqual([]);
  });

  it('names an upload as asked, up to 80 characters, in the resource group asked', async () => {
    const name = `n${'a'.repeat(78)}z`;
    const pair = material.byKey['EC SEC1'];
    const asked = { ServerCertificateName: name, ResourceGroupId: 'rg-team42' };
    await slb.call('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pairParams(pair), ...asked });
    const inGroup = await list('cn-hangzhou', { ResourceGroupId: 'rg-team42' });
    expect(inGroup.map((item) => [item.ServerCertificateName, item.CommonName])).toEqual([[name, 'upload-2.example.test']]);
  });

  it('renames a certificate with the characters SetServerCertificateName allows', async () => {
    const www = { RegionId: 'cn-hangzhou', ServerCertificateId: DEMO_HANGZHOU[0] };
    const body = await slb.call('SetServerCertificateName', { ...www, ServerCertificateName: '*.prod/www_v2-1' });
    expect(body).toEqual({ RequestId: expect.any(String) });
    expect((await list()).map((item) => item.ServerCertificateName)).toEqual(['*.prod/www_v2-1', 'wildcard-example-com']);
    await slb.call('SetServerCertificateName', { ...www, ServerCertificateName: '9'.repeat(80) });
    expect((await list())[0]?.ServerCertificateName).toBe('9'.repeat(80));
  });

  it('deletes a certificate, with or without RegionId', async () => {
    const body = await slb.call('DeleteServerCertificate', { RegionId: 'cn-hangzhou', ServerCertificateId: DEMO_HANGZHOU[0] });
    expect(body).toEqual({ RequestId: expect.any(String) });
    await slb.call('DeleteServerCertificate', { ServerCertificateId: DEMO_SHANGHAI });
    expect(ids(await list('cn-hangzhou'))).toEqual([DEMO_HANGZHOU[1]]);
    expect(ids(await list('cn-shanghai'))).toEqual([DEMO_SHANGHAI_LISTENER]);
    const again = await slb.fail('DeleteServerCertificate', { ServerCertificateId: DEMO_SHANGHAI });
    expectError(again, 'InvalidParameter', 400, MESSAGES.idNotSupported);
  });

  it.each(Object.keys(UPLOAD_REJECTIONS))('refuses an upload with %s and stores nothing', async (name) => {
    const [params, code, message, status = 400] = UPLOAD_REJECTIONS[name] as Rejection;
    const before = await everything();
    expectError(await slb.fail('UploadServerCertificate', params(material)), code, status, message);
    expect(await everything()).toEqual(before);
  });

  it('refuses Describe without RegionId or with an unknown one', async () => {
    expectError(await slb.fail('DescribeServerCertificates'), 'MissingParameter', 400, MESSAGES.missingRegion);
    expectError(await slb.fail('DescribeServerCertificates', { RegionId: 42 }), 'InvalidRegionId.NotFound', 404, MESSAGES.region);
  });

  it.each(Object.keys(DELETE_REJECTIONS))('refuses a delete with %s and deletes nothing', async (name) => {
    const [params, code, message, status = 400] = DELETE_REJECTIONS[name] as Rejection;
    const before = await everything();
    expectError(await slb.fail('DeleteServerCertificate', params(material)), code, status, message);
    expect(await everything()).toEqual(before);
  });

  it.each(Object.keys(RENAME_REJECTIONS))('refuses a rename with %s and renames nothing', async (name) => {
    const [params, code, message, status = 400] = RENAME_REJECTIONS[name] as Rejection;
    const before = await everything();
    expectError(await slb.fail('SetServerCertificateName', params(material)), code, status, message);
    expect(await everything()).toEqual(before);
  });
});

describe('SLB server certificates beyond the main flows', () => {
  let emulator: TestEmulator;
  let stateDir: string;
  let slb: AlibabaTestClient;
  const hangzhou = async () =>
    (await slb.call<DescribeBody>('DescribeServerCertificates', { RegionId: 'cn-hangzhou' })).ServerCertificates.ServerCertificate;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'slb-state-'));
    emulator = await startTestEmulator({ stateFile: join(stateDir, 'state.json') });
    slb = new AlibabaTestClient(emulator, 'SLB');
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps the uploaded certificate but never the private key', async () => {
    const pair = material.byKey['RSA PKCS#8'];
    await slb.call('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pairParams(pair) });
    const saved = readFileSync(join(stateDir, 'state.json'), 'utf8');
    const secondLine = (text: string) => text.split('\n')[1] as string;
    expect(saved).toContain(secondLine(pair.certificatePem));
    expect(saved).not.toContain(secondLine(pair.privateKeyPem));
  });

  it('stamps CreateTime with the emulated clock', async () => {
    await emulator.admin('POST', 'clock', { advanceSeconds: 86_400 });
    const body = await slb.call<Item>('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pairParams(material.byKey['EC SEC1']) });
    expect(body.CreateTimeStamp as number).toBeGreaterThan(Date.now() + 86_000_000);
  });

  it('answers 100 KB values in a JSON body with documented codes', async () => {
    const huge = 'Z'.repeat(100_000);
    const pair = pairParams(material.byKey['EC PKCS#8']);
    const before = await hangzhou();
    const upload = (params: Record<string, string>) =>
      slb.fail('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pair, ...params }, { jsonBody: true });
    expectError(await upload({ ServerCertificate: huge }), 'InvalidParameter', 400, MESSAGES.certificateFormat);
    expectError(await upload({ PrivateKey: huge }), 'InvalidParameter', 400, MESSAGES.keyFormat);
    expectError(await upload({ ServerCertificateName: huge }), 'InvalidParameterLength', 400, MESSAGES.length);
    expectError(await upload({ RegionId: huge }), 'InvalidRegionId.NotFound', 404, MESSAGES.region);
    const deletion = await slb.fail('DeleteServerCertificate', { ServerCertificateId: huge }, { jsonBody: true });
    expectError(deletion, 'InvalidParameter', 400, MESSAGES.idNotSupported);
    expect(await hangzhou()).toEqual(before);
  });

  it('refuses a signature made with the wrong secret with SignatureDoesNotMatch', async () => {
    const intruder = new AlibabaTestClient(emulator, 'SLB', { accessKeySecret: 'wrong-secret' });
    const error = await intruder.fail('UploadServerCertificate', { RegionId: 'cn-hangzhou', ...pairParams(material.byKey['EC PKCS#8']) });
    expectError(error, 'SignatureDoesNotMatch', 400);
    expect(await hangzhou()).toHaveLength(2);
  });

  it('refuses an unknown access key with InvalidAccessKeyId.NotFound', async () => {
    const stranger = new AlibabaTestClient(emulator, 'SLB', { accessKeyId: 'stranger', accessKeySecret: 'x' });
    const error = await stranger.fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' });
    expectError(error, 'InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
  });
});
