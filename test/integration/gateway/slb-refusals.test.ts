import { X509Certificate } from 'node:crypto';
import { encodeCertificateId } from '../../../src/domain/global-id';
import {
  CertificateDocument,
  DeleteCertificateDocument,
  RenameCertificateDocument,
  UploadServerCertificateDocument,
} from '../../generated/graphql';
import { AlibabaTestClient, type CloudError } from '../../helpers/alibaba-client';
import { expectNothingLeaks, onlyError, type ErrorExtensions } from '../../helpers/answers';
import { gatewaysPerTest, type TestGateway } from '../../helpers/gateway';
import { makeCertificate, type TestCertificate } from '../../helpers/openssl';

/** The cn-shanghai demo certificate. */
const SHANGHAI_ID = '1231579085529123_18b5e2c1a42_1714763410_709981432';
const serverId = (nativeId: string, regionId = 'cn-shanghai') => encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId, nativeId });
const UNKNOWN_ID = '1231579085529123_18b5e2c1a4f_1714763499_709981499';

interface Refusal {
  code: string;
  message: string;
}

const fromCloud = (error: CloudError): Refusal => ({ code: error.code, message: String(error.data?.Message) });
const fromGateway = (extensions: ErrorExtensions, message: string): Refusal => ({ code: extensions.code, message });

