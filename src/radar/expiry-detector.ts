import { type InventoryEntry } from '../inventory/inventory-entry';

const DAY_MS = 86_400_000;

/** An expiry mark a certificate has reached: once claimed, never announced again. */
export interface ExpiryMark {
  entry: InventoryEntry;
  /** `<id>:expiring:<days>` or `<id>:expired`. */
  key: string;
  threshold?: number;
}

/**
 * The expiry marks each certificate has reached at `now`: every threshold of days it is within
 * (a certificate 10 days from expiry is within 30 and 14), or expiry itself. Which of them are new is
 * the marks store's answer (claimed once, ever, across instances).
 */
export function expiryMarks(
  entries: Iterable<InventoryEntry>,
  now: number,
  thresholds: readonly number[],
  markId: (entry: InventoryEntry) => string = (entry) => entry.id,
): ExpiryMark[] {
  const marks: ExpiryMark[] = [];
  for (const entry of entries) {
    const notAfter = entry.certificate.notAfter?.getTime();
    if (notAfter === undefined) continue;
    if (notAfter <= now) {
      marks.push({ entry, key: `${markId(entry)}:expired` });
      continue;
    }
    for (const days of thresholds) {
      if (notAfter - now <= days * DAY_MS) marks.push({ entry, key: `${markId(entry)}:expiring:${days}`, threshold: days });
    }
  }
  return marks;
}
