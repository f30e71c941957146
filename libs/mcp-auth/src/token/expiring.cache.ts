/**
 * A bounded map whose entries expire: each lives at most `ttlMs` and never past the deadline it was stored
 * with. Beyond `maxEntries` the least recently used entry goes first. `ttlMs` 0 turns it off.
 *
 * Keys are meant to be token digests (`tokenDigest`), never tokens: memory stays entries × a small constant.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAtMs <= this.now()) return undefined;
    // Re-inserted: Map order is insertion order, so the first key is always the least recently used.
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` under `key` until `ttlMs` from now or `notAfterMs`, whichever comes first. */
  set(key: string, value: V, notAfterMs = Number.POSITIVE_INFINITY): void {
    if (this.ttlMs <= 0) return;
    const now = this.now();
    const expiresAtMs = Math.min(now + this.ttlMs, notAfterMs);
    if (expiresAtMs <= now) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys held, least recently used first. For tests and diagnostics. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
