import { DEMO } from '../../src/emulator/state/demo';
import { type BenchEnvironment, type SeededCertificate } from '../environment';
import { CERTIFICATE_QUERY, CERTIFICATES_QUERY, SITES_CERTIFICATES_QUERY } from '../queries';
import { type CallCount } from '../upstream';

export interface UpstreamCase {
  name: string;
  /** What the query asked for, in words. */
  shape: string;
  calls: number;
  byAction: Record<string, number>;
  /** The fewest calls that can answer it: distinct uncached ids, one per SLB region, list pages. */
  expected: number;
}

/**
 * Upstream API calls per query, counted by the emulator. Each case starts from an empty gateway
 * cache; "again" cases repeat the previous query with the cache as that query left it.
 */
export async function measureUpstreamCalls(env: BenchEnvironment, seeded: SeededCertificate[], log: (line: string) => void): Promise<UpstreamCase[]> {
  const cases: UpstreamCase[] = [];
  const count = async (name: string, shape: string, expected: number, cold: boolean, run: () => Promise<unknown>) => {
    if (cold) await env.redis.clearGatewayKeys();
    await env.stats.reset();
    await run();
    const calls: CallCount = await env.stats.read();
    cases.push({ name, shape, calls: calls.total, byAction: calls.calls, expected });
    log(`  ${name}: ${calls.total} upstream calls (fewest possible ${expected})`);
  };

  await count('one certificate', 'certificate(id:), cold', 1, true, () => env.session.expectData(CERTIFICATE_QUERY, { id: seeded[0]?.id }));

  const serverIds = await serverCertificateIds(env);
  const esaIds = seeded.slice(0, 100 - serverIds.length).map((certificate) => certificate.id);
  const distinct = [...esaIds, ...serverIds];
  const ids = [...distinct, ...distinct];
  const batch = async () => {
    const answer = await env.session.expectData(CERTIFICATES_QUERY, { ids });
    const list = answer.data.nodes as unknown[];
    if (list.length !== ids.length || list.some((entry) => entry === null)) throw new Error('nodes(ids:) left an id unanswered');
  };
  const shape = `nodes(ids:) with the PEM, ${distinct.length} distinct ids (${esaIds.length} ESA + ${serverIds.length} SLB in ${DEMO.regions.length} regions) x 2`;
  // SLB gives no PEM, and the inventory holds the rest of an SLB certificate: only the ESA ids need the cloud.
  await count('100 distinct + 100 repeated ids', `${shape}, cold`, esaIds.length, true, batch);
  await count('same ids query again', `${shape}, cached`, 0, false, batch);

  const siteIds = await activeSiteIds(env);
  // The sites come from ListSites; their certificates from the inventory, which reading never sends to the cloud.
  const sites = () => env.session.expectData(SITES_CERTIFICATES_QUERY);
  await count('sites { certificates }', `sites { certificates { nodes { id } } }, ${siteIds.length} sites, cold`, 1, true, sites);
  await count('same sites query again', 'sites { certificates { nodes { id } } }, cached', 0, false, sites);
  return cases;
}

/** The demo's SLB server certificates, in both regions, by their gateway ids. */
async function serverCertificateIds(env: BenchEnvironment): Promise<string[]> {
  const ids: string[] = [];
  for (const regionId of DEMO.regions) {
    const answer = await env.session.expectData('query($r: String!) { serverCertificates(regionId: $r) { id } }', { r: regionId });
    ids.push(...(answer.data.serverCertificates as Array<{ id: string }>).map((certificate) => certificate.id));
  }
  return ids;
}

async function activeSiteIds(env: BenchEnvironment): Promise<string[]> {
  const answer = await env.session.expectData('{ sites { id } }');
  return (answer.data.sites as Array<{ id: string }>).map((site) => site.id);
}