describe('SLB refusals: the gateway answers what SLB (the emulator) answers for the same input', () => {
  const cloud = gatewaysPerTest();
  let gateway: TestGateway;
  let slb: AlibabaTestClient;
  let pair: TestCertificate;

  beforeAll(() => {
    pair = makeCertificate({ commonName: 'lb.example.com', dnsNames: ['lb.example.com'] });
  });
  beforeEach(async () => {
    gateway = await cloud.gatewayWith();
    slb = new AlibabaTestClient(cloud.emulator, 'SLB');
  });

  /** The gateway's refusal of an upload, checked to have cost no cloud call. */
  async function gatewayUpload(input: { serverCertificate: string; name?: string }): Promise<Refusal> {
    await cloud.emulator.admin('DELETE', 'stats');
    const answer = await gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', privateKey: pair.privateKeyPem, ...input } });
    const error = onlyError(answer);
    expect(error.extensions).toMatchObject({ category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'SLB', action: 'UploadServerCertificate', retryable: false });
    expect(await cloud.emulator.stats()).toEqual({});
    expectNothingLeaks(answer.text);
    return fromGateway(error.extensions as unknown as ErrorExtensions, error.message);
  }

  /** The emulator's answer to the same upload; a JSON body carries values too large for a URL. */
  async function cloudUpload(input: { serverCertificate: string; name?: string }): Promise<Refusal> {
    const params = { RegionId: 'cn-hangzhou', ServerCertificate: input.serverCertificate, PrivateKey: pair.privateKeyPem, ServerCertificateName: input.name };
    return fromCloud(await slb.fail('UploadServerCertificate', params, { jsonBody: true }));
  }

  describe('a server certificate that does not parse', () => {
    const certificates: Array<[string, () => string]> = [
      ['text that is no certificate', () => 'not a certificate'],
      ['a DER certificate', () => new X509Certificate(pair.certificatePem).raw.toString('latin1')],
      ['a base64 DER certificate without PEM armour', () => new X509Certificate(pair.certificatePem).raw.toString('base64')],
      ['a PEM block of junk', () => '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'],
    ];

    it.each(certificates)('is refused for %s with InvalidParameter "ServerCertificate format is error", as SLB refuses it', async (_name, make) => {
      const serverCertificate = make();
      const expected: Refusal = { code: 'InvalidParameter', message: 'The specified parameter ServerCertificate format is error.' };

      expect(await cloudUpload({ serverCertificate })).toEqual(expected);
      expect(await gatewayUpload({ serverCertificate })).toEqual(expected);
    });
  });

  describe('server certificate names', () => {
    const length: Refusal = { code: 'InvalidParameterLength', message: 'The specified parameter length is not valid.' };
    const invalid: Refusal = { code: 'InvalidParameter', message: 'The specified parameter ServerCertificateName is not valid.' };

    it.each<[string, string, Refusal]>([
      ['of 81 characters', 'a'.repeat(81), length],
      ['of 100 KB', 'n'.repeat(100_000), length],
      ['with a space', 'my cert', invalid],
      ['with a leading digit', '1cert', invalid],
    ])('refuses an uploaded name %s before any call, as SLB refuses it', async (_name, name, expected) => {
      expect(await cloudUpload({ serverCertificate: pair.certificatePem, name })).toEqual(expected);
      expect(await gatewayUpload({ serverCertificate: pair.certificatePem, name })).toEqual(expected);
    });

    it.each<[string, string, Refusal]>([
      ['of 81 characters', 'b'.repeat(81), length],
      ['of 100 KB', 'b'.repeat(100_000), length],
      ['with a space', 'new name', invalid],
    ])('refuses a new name %s before any call, as SLB refuses it', async (_name, name, expected) => {
      const direct = await slb.fail('SetServerCertificateName', { RegionId: 'cn-shanghai', ServerCertificateId: SHANGHAI_ID, ServerCertificateName: name }, { jsonBody: true });
      await cloud.emulator.admin('DELETE', 'stats');

      const answer = await gateway.execute(RenameCertificateDocument, { id: serverId(SHANGHAI_ID), name });

      const error = onlyError(answer);
      expect(fromCloud(direct)).toEqual(expected);
      expect(fromGateway(error.extensions as unknown as ErrorExtensions, error.message)).toEqual(expected);
      expect(error.extensions).toMatchObject({ httpStatus: 400, provider: 'SLB', action: 'SetServerCertificateName', retryable: false });
      expect(await cloud.emulator.stats()).toEqual({});
    });

    it('takes names of 1 and 80 characters, and a new name with the characters SetServerCertificateName allows', async () => {
      for (const name of ['a', `c${'x'.repeat(79)}`]) {
        const answer = await gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem, privateKey: pair.privateKeyPem, name } });
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.uploadServerCertificate.name).toBe(name);
      }
      const renamed = await gateway.execute(RenameCertificateDocument, { id: serverId(SHANGHAI_ID), name: '证书/api.example.com_*-2' });
      expect(renamed.errors).toBeUndefined();
      expect(renamed.data?.renameCertificate.name).toBe('证书/api.example.com_*-2');
    });
  });

  describe('a server certificate id SLB does not know', () => {
    it('is Certificate.NotFound for a read, a rename and a delete alike, while SLB answers its documented InvalidParameter', async () => {
      const id = serverId(UNKNOWN_ID);
      const documented = { code: 'InvalidParameter', message: 'The specified parameter ServerCertificateId is not Support.' };
      expect(fromCloud(await slb.fail('DeleteServerCertificate', { RegionId: 'cn-shanghai', ServerCertificateId: UNKNOWN_ID }))).toEqual(documented);
      expect(fromCloud(await slb.fail('SetServerCertificateName', { RegionId: 'cn-shanghai', ServerCertificateId: UNKNOWN_ID, ServerCertificateName: 'x' }))).toEqual(documented);

      const read = await gateway.execute(CertificateDocument, { id });
      const renamed = await gateway.execute(RenameCertificateDocument, { id, name: 'renamed' });
      const deleted = await gateway.execute(DeleteCertificateDocument, { id });

      const notFound = { code: 'Certificate.NotFound', category: 'NOT_FOUND', provider: 'SLB', retryable: false };
      expect(onlyError(read)).toMatchObject({ message: 'The specified server certificate does not exist.', extensions: { ...notFound, action: 'DescribeServerCertificates' } });
      expect(onlyError(renamed)).toMatchObject({ message: 'The specified server certificate does not exist.', extensions: { ...notFound, action: 'SetServerCertificateName' } });
      expect(onlyError(deleted)).toMatchObject({ message: 'The specified server certificate does not exist.', extensions: { ...notFound, action: 'DeleteServerCertificate' } });
    });

    it('keeps the documented InvalidParameter for a bad name on a known certificate', async () => {
      const answer = await gateway.execute(RenameCertificateDocument, { id: serverId(SHANGHAI_ID, 'cn-shanghai'), name: 'bad name' });
      expect(onlyError(answer).extensions).toMatchObject({ code: 'InvalidParameter' });
    });
  });
});
