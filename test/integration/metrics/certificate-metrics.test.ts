import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { untyped } from '../../helpers/callers';
import { parseExposition, samplesNamed, type Sample } from '../../helpers/prometheus-text';

interface Node {
  id: string;
  provider: string;
  kind: string;
  regionId: string | null;
  commonName: string | null;
  status: string;
  notAfter: string | null;
  renewalDueAt: string | null;
}

const PAGE = `query Page($after: String) {
  certificates(first: 100, after: $after) {
    edges { node { id provider kind regionId commonName status notAfter renewalDueAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function everyCertificate(gateway: TestGateway): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: { data?: unknown; errors?: unknown } = await gateway.execute(untyped(PAGE), { after });
    expect(answer.errors).toBeUndefined();
    const page = (answer.data as { certificates: { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).certificates;
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

async function scrape(gateway: TestGateway): Promise<{ contentType: string | null; samples: Sample[] }> {
  const response = await fetch(`${gateway.url}/metrics`);
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type'), samples: parseExposition(await response.text()) };
}

describe('/metrics on a gateway after its first sweep', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator);
  });

  afterAll(async () => {
    await gateway?.stop();
    await emulator?.stop();
  });

  it('holds one expiration series per certificate of the inventory, labelled as the API describes it', async () => {
    const certificates = await everyCertificate(gateway);
    expect(certificates.length).toBeGreaterThan(3);
    const { contentType, samples } = await scrape(gateway);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    const expirations = new Map(samplesNamed(samples, 'gateway_certificate_expiration_timestamp_seconds').map((sample) => [sample.labels.id, sample]));
    const dated = certificates.filter((certificate) => certificate.notAfter !== null);
    expect([...expirations.keys()].sort()).toEqual(dated.map((certificate) => certificate.id).sort());
    for (const certificate of dated) {
      const entry = gateway.inventory.view.get(certificate.id);
      const series = expirations.get(certificate.id);
      expect(series?.labels).toEqual({
        id: certificate.id,
        account: entry?.accountId,
        provider: certificate.provider,
        kind: certificate.kind,
        site: entry?.certificate.ref.provider === 'ESA' ? entry.certificate.ref.siteId : '',
        region: certificate.regionId ?? '',
        common_name: certificate.commonName ?? '',
        status: certificate.status,
      });
      expect(series?.value).toBe(Date.parse(certificate.notAfter as string) / 1000);
    }

    const renewals = samplesNamed(samples, 'gateway_certificate_renewal_timestamp_seconds');
    const due = certificates.filter((certificate) => certificate.renewalDueAt !== null);
    expect(renewals.map((sample) => [sample.labels.id, sample.value]).sort()).toEqual(due.map((certificate) => [certificate.id, Date.parse(certificate.renewalDueAt as string) / 1000]).sort());
  });

  it('counts the certificates by provider, kind and status, and tells when the sweep finished', async () => {
    const certificates = await everyCertificate(gateway);
    const { samples } = await scrape(gateway);
    const counted = samplesNamed(samples, 'gateway_certificates').filter((sample) => sample.value > 0);
    const expected = new Map<string, number>();
    for (const { provider, kind, status } of certificates) expected.set(`${provider} ${kind} ${status}`, (expected.get(`${provider} ${kind} ${status}`) ?? 0) + 1);
    expect(Object.fromEntries(counted.map((sample) => [`${sample.labels.provider} ${sample.labels.kind} ${sample.labels.status}`, sample.value]))).toEqual(Object.fromEntries(expected));

    const finished = gateway.inventory.status().lastSweepFinishedAt;
    expect(finished).toBeDefined();
    expect(samplesNamed(samples, 'gateway_inventory_last_sweep_timestamp_seconds').map((sample) => sample.value)).toEqual([(finished as Date).getTime() / 1000]);
  });

  it('makes no cloud call to answer a scrape', async () => {
    await emulator.admin('DELETE', 'stats');
    await scrape(gateway);
    await scrape(gateway);
    expect(await emulator.stats()).toEqual({});
  });
});
