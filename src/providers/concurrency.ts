/**
 * Runs `work` for every item with at most `limit` calls in flight and resolves to the results in item
 * order. A cloud without a batch read (ESA) is read one call per item; the bound keeps one large
 * batch from bursting into the account's request rate (the cloud answers `Throttling.User` when it
 * is exceeded; src/domain/errors/error-catalogue.ts). `work` settles its own failures: a rejection stops new work and
 * rejects the whole map, so callers that need per-item errors catch inside `work`.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`The concurrency limit is a whole number >= 1, not ${limit}.`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;

  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
