import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type ICancellationContext,
} from 'cockatiel';
import { type ProviderName } from '../../domain/certificate';
import { GatewayError } from '../../domain/errors/gateway-error';
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

/** One try at the cloud that gives up after `timeoutMs` (the client's own connect and read timeouts). */
export type Attempt<T> = (timeoutMs: number) => Promise<T>;

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
 * Certificate.NotFound is an answer, neither retried nor counted against the breaker.
 */
function isFault(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable;
}

/**
 * How one product's calls ride out a misbehaving cloud: a deadline per call, retries with backoff for
 * reads, a circuit breaker and a rate limit per product. The client itself never retries
 * (REFERENCE.md 1.8), so this is the only place a call is repeated.
 */
export class UpstreamResilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bucket: TokenBucket;
  private readonly backoff: ExponentialBackoff<number>;

  constructor(
    readonly product: ProviderName,
    private readonly settings: ResilienceSettings,
    private readonly observer?: ResilienceObserver,
  ) {
    this.breaker = circuitBreaker(handleWhen(isFault), {
      halfOpenAfter: settings.breaker.openMs,
      breaker: new ConsecutiveBreaker(settings.breaker.failures),
    });
    // Half-open counts as open: until the trial call succeeds, other callers wait on it.
    this.breaker.onStateChange((state) => observer?.breakerChanged(state !== CircuitState.Closed));
    this.bucket = new TokenBucket(settings.ratePerSecond);
    this.backoff = new ExponentialBackoff({
      generator: fullJitterGenerator,
      initialDelay: settings.retry.baseDelayMs,
      maxDelay: settings.retry.maxDelayMs,
    });
  }

  /**
   * Runs `attempt` for `action` within `budgetMs`, waits and retries included. Each attempt is given
   * the time left as its timeout; when the budget runs out the call fails with UPSTREAM_TIMEOUT.
   */
  async execute<T>(action: string, budgetMs: number, attempt: Attempt<T>): Promise<T> {
    const started = performance.now();
    const remaining = () => budgetMs - (performance.now() - started);
    const { minAttemptMs, baseDelayMs, maxDelayMs, maxRetries } = this.settings.retry;
    let attempts = 0;
    let slotRefused = false;

    const once = async ({ signal }: ICancellationContext): Promise<T> => {
      if (signal.aborted) throw this.timedOut(action, budgetMs);
      if (!(await this.bucket.take(Math.max(0, remaining() - minAttemptMs)))) {
        slotRefused = true;
        const why = `${this.product} ${action} could not be sent within its ${budgetMs} ms deadline: the gateway sends ${this.product} at most ${this.settings.ratePerSecond} calls/s.`;
        throw GatewayError.refused('UPSTREAM_TIMEOUT', this.product, why, action);
      }
      attempts += 1;
      return this.breaker.execute(() => attempt(Math.max(1, Math.floor(remaining()))));
    };

    // A retry starts only when its longest possible backoff plus a useful attempt still fit, and the
    // breaker is closed; otherwise the caller hears the real failure rather than a later timeout.
    const worthRetrying = (error: Error) =>
      isFault(error) &&
      !slotRefused &&
      this.breaker.state === CircuitState.Closed &&
      remaining() >= Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1)) + minAttemptMs;

    // Aggressive: the caller is answered at the deadline even if the client's own timer fires late.
    const deadline = timeout(budgetMs, TimeoutStrategy.Aggressive);
    try {
      if (!isRead(action)) return await deadline.execute(once);
      const retries = retry(handleWhen(worthRetrying), { maxAttempts: maxRetries, backoff: this.backoff });
      retries.onRetry(() => this.observer?.retried(action));
      return await deadline.execute(({ signal }) => retries.execute(once, signal));
    } catch (error) {
      throw this.translate(action, budgetMs, error);
    }
  }

  // instanceof rather than cockatiel's is*Error helpers: in 3.2.1 isTaskCancelledError tests for the
  // bulkhead's marker and never matches. IsolatedCircuitError extends BrokenCircuitError.
  private translate(action: string, budgetMs: number, error: unknown): unknown {
    if (error instanceof BrokenCircuitError) {
      const { failures, openMs } = this.settings.breaker;
      const detail = `The ${this.product} circuit breaker is open after ${failures} consecutive failures; a trial call goes through ${openMs} ms after it opened.`;
      return GatewayError.refused('UPSTREAM_UNREACHABLE', this.product, detail, action);
    }
    if (error instanceof TaskCancelledError) return this.timedOut(action, budgetMs);
    return error;
  }

  private timedOut(action: string, budgetMs: number): GatewayError {
    return GatewayError.refused('UPSTREAM_TIMEOUT', this.product, `${this.product} ${action} did not finish within ${budgetMs} ms.`, action);
  }
}
