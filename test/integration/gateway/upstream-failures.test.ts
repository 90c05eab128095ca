import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  CertificateDocument,
  CreateClientCertificateDocument,
  SchemaQueryTypeDocument,
  ServerCertificatesDocument,
  SitesDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, REQUEST_ID } from '../../helpers/answers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { gatewaysPerTest, startTestGateway, type TestGateway } from '../../helpers/gateway';

const SITE = DEMO.sites.example;
const WRONG_SECRET = 'not-the-emulator-secret-7c41';

describe('a cloud that fails', () => {
  const cloud = gatewaysPerTest();
  const { gatewayWith } = cloud;
  let emulator: TestEmulator;
  beforeAll(() => ({ emulator } = cloud));

  it('reports ServiceUnavailable as UPSTREAM_UNAVAILABLE, worth a retry', async () => {
    const gateway = await gatewayWith();
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'ListSites', status: 503, code: 'ServiceUnavailable' });

    const answer = await gateway.execute(SitesDocument);

    expect(answer.data).toBeNull();
    expect(onlyError(answer)).toMatchObject({ path: ['sites'], message: 'The request has failed due to a temporary failure of the server.' });
    expect(onlyError(answer).extensions).toEqual({
      code: 'ServiceUnavailable',
      category: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 503,
      provider: 'ESA',
      action: 'ListSites',
      requestId: REQUEST_ID,
      retryable: true,
    });
    expectNothingLeaks(answer.text);
  });

  it('reports Throttling.User as THROTTLED, worth a retry', async () => {
    const gateway = await gatewayWith();
    await emulator.admin('POST', 'faults', { product: 'SLB', action: 'DescribeServerCertificates', status: 400, code: 'Throttling.User' });

    // A certificate's own read goes to the cloud (the region's list is the inventory's).
    const id = encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430' });
    const answer = await gateway.execute(CertificateDocument, { id });

    expect(onlyError(answer).extensions).toEqual({
      code: 'Throttling.User',
      category: 'THROTTLED',
      httpStatus: 400,
      provider: 'SLB',
      action: 'DescribeServerCertificates',
      requestId: REQUEST_ID,
      retryable: true,
    });
    expectNothingLeaks(answer.text);
  });

  it('reports InternalError of a mutation as UPSTREAM_UNAVAILABLE, and calls the cloud once', async () => {
    const gateway = await gatewayWith();
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'CreateClientCertificate', status: 500, code: 'InternalError' });

    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'ECDSA', validityDays: 30 } });

    expect(onlyError(answer).extensions).toEqual({
      code: 'InternalError',
      category: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 500,
      provider: 'ESA',
      action: 'CreateClientCertificate',
      requestId: REQUEST_ID,
      retryable: true,
    });
    expect(await emulator.stats()).toEqual({ 'ESA.CreateClientCertificate': 1 });
    expectNothingLeaks(answer.text);
  });

  it('gives up on a call slower than the upstream timeout with UPSTREAM_TIMEOUT', async () => {
    const gateway = await gatewayWith({ upstreamTimeoutMs: 300 });
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'ListSites', latencyMs: 3_000 });

    const answer = await gateway.execute(SitesDocument);

    expect(answer.data).toBeNull();
    expect(onlyError(answer).extensions).toEqual({
      code: 'UPSTREAM_TIMEOUT',
      category: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 504,
      provider: 'ESA',
      action: 'ListSites',
      retryable: true,
    });
    expectNothingLeaks(answer.text);
  });

  it('reports a cloud that cannot be reached as UPSTREAM_UNREACHABLE', async () => {
    const gone = await startTestEmulator();
    const gateway = await startTestGateway(gone);
    await gone.stop();

    const answer = await gateway.execute(SitesDocument).finally(() => gateway.stop());

    expect(onlyError(answer).extensions).toEqual({
      code: 'UPSTREAM_UNREACHABLE',
      category: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 502,
      provider: 'ESA',
      action: 'ListSites',
      retryable: true,
    });
    expectNothingLeaks(answer.text);
  });

  it('reports credentials the cloud refuses as UNAUTHENTICATED, without the secret or the signature', async () => {
    const gateway = await gatewayWith({ credentials: { accessKeyId: 'emulator-key', accessKeySecret: WRONG_SECRET } });

    const esa = await gateway.execute(SitesDocument);
    const slb = await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' });

    expect(onlyError(esa).extensions).toEqual({
      code: 'Unauthorized.InvalidToken',
      category: 'UNAUTHENTICATED',
      httpStatus: 403,
      provider: 'ESA',
      action: 'ListSites',
      requestId: REQUEST_ID,
      retryable: false,
    });
    expect(onlyError(slb).extensions).toEqual({
      code: 'SignatureDoesNotMatch',
      category: 'UNAUTHENTICATED',
      httpStatus: 400,
      provider: 'SLB',
      action: 'DescribeServerCertificates',
      requestId: REQUEST_ID,
      retryable: false,
    });
    for (const answer of [esa, slb]) {
      expectNothingLeaks(answer.text, [WRONG_SECRET, 'string to sign', 'ACS3-HMAC-SHA256']);
    }
  });
});

describe('a production gateway', () => {
  let emulator: TestEmulator;
  let production: TestGateway;
  let development: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    production = await startTestGateway(emulator, { production: true, introspection: false });
    development = await startTestGateway(emulator);
  });
  afterAll(async () => {
    await production.stop();
    await development.stop();
    await emulator.stop();
  });

  it('refuses introspection, which a development gateway answers', async () => {
    expect((await development.execute(SchemaQueryTypeDocument)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });

    const answer = await production.execute(SchemaQueryTypeDocument);

    expect(answer.data ?? null).toBeNull();
    expect(onlyError(answer).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'GATEWAY', retryable: false });
    expectNothingLeaks(answer.text);
  });

  it('serves no Sandbox page to a browser', async () => {
    const response = await fetch(production.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });

  it('still tells a caller what was wrong with their input: documented errors are not masked', async () => {
    const answer = await production.execute(CertificateDocument, { id: 'junk' });

    expect(onlyError(answer)).toMatchObject({
      message: 'The specified parameter is invalid. The certificate id is not one this gateway issued.',
      extensions: { code: 'InvalidParameter', category: 'BAD_USER_INPUT', provider: 'GATEWAY' },
    });
    expectNothingLeaks(answer.text);
  });
});
