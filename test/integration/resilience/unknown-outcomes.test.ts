import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  RenameCertificateDocument,
  ServerCertificatesDocument,
  SiteWithCertificatesDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { expectNothingLeaks, onlyError } from '../../helpers/answers';
import { startTestEmulator } from '../../helpers/emulator';
import { startTestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const SITE = DEMO.sites.example;
const REGION = 'cn-shanghai';

/** Polls the emulator until `done` holds: the slow call it is still working on has finished. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (await done()) return;
    await sleep(50);
  }
  throw new Error(`${what} did not happen within 10 s`);
}

describe('a change whose outcome is unknown', () => {
  // The deadline is well below the emulator's delay, so the gateway gives up while the emulator works on.
  const instances = twoGatewaysOnOneRedis({ upstreamTimeoutMs: 500 });

  it('says the outcome is unknown, not worth a blind retry, and forgets the cached site list the upload changed', async () => {
    const { emulator, first, second } = instances;
    const own = makeCertificate({ commonName: 'slow-upload.example.com', dnsNames: ['slow-upload.example.com'] });
    const listed = await second.execute(SiteWithCertificatesDocument, { id: SITE });
    const before = listed.data?.site?.certificates.totalCount ?? 0;
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'SetCertificate', latencyMs: 1_500, count: 1 });

    const answer = await first.execute(UploadSiteCertificateDocument, {
      input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'slow-upload' },
    });

    expect(answer.data).toBeNull();
    expect(onlyError(answer).extensions).toEqual({
      code: 'UPSTREAM_TIMEOUT',
      category: 'UPSTREAM_UNAVAILABLE',
      httpStatus: 504,
      provider: 'ESA',
      action: 'SetCertificate',
      retryable: false,
    });
    expect(onlyError(answer).message).toMatch(/^The outcome is unknown: .*check before trying again\.$/);
    expectNothingLeaks(answer.text);

    // The cloud made the change all the same.
    const esa = new AlibabaTestClient(emulator, 'ESA');
    const names = async () => (await esa.call<{ Result: Array<{ Name?: string }> }>('ListCertificates', { SiteId: SITE })).Result.map((item) => item.Name);
    await until(async () => (await names()).includes('slow-upload'), 'the slow SetCertificate');

    const after = await second.execute(SiteWithCertificatesDocument, { id: SITE });
    expect(after.data?.site?.certificates.totalCount).toBe(before + 1);
    expect(after.data?.site?.certificates.nodes.map((certificate) => certificate.commonName)).toContain('slow-upload.example.com');
  });

  it('forgets the cached certificate and region list of an SLB rename that timed out', async () => {
    const { emulator, first, second } = instances;
    const listed = await second.execute(ServerCertificatesDocument, { regionId: REGION });
    const id = listed.data?.serverCertificates[0]?.id ?? '';
    await emulator.admin('POST', 'faults', { product: 'SLB', action: 'SetServerCertificateName', latencyMs: 1_500, count: 1 });

    const answer = await first.execute(RenameCertificateDocument, { id, name: 'renamed-slowly' });

    expect(onlyError(answer).extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', action: 'SetServerCertificateName', retryable: false });
    const slb = new AlibabaTestClient(emulator, 'SLB');
    const names = async () =>
      (await slb.call<{ ServerCertificates: { ServerCertificate: Array<{ ServerCertificateName: string }> } }>('DescribeServerCertificates', { RegionId: REGION }))
        .ServerCertificates.ServerCertificate.map((item) => item.ServerCertificateName);
    await until(async () => (await names()).includes('renamed-slowly'), 'the slow SetServerCertificateName');
    const after = await second.execute(ServerCertificatesDocument, { regionId: REGION });
    expect(after.data?.serverCertificates.map((certificate) => certificate.name)).toContain('renamed-slowly');
  });

  it('keeps a change the cloud never received worth retrying: nothing was sent', async () => {
    const gone = await startTestEmulator();
    const gateway = await startTestGateway(gone);
    await gone.stop();
    const own = makeCertificate({ commonName: 'never-sent.example.com' });

    const answer = await gateway
      .execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } })
      .finally(() => gateway.stop());

    expect(onlyError(answer).extensions).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', action: 'SetCertificate', retryable: true });
    expect(onlyError(answer).message).not.toContain('outcome is unknown');
  });
});
