import { type TestGateway } from './gateway';

/** The gateway's own count of answers served from memory (`hit`), executed (`miss`) and kept (`kept`). */
export async function answerCounts(gateway: TestGateway): Promise<Record<string, number>> {
  const metric = await gateway.metrics.registry.getSingleMetric('gateway_response_cache_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((value) => [value.labels.result, value.value]));
}

/** Whether the gateway hears invalidations, and so keeps certificates and answers in memory. */
export async function hearsInvalidations(gateway: TestGateway): Promise<boolean> {
  const metric = await gateway.metrics.registry.getSingleMetric('gateway_local_cache_live')?.get();
  return metric?.values[0]?.value === 1;
}

/** Polls `condition` every 20 ms for up to 5 s. */
export async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
