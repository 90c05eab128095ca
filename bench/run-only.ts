import { startEnvironment } from './environment';
import { measureInventory } from './phases/inventory';
import { measureMetricsScrape } from './phases/metrics-scrape';
import { table } from './report-format';
import { inventoryErrors, inventoryTargets, printInventory } from './report-inventory';
import { metricsScrapeTarget, printMetricsScrape } from './report-metrics';
import { type Target } from './report';
import { inventorySettings, METRICS_SCRAPE_SETTINGS, setting, type SoloPhase } from './run-settings';

/**
 * One phase on its own, with the settings the full run gives it, its part of the report and its
 * targets printed. Nothing is written: bench/results.json holds whole runs only, so its numbers
 * always come from one run on one machine. Returns whether any measured request failed.
 */
export async function runOnly(phase: SoloPhase, log: (line: string) => void, print: (line: string) => void): Promise<boolean> {
  if (phase === 'metrics') {
    const result = await measureMetricsScrape(METRICS_SCRAPE_SETTINGS, log);
    printMetricsScrape(result, print);
    printTargets([metricsScrapeTarget(result)], print);
    return false;
  }
  const env = await startEnvironment({ upstreamConcurrency: setting('BENCH_UPSTREAM_CONCURRENCY', 8) });
  log(`gateway ${env.gateway.graphqlUrl} (pid ${env.gateway.pid}), emulator ${env.emulator.url}, redis ${env.redis.url}; ${env.cpu.description}`);
  try {
    const result = await measureInventory(env, inventorySettings(), log);
    printInventory(result, print);
    printTargets(inventoryTargets(result), print);
    return inventoryErrors(result) > 0;
  } finally {
    await env.stop();
  }
}

function printTargets(targets: Target[], print: (line: string) => void): void {
  print('');
  print('Targets of this phase (reported, not enforced; nothing written to bench/results.json)');
  table([['', 'target', 'measured', ''], ...targets.map((target) => [target.name, target.goal, target.measured, target.met ? 'met' : 'MISSED'])], print);
}
