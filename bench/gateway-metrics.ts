/** The gateway's own counters that confirm what a phase measured (cache hits, upstream calls). */
export interface GatewayCounters {
  /** Whole answers served from the response cache (no execution, no cache lookup). */
  answersReplayed: number;
  cacheHits: number;
  cacheMisses: number;
  upstreamCalls: number;
}

const sumOf = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);

export async function readGatewayCounters(metricsUrl: string): Promise<GatewayCounters> {
  const text = await (await fetch(metricsUrl)).text();
  return {
    answersReplayed: sumOf(text, /^gateway_response_cache_total\{[^}]*result="hit"[^}]*\} (\S+)$/gm),
    cacheHits: sumOf(text, /^gateway_cache_lookups_total\{[^}]*result="hit"[^}]*\} (\S+)$/gm),
    cacheMisses: sumOf(text, /^gateway_cache_lookups_total\{[^}]*result="miss"[^}]*\} (\S+)$/gm),
    upstreamCalls: sumOf(text, /^gateway_upstream_calls_total\{[^}]*\} (\S+)$/gm),
  };
}

export function countersSince(before: GatewayCounters, after: GatewayCounters): GatewayCounters {
  return {
    answersReplayed: after.answersReplayed - before.answersReplayed,
    cacheHits: after.cacheHits - before.cacheHits,
    cacheMisses: after.cacheMisses - before.cacheMisses,
    upstreamCalls: after.upstreamCalls - before.upstreamCalls,
  };
}
