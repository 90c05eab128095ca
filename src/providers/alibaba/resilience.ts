import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { GatewayError } from '../../domain/errors/gateway-error';
import { SPAN } from '../../telemetry/span-attributes';
import { markFailed, type Tracing } from '../../telemetry/tracing';
import { TokenBucket } from './token-bucket';

export interface RetrySettings {
  /** Retries after the first attempt, for reads only. */
  maxRetries: number;
  /** Full jitter: the n-th retry waits a random time below min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The least time worth giving an attempt; a retry starts only if this much is left after its backoff. */
  minAttemptMs: number;
}

export interface ResilienceSettings {
  /** Calls per second sent to the product at most; callers beyond it wait for a slot. */
  ratePerSecond: number;
  /** Consecutive retryable failures that open the breaker, and how long it then refuses calls. */
  breaker: { failures: number; openMs: number };
  retry: RetrySettings;
}

/** Told about retries and breaker changes: for metrics and logs. */
export interface ResilienceObserver {
  retried(action: string): void;
  breakerChanged(open: boolean): void;
}

/**
 * One try at the cloud that gives up after `timeoutMs` (the client's own connect and read timeouts);
 * `attempt` is 1 for the first try, 2 for the first retry...
 */
export type Attempt<T> = (timeoutMs: number, attempt: number) => Promise<T>;

/** One call's clock: the time left of its budget, whether its deadline has passed, and whether an attempt is out. */
interface CallState {
  remaining(): number;
  expired: boolean;
  /** An attempt has been sent and not yet answered: a change it carries may be under way at the cloud. */
  inFlight: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY: Readonly<RetrySettings> = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, minAttemptMs: 250 };

/**
 * Reads change nothing, so repeating one is safe. A mutation whose answer was lost may have been
 * applied (a certificate uploaded or issued twice), so mutations are never repeated here.
 */
export function isRead(action: string): boolean {
  return /^(Get|List|Describe)[A-Z]/.test(action);
}

/**
 * Only what the catalogue marks retryable is a fault of the cloud: a documented 4xx such as
 * Certificate.NotFound is an answer, neither retried nor counted against the breaker. A change left
 * unanswered is not retryable, yet the cloud failed to answer it all the same.
 */
function isFault(error: unknown): boolean {
  return error instanceof GatewayError && (error.retryable || error.outcomeUnknown);
}

/**
 * How one product's calls ride out a misbehaving cloud: a deadline per call, retries with backoff for
 * reads, a circuit breaker and a rate limit per product. The client itself never retries (its
 * request loop repeats only on a RetryError, which nothing throws:
 * https://github.com/aliyun/darabonba-openapi/blob/master/ts/src/client.ts), so this is the only
 * place a call is repeated.
 */
