import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type UpstreamOutcome = 'ok' | 'error' | 'timeout' | 'unreachable';

/** The gateway's Prometheus metrics, one registry per process (so tests may run several gateways). */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'operation' | 'outcome'>;
  private readonly upstreamCalls: Counter<'product' | 'action' | 'outcome'>;
  private readonly upstreamLatency: Histogram<'product' | 'action'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'GraphQL requests by operation name and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.upstreamCalls = new Counter({
      name: 'gateway_upstream_calls_total',
      help: 'Cloud API calls by product, action and outcome.',
      labelNames: ['product', 'action', 'outcome'],
      registers: [this.registry],
    });
    this.upstreamLatency = new Histogram({
      name: 'gateway_upstream_call_duration_seconds',
      help: 'Cloud API call latency by product and action.',
      labelNames: ['product', 'action'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  observeRequest(operation: string, outcome: 'ok' | 'error', seconds: number): void {
    this.requests.observe({ operation, outcome }, seconds);
  }

  observeUpstream(product: string, action: string, outcome: UpstreamOutcome, seconds: number): void {
    this.upstreamCalls.inc({ product, action, outcome });
    this.upstreamLatency.observe({ product, action }, seconds);
  }
}
