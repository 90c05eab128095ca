import { type MetricsScrapeResult } from './phases/metrics-scrape';
import { type Target } from './report';

/** A scrape's CPU time at 10,000 certificates, right after a change: at one scrape every 15 s, 100 ms is under 1% of a core. */
const SCRAPE_CPU_LIMIT_MS = 100;

export function metricsScrapeTarget(result: MetricsScrapeResult): Target {
  return {
    name: `/metrics at ${result.settings.certificates.toLocaleString('en-US')} certificates`,
    goal: `<= ${SCRAPE_CPU_LIMIT_MS} ms CPU per scrape after a change`,
    measured: `${result.cpuP50Ms.toFixed(1)} ms (${(result.bytes / 1e6).toFixed(1)} MB)`,
    met: result.cpuP50Ms <= SCRAPE_CPU_LIMIT_MS,
  };
}

export function printMetricsScrape(result: MetricsScrapeResult, print: (line: string) => void): void {
  const { settings } = result;
  print('');
  print(
    `/metrics over ${settings.certificates.toLocaleString('en-US')} certificates (in process, no HTTP; ${settings.samples} scrapes after 3 warm-up): ` +
      `right after a change p50 ${result.p50Ms.toFixed(1)} ms wall, ${result.cpuP50Ms.toFixed(1)} ms CPU, max ${result.maxMs.toFixed(1)} ms; ` +
      `unchanged p50 ${result.unchangedP50Ms.toFixed(1)} ms wall, ${result.unchangedCpuP50Ms.toFixed(1)} ms CPU; ` +
      `${(result.bytes / 1e6).toFixed(2)} MB, ${result.series.toLocaleString('en-US')} per-certificate series`,
  );
  print(`  the same series through labelled prom-client gauges: p50 ${result.promClientP50Ms.toFixed(0)} ms (${settings.referenceSamples} scrapes); ratio ${result.ratio.toFixed(3)} x`);
  print(`  expiry detection after a sweep over the same certificates, every mark new: p50 ${result.detectionP50Ms.toFixed(1)} ms, ${result.detectionEvents.toLocaleString('en-US')} events`);
}
