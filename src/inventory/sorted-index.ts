/** A sort key: numbers (dates as ms) or lower-cased text; ties are broken by the id. */
export type SortKey = number | string;

export interface Keyed {
  id: string;
}

/**
 * Items kept in order of (key, id), inserted and removed by binary search: a change costs a search
 * and one array move, never a re-sort, so an index of 100,000 keeps up with changes one at a time.
 */
export class SortedIndex<T extends Keyed> {
  readonly items: T[] = [];

  constructor(readonly keyOf: (item: T) => SortKey) {}

  insert(item: T): void {
    this.items.splice(this.lowerBound(this.keyOf(item), item.id), 0, item);
  }

  remove(item: T): void {
    const at = this.lowerBound(this.keyOf(item), item.id);
    if (this.items[at] === item) this.items.splice(at, 1);
  }

  /** Replaces everything at once (a full load): one sort. */
  reset(items: readonly T[]): void {
    this.items.length = 0;
    this.items.push(...items);
    this.items.sort((a, b) => compare(this.keyOf(a), a.id, this.keyOf(b), b.id));
  }

  /** The first position whose (key, id) is not below the given one. */
  lowerBound(key: SortKey, id: string): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const item = this.items[middle] as T;
      if (compare(this.keyOf(item), item.id, key, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The first position whose key is not below `key`, whatever its id. */
  keyBound(key: number): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.keyOf(this.items[middle] as T) as number) < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export function compare(aKey: SortKey, aId: string, bKey: SortKey, bId: string): number {
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  return aId === bId ? 0 : aId < bId ? -1 : 1;
}