export class UpstreamResilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bucket: TokenBucket;

  constructor(
    readonly product: 'ESA' | 'SLB' | 'STS',
    private readonly settings: ResilienceSettings,
    private readonly observer?: ResilienceObserver,
    /** When tracing is on: a span for each wait for a rate-limit slot. */
    private readonly tracing?: Tracing,
  ) {
    this.breaker = circuitBreaker(handleWhen(isFault), {
      halfOpenAfter: settings.breaker.openMs,
      breaker: new ConsecutiveBreaker(settings.breaker.failures),
    });
    // Half-open counts as open: until the trial call succeeds, other callers wait on it.
    this.breaker.onStateChange((state) => observer?.breakerChanged(state !== CircuitState.Closed));
    this.bucket = new TokenBucket(settings.ratePerSecond);
  }

  /**
   * Runs `attempt` for `action` within `budgetMs`, waits and retries included. Each attempt is given
   * the time left as its timeout; when the budget runs out the call fails with UPSTREAM_TIMEOUT.
   *
   * The deadline and the retries are a plain loop and one timer rather than cockatiel's timeout and
   * retry policies: those are built per call (their conditions close over the call's own state) and
   * cost an AbortController, listeners and an AbortError with its stack on every call, failures or
   * not, which showed on the cold path. The breaker stays cockatiel's.
   */
  async execute<T>(action: string, budgetMs: number, attempt: Attempt<T>): Promise<T> {
    const started = performance.now();
    const call: CallState = { remaining: () => budgetMs - (performance.now() - started), expired: false, inFlight: false };
    let timer: NodeJS.Timeout | undefined;
    // Aggressive: the caller is answered at the deadline even if the client's own timer fires late.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        call.expired = true;
        reject(this.timedOut(action, budgetMs, call.inFlight));
      }, budgetMs);
    });
    const attempts = this.attempts(action, budgetMs, attempt, call);
    // Settled after the deadline when it lost the race; its outcome is then nobody's.
    attempts.catch(() => undefined);
    try {
      return await Promise.race([attempts, deadline]);
    } catch (error) {
      throw this.translate(action, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Attempts until one answers; reads are retried after a full-jitter backoff when the failure is the
   * cloud's fault, the breaker is closed, and the longest possible backoff plus a useful attempt still
   * fit in the time left. Otherwise the caller hears the real failure rather than a later timeout.
   */
  private async attempts<T>(action: string, budgetMs: number, attempt: Attempt<T>, call: CallState): Promise<T> {
    const { minAttemptMs, baseDelayMs, maxDelayMs, maxRetries } = this.settings.retry;
    const retries = isRead(action) ? maxRetries : 0;
    for (let attempts = 1; ; attempts += 1) {
      if (call.expired) throw this.timedOut(action, budgetMs);
      const waitMs = this.bucket.reserve(Math.max(0, call.remaining() - minAttemptMs));
      if (waitMs === undefined) {
        const why = `${this.product} ${action} could not be sent within its ${budgetMs} ms deadline: the gateway sends ${this.product} at most ${this.settings.ratePerSecond} calls/s.`;
        const refused = GatewayError.refused('UPSTREAM_TIMEOUT', this.product, why, action);
        if (this.tracing) void this.traceWait(this.tracing, action, 0, refused.code);
        throw refused;
      }
      if (waitMs > 0) await (this.tracing ? this.traceWait(this.tracing, action, waitMs) : sleep(waitMs));
      try {
        const tried = attempts;
        return await this.breaker.execute(() => {
          call.inFlight = true;
          return attempt(Math.max(1, Math.floor(call.remaining())), tried);
        });
      } catch (error) {
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
        const worthRetrying = attempts <= retries && isFault(error) && this.breaker.state === CircuitState.Closed && call.remaining() >= ceiling + minAttemptMs;
        call.inFlight = false;
        if (!worthRetrying || call.expired) throw error;
        this.observer?.retried(action);
        await sleep(Math.floor(Math.random() * ceiling));
      }
    }
  }

  /** The wait for a rate-limit slot as a span of its own; a call refused a slot gets one with its code. */
  private async traceWait(tracing: Tracing, action: string, waitMs: number, refused?: string): Promise<void> {
    const span = tracing.span(`${this.product} rate limit`, {
      [SPAN.upstreamProduct]: this.product,
      [SPAN.upstreamAction]: action,
      [SPAN.rateLimitWaitMs]: waitMs,
    });
    if (refused) markFailed(span, refused);
    else await sleep(waitMs);
    span.end();
  }

  // instanceof rather than cockatiel's is*Error helper. IsolatedCircuitError extends BrokenCircuitError.
  private translate(action: string, error: unknown): unknown {
    if (error instanceof BrokenCircuitError) {
      const { failures, openMs } = this.settings.breaker;
      const detail = `The ${this.product} circuit breaker is open after ${failures} consecutive failures; a trial call goes through ${openMs} ms after it opened.`;
      return GatewayError.refused('UPSTREAM_UNREACHABLE', this.product, detail, action);
    }
    return error;
  }

  /**
   * A change still out at the deadline may yet be made by the cloud (a slow SetCertificate still
   * creates the certificate), so the caller is told its outcome is unknown rather than to retry.
   */
  private timedOut(action: string, budgetMs: number, inFlight = false): GatewayError {
    const what = `${this.product} ${action} did not finish within ${budgetMs} ms.`;
    if (inFlight && !isRead(action)) return GatewayError.outcomeUnknown('UPSTREAM_TIMEOUT', this.product, action, what);
    return GatewayError.refused('UPSTREAM_TIMEOUT', this.product, what, action);
  }
}
