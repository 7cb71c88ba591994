/** What every stored history item has: a time and, usually, who produced it. */
export interface HistoryItem {
  timestamp: number;
  clientId?: string;
  connectionId?: string;
}

/**
 * A history query, as REST history endpoints take it. Times are ms since the epoch, inclusive.
 * `cursor` is opaque: pass back the `next` of the previous page.
 */
export interface HistoryQuery {
  start?: number;
  end?: number;
  /** @defaultValue 'backwards' (newest first), as Ably does. */
  direction?: 'forwards' | 'backwards';
  /** @defaultValue 100 */
  limit?: number;
  clientId?: string;
  connectionId?: string;
  cursor?: string;
}

/** One page of a history query. `next` is set when more items match. */
export interface HistoryPage<T> {
  items: T[];
  next?: string;
}

interface Entry<T> {
  seq: number;
  item: T;
}

/**
 * An append-only, time-ordered store with retention. Appends are O(1); expired items are dropped
 * from the head lazily; a query walks from its cursor and stops after `limit` matches.
 */
export class HistoryStore<T extends HistoryItem> {
  private entries: Entry<T>[] = [];
  private head = 0;
  private seq = 0;

  /**
   * @param retentionMs - how long items are kept (read on every prune, so it may change).
   * @param now - the clock.
   */
  constructor(
    private readonly retentionMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of retained items. */
  get size(): number {
    this.prune();
    return this.entries.length - this.head;
  }

  /** Adds an item (its timestamp should be "now"). */
  append(item: T): void {
    this.prune();
    this.entries.push({ seq: this.seq++, item });
  }

  /** Drops items older than the retention. */
  prune(): void {
    const cutoff = this.now() - this.retentionMs();
    while (this.head < this.entries.length && this.entries[this.head]!.item.timestamp < cutoff) {
      this.head++;
    }
    // Compact once the dead prefix dominates, keeping appends amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Removes everything. */
  clear(): void {
    this.entries = [];
    this.head = 0;
  }

  /**
   * Runs a query. Throws `RangeError` for a cursor this store did not produce.
   * @param where - an extra filter (e.g. `serial <= from_serial` for `untilAttach`); apply the
   *   same one to every page of a query (links repeat the parameter it comes from).
   */
  query(q: HistoryQuery = {}, where?: (item: T) => boolean): HistoryPage<T> {
    this.prune();
    const limit = q.limit ?? 100;
    const forwards = q.direction === 'forwards';
    const entries = this.entries;
    let i: number;
    if (q.cursor !== undefined) {
      const cursorSeq = Number(q.cursor);
      if (!Number.isInteger(cursorSeq) || cursorSeq < 0) throw new RangeError('bad cursor');
      i = this.indexOfSeq(cursorSeq, forwards);
    } else {
      i = forwards ? this.head : entries.length - 1;
    }
    const items: T[] = [];
    const step = forwards ? 1 : -1;
    for (; i >= this.head && i < entries.length; i += step) {
      const { item, seq } = entries[i]!;
      if (forwards) {
        if (q.end !== undefined && item.timestamp > q.end) break;
        if (q.start !== undefined && item.timestamp < q.start) continue;
      } else {
        if (q.start !== undefined && item.timestamp < q.start) break;
        if (q.end !== undefined && item.timestamp > q.end) continue;
      }
      if (q.clientId !== undefined && item.clientId !== q.clientId) continue;
      if (q.connectionId !== undefined && item.connectionId !== q.connectionId) continue;
      if (where && !where(item)) continue;
      if (items.length === limit) return { items, next: String(seq) };
      items.push(item);
    }
    return { items };
  }

  /**
   * The retained item whose `keyOf` is `key`, found by binary search: only for a key that grows
   * with every append (a channel's message serials do; `positionOf` keeps them comparable as
   * strings), never for one that can repeat or go back.
   */
  find(key: string, keyOf: (item: T) => string | undefined): T | undefined {
    const i = this.indexOfKey(key, keyOf);
    return i === undefined ? undefined : this.entries[i]!.item;
  }

  /**
   * Puts `item` in the place of the retained item whose `keyOf` is `key` (see {@link find}): a
   * new version of a message stays where the original was, as Ably's history shows it. The old
   * object is not changed (frames already built from it still say what they said). False when
   * there is no such item.
   */
  replace(key: string, keyOf: (item: T) => string | undefined, item: T): boolean {
    const i = this.indexOfKey(key, keyOf);
    if (i === undefined) return false;
    this.entries[i] = { seq: this.entries[i]!.seq, item };
    return true;
  }

  private indexOfKey(key: string, keyOf: (item: T) => string | undefined): number | undefined {
    this.prune();
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keyOf(this.entries[mid]!.item) ?? '';
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Index of the first entry at or after (forwards) / at or before (backwards) `seq`. */
  private indexOfSeq(seq: number, forwards: boolean): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    if (forwards) return lo;
    return lo < this.entries.length && this.entries[lo]!.seq === seq ? lo : lo - 1;
  }
}
