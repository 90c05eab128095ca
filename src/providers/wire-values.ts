/** Readers for values in cloud answers, which may be absent, empty or typed differently than documented. */

/** Non-empty text; numbers are accepted as their decimal text, empty strings mean absent. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Leaves out what the answer did not carry, so a cached or serialised certificate holds no undefined keys. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
