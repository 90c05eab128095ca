import { type EmulatorError } from './emulator-error';

/** Longest value any single parameter may carry; PEM chains stay far below it. */
export const MAX_PARAMETER_LENGTH = 128 * 1024;

/**
 * The decoded parameters of one call (query string and body merged). Accessors take the error to
 * throw, because each product documents its own code for a missing or malformed value.
 */
export class Params {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** The raw value, or undefined when absent or blank. */
  optional(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  required(name: string, missing: () => EmulatorError): string {
    const value = this.optional(name);
    if (value === undefined) throw missing();
    return value;
  }

  /** A non-negative integer that fits a JS number exactly (ESA's long ids and page numbers). */
  optionalInteger(name: string, invalid: () => EmulatorError): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,16}$/.test(value.trim())) throw invalid();
    const number = Number(value.trim());
    if (!Number.isSafeInteger(number)) throw invalid();
    return number;
  }

  /** `true`/`false`/`1`/`0`, as the SDKs send booleans. */
  optionalBoolean(name: string, invalid: () => EmulatorError): boolean | undefined {
    const value = this.optional(name)?.trim().toLowerCase();
    if (value === undefined) return undefined;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw invalid();
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}
