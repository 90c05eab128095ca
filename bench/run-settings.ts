import { type InventorySettings, LARGE_ESTATE } from './phases/inventory';
import { type MetricsScrapeSettings } from './phases/metrics-scrape';

/** Knobs for a longer or shorter run (bench/README.md lists them). */
export function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}".`);
  return value;
}

/** The inventory phase's settings: the production rate limits, the section-14 estate, reads as BENCH_* says. */
export function inventorySettings(): InventorySettings {
  const durationS = setting('BENCH_DURATION_S', 5);
  return {
    estate: LARGE_ESTATE,
    esaRatePerSecond: 50,
    slbRatePerSecond: 20,
    sweepTimeoutMs: 90_000,
    reads: {
      connections: setting('BENCH_CONNECTIONS', 32),
      durationMs: setting('BENCH_INVENTORY_DURATION_S', Math.min(2, durationS)) * 1000,
      warmupMs: 1000,
      rounds: setting('BENCH_INVENTORY_ROUNDS', 3),
    },
  };
}

/** /metrics over a generated 10,000-certificate view, in process. */
export const METRICS_SCRAPE_SETTINGS: MetricsScrapeSettings = { certificates: 10_000, samples: 20, referenceSamples: 3 };

/** The phases that can run alone (`npm run bench -- --only <phase>`): each starts what it needs and depends on no earlier phase. */
export const SOLO_PHASES = ['inventory', 'metrics'] as const;
export type SoloPhase = (typeof SOLO_PHASES)[number];

/** `--only <phase>` (or `--only=<phase>`) from the command line; undefined: the full run. */
export function onlyPhase(args: readonly string[]): SoloPhase | undefined {
  const at = args.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  if (at < 0) return undefined;
  const arg = args[at] as string;
  const value = arg === '--only' ? args[at + 1] : arg.slice('--only='.length);
  if (!(SOLO_PHASES as readonly string[]).includes(value ?? '')) throw new Error(`--only takes one of ${SOLO_PHASES.join(', ')}, got "${value ?? ''}".`);
  return value as SoloPhase;
}
