// A bounded store of values worked out before: the search results an index keeps and the search page's filter panels.

/** At most `limit` values by key; when it is full, the one used longest ago makes room for the new one. */
export class RecentlyUsed<V> {
  // A Map iterates in the order keys were set, so setting a key again on each use keeps the oldest first.
  private readonly values = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The value kept for the key, or `make()`'s, kept from now on. */
  get(key: string, make: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = make();
      const oldest = this.values.keys().next();
      if (this.values.size >= this.limit && !oldest.done) this.values.delete(oldest.value);
    } else {
      this.values.delete(key);
    }
    this.values.set(key, value);
    return value;
  }
}
