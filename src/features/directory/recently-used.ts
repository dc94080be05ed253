// A bounded store of values worked out before: the search results an index keeps, the search page's filter panels
// and the public pages kept whole (kept-pages.ts).

/** At most `limit` values by key; when it is full, the one used longest ago makes room for the new one. */
export class RecentlyUsed<V> {
  // A Map iterates in the order keys were set, so setting a key again on each use keeps the oldest first.
  private readonly values = new Map<string, V>();

  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The value kept for the key, or `make()`'s, kept from now on. */
  get(key: string, make: () => V): V {
    const value = this.find(key) ?? make();
    this.keep(key, value);
    return value;
  }

  /** The value kept for the key, if any. */
  find(key: string): V | undefined {
    return this.values.get(key);
  }

  /** Keeps the value for the key, as the most recently used. */
  keep(key: string, value: V): void {
    if (this.values.has(key)) {
      this.values.delete(key);
    } else if (this.values.size >= this.limit) {
      const oldest = this.values.keys().next();
      if (!oldest.done) this.values.delete(oldest.value);
    }
    this.values.set(key, value);
  }
}
