import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { DEFAULT_RETRY, UpstreamResilience, type ResilienceSettings } from '../../../src/providers/alibaba/resilience';

/** What the cloud does on one attempt: answer or fail after `ms`, or never answer at all. */
type Step = { ms?: number; fail?: string } | 'hang';

const upstreamError = (code: string) =>
  code === 'UPSTREAM_TIMEOUT'
    ? GatewayError.refused('UPSTREAM_TIMEOUT', 'ESA', undefined, 'GetCertificate')
    : new GatewayError(code, `${code} from the cloud.`, { provider: 'ESA', action: 'GetCertificate', httpStatus: code.startsWith('Throttling') ? 400 : code.endsWith('NotFound') ? 404 : 503 });

/**
 * A fake of the one-attempt port RpcClient gives the resilience layer. It keeps to the timeout it is
 * given, as the real client's connect and read timeouts do, and records when each attempt began.
 */
export class FakeCloud {
  readonly attempts: Array<{ at: number; timeoutMs: number }> = [];
  private readonly origin = performance.now();

  constructor(
    private readonly script: Step[] = [],
    private readonly otherwise: Step = {},
  ) {}

  readonly attempt = (timeoutMs: number): Promise<string> => {
    const step = this.script[this.attempts.length] ?? this.otherwise;
    this.attempts.push({ at: performance.now() - this.origin, timeoutMs });
    if (step === 'hang') return new Promise<string>(() => undefined);
    const ms = step.ms ?? 0;
    const number = this.attempts.length;
    const answer = () => {
      if (ms > timeoutMs) throw upstreamError('UPSTREAM_TIMEOUT');
      if (step.fail) throw upstreamError(step.fail);
      return `answer ${number}`;
    };
    if (ms === 0) return Promise.resolve().then(answer);
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, timeoutMs))).then(answer);
  };
}

export const SETTINGS: ResilienceSettings = { ratePerSecond: 1_000, breaker: { failures: 5, openMs: 10_000 }, retry: DEFAULT_RETRY };

export function resilience(settings: Partial<ResilienceSettings> = {}) {
  const events = { retried: [] as string[], breaker: [] as boolean[] };
  const policy = new UpstreamResilience('ESA', { ...SETTINGS, ...settings }, {
    retried: (action) => events.retried.push(action),
    breakerChanged: (open) => events.breaker.push(open),
  });
  return { policy, events };
}

/** Settles a call without leaving a rejection unhandled while fake time is advanced. */
export const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: GatewayError) => ({ error }));

