import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorError } from '../protocol/emulator-error';

export interface FaultSpec {
  product?: string;
  action?: string;
  /** With `code`: the call fails with this status. Without: the call is only slowed down. */
  status?: number;
  code?: string;
  message?: string;
  latencyMs?: number;
  /** Probability in [0, 1] that a matching call is affected (default 1). */
  rate?: number;
  /** How many calls it affects before it removes itself (default: until cleared). */
  count?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining?: number;
}

const STANDARD_MESSAGES: Record<string, string> = {
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  InternalError: 'The request processing has failed due to some unknown error, exception or failure.',
  Throttling: 'Request was denied due to request throttling.',
  'Throttling.User': 'Request was denied due to user flow control.',
  'Throttling.Api': 'Request was denied due to api flow control.',
};

/** Makes matching calls fail or slow down, for testing how clients ride out a misbehaving cloud. */
export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Validates and adds a fault; returns it, or a reason it is refused. */
  add(spec: unknown): Fault | string {
    if (spec === null || typeof spec !== 'object') return 'A fault is a JSON object.';
    const s = spec as Record<string, unknown>;
    const optionalString = (key: string) => s[key] === undefined || typeof s[key] === 'string';
    const optionalNumber = (key: string, min: number, max: number) =>
      s[key] === undefined || (typeof s[key] === 'number' && Number.isFinite(s[key]) && (s[key] as number) >= min && (s[key] as number) <= max);
    if (!['product', 'action', 'code', 'message'].every(optionalString)) return 'product, action, code and message are strings.';
    if (!optionalNumber('status', 400, 599)) return 'status is an HTTP error status (400-599).';
    if (!optionalNumber('latencyMs', 0, 600_000)) return 'latencyMs is between 0 and 600000.';
    if (!optionalNumber('rate', 0, 1)) return 'rate is between 0 and 1.';
    if (!optionalNumber('count', 1, 1_000_000)) return 'count is a positive number.';
    if ((s.status === undefined) !== (s.code === undefined)) return 'status and code go together.';
    if (s.status === undefined && s.latencyMs === undefined) return 'A fault needs status and code, latencyMs, or both.';
    const fault: Fault = { id: this.nextId++, ...(s as FaultSpec) };
    if (typeof s.count === 'number') fault.remaining = s.count;
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  clear(): void {
    this.faults = [];
  }

  /** Applies the first matching fault: waits its latency, then throws its error if it has one. */
  async apply(product: string, action: string): Promise<void> {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.product === undefined || candidate.product.toUpperCase() === product) &&
        (candidate.action === undefined || candidate.action === action),
    );
    if (!fault || (fault.rate !== undefined && Math.random() >= fault.rate)) return;
    if (fault.remaining !== undefined && --fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    if (fault.latencyMs) await sleep(fault.latencyMs, undefined, { ref: false });
    if (fault.status !== undefined && fault.code !== undefined) {
      throw new EmulatorError(fault.code, fault.status, fault.message ?? STANDARD_MESSAGES[fault.code] ?? 'Injected fault.');
    }
  }
}
