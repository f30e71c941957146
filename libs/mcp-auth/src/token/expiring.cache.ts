import { randomBytes } from 'node:crypto';

/** Longest key, in one-byte characters: a SHA-256 digest (`tokenDigest`). */
const MAX_KEY_LENGTH = 32;
/** Entries allocated up front; the arrays double (up to `maxEntries`) when full. */
const INITIAL_CAPACITY = 256;
const NONE = -1;

/**
 * A bounded map whose entries expire: each lives at most `ttlMs` and never past the deadline it was stored
 * with. Beyond `maxEntries` the least recently used entry goes first. `ttlMs` 0 turns it off.
 *
 * Keys are token digests (`tokenDigest`: at most 32 one-byte characters), never tokens, so memory stays
 * entries × a small constant. They live in typed arrays beside an open-addressing index and the recency
 * links, and only the values are JavaScript objects: an entry allocates nothing on the heap, and a cache
 * full of short-lived entries (every token of a flood of distinct forgeries goes through it) leaves no
 * small long-lived objects scattered over the old generation, which kept V8 from giving its pages back
 * (about 60 MB of RSS after a 10 s flood, with 2 MB of live entries). Every operation is O(1).
 */
export class ExpiringCache<V> {
  private capacity = 0;
  private size_ = 0;
  /** Per entry: key length, then its characters. */
  private keyBytes = new Uint8Array(0);
  private hashes = new Int32Array(0);
  private expires = new Float64Array(0);
  /** Recency links (entry indexes), least recently used at `oldest`. */
  private older = new Int32Array(0);
  private newer = new Int32Array(0);
  private values: (V | undefined)[] = [];
  /** Open addressing with linear probing: entry index + 1, 0 for an empty slot. */
  private table = new Int32Array(0);
  private oldest = NONE;
  private newest = NONE;
  /** Unused entry indexes below `used`, linked through `newer`. */
  private free = NONE;
  private used = 0;
  /**
   * Secret per cache: digests come from tokens an attacker chooses, and with a known hash function they
   * could grind tokens into one probe sequence (hash flooding). The `Map` this replaces is seeded the same way.
   */
  private readonly seed = randomBytes(4).readInt32LE();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    if (this.size_ === 0) return undefined;
    const entry = this.find(key, hashOf(key, this.seed));
    if (entry === NONE) return undefined;
    if (this.expires[entry]! <= this.now()) {
      this.remove(entry);
      return undefined;
    }
    this.markUsed(entry);
    return this.values[entry];
  }

  /** Stores `value` under `key` until `ttlMs` from now or `notAfterMs`, whichever comes first. */
  set(key: string, value: V, notAfterMs = Number.POSITIVE_INFINITY): void {
    if (this.ttlMs <= 0) return;
    const now = this.now();
    const expiresAtMs = Math.min(now + this.ttlMs, notAfterMs);
    if (expiresAtMs <= now) return;
    const hash = hashOf(key, this.seed);
    let entry = this.size_ === 0 ? NONE : this.find(key, hash);
    if (entry !== NONE) {
      this.markUsed(entry);
    } else {
      if (this.size_ >= this.maxEntries) this.remove(this.oldest);
      if (this.size_ >= this.capacity) this.grow();
      entry = this.allocate();
      this.writeKey(entry, key);
      this.hashes[entry] = hash;
      this.insertIntoTable(entry, hash);
      this.older[entry] = this.newest;
      this.newer[entry] = NONE;
      if (this.newest === NONE) this.oldest = entry;
      else this.newer[this.newest] = entry;
      this.newest = entry;
      this.size_++;
    }
    this.values[entry] = value;
    this.expires[entry] = expiresAtMs;
  }

  get size(): number {
    return this.size_;
  }

  /** The keys held, least recently used first. For tests and diagnostics. */
  keys(): string[] {
    const keys: string[] = [];
    for (let entry = this.oldest; entry !== NONE; entry = this.newer[entry]!) keys.push(this.readKey(entry));
    return keys;
  }

  private find(key: string, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.table[slot]!;
      if (stored === 0) return NONE;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.keyEquals(entry, key)) return entry;
    }
  }

  private keyEquals(entry: number, key: string): boolean {
    const bytes = this.keyBytes;
    const offset = entry * (MAX_KEY_LENGTH + 1);
    if (bytes[offset] !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (bytes[offset + 1 + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private writeKey(entry: number, key: string): void {
    const offset = entry * (MAX_KEY_LENGTH + 1);
    this.keyBytes[offset] = key.length;
    for (let i = 0; i < key.length; i++) this.keyBytes[offset + 1 + i] = key.charCodeAt(i);
  }

  private readKey(entry: number): string {
    const offset = entry * (MAX_KEY_LENGTH + 1);
    return String.fromCharCode(...this.keyBytes.subarray(offset + 1, offset + 1 + this.keyBytes[offset]!));
  }

  private insertIntoTable(entry: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = entry + 1;
  }

  /** Unlinks and forgets `entry`, and frees its index. */
  private remove(entry: number): void {
    this.unlink(entry);
    this.removeFromTable(entry);
    this.values[entry] = undefined;
    this.newer[entry] = this.free;
    this.free = entry;
    this.size_--;
  }

  /** Backward-shift deletion: no tombstones, so lookups never slow down however many entries come and go. */
  private removeFromTable(entry: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.table[slot] !== entry + 1) slot = (slot + 1) & mask;
    for (let next = (slot + 1) & mask; this.table[next] !== 0; next = (next + 1) & mask) {
      const home = this.hashes[this.table[next]! - 1]! & mask;
      // Move the entry at `next` into the hole unless its home slot lies cyclically in (slot, next].
      if ((next > slot && (home <= slot || home > next)) || (next < slot && home <= slot && home > next)) {
        this.table[slot] = this.table[next]!;
        slot = next;
      }
    }
    this.table[slot] = 0;
  }

  private allocate(): number {
    if (this.free !== NONE) {
      const entry = this.free;
      this.free = this.newer[entry]!;
      return entry;
    }
    return this.used++;
  }

  /** Doubles the arrays (never beyond `maxEntries` entries) and rebuilds the index. */
  private grow(): void {
    const capacity = Math.min(this.maxEntries, Math.max(INITIAL_CAPACITY, this.capacity * 2));
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.keyBytes = copy(this.keyBytes, new Uint8Array(capacity * (MAX_KEY_LENGTH + 1)));
    this.hashes = copy(this.hashes, new Int32Array(capacity));
    this.expires = copy(this.expires, new Float64Array(capacity));
    this.older = copy(this.older, new Int32Array(capacity));
    this.newer = copy(this.newer, new Int32Array(capacity));
    this.values.length = capacity;
    this.capacity = capacity;
    // At most half full: probe sequences stay short.
    let tableSize = 1;
    while (tableSize < capacity * 2) tableSize *= 2;
    this.table = new Int32Array(tableSize);
    for (let entry = this.oldest; entry !== NONE; entry = this.newer[entry]!) {
      this.insertIntoTable(entry, this.hashes[entry]!);
    }
  }

  private markUsed(entry: number): void {
    if (entry === this.newest) return;
    this.unlink(entry);
    this.older[entry] = this.newest;
    this.newer[entry] = NONE;
    this.newer[this.newest] = entry;
    this.newest = entry;
  }

  private unlink(entry: number): void {
    const older = this.older[entry]!;
    const newer = this.newer[entry]!;
    if (older === NONE) this.oldest = newer;
    else this.newer[older] = newer;
    if (newer === NONE) this.newest = older;
    else this.older[newer] = older;
  }
}

/**
 * FNV-1a over the key's characters from a secret basis, then MurmurHash3's finalizer so every bit of the
 * key reaches the low bits the table uses. Keys longer than 32 characters, or with characters above U+00FF,
 * are not digests: a programming error.
 */
function hashOf(key: string, seed: number): number {
  if (key.length > MAX_KEY_LENGTH) throw new TypeError('ExpiringCache keys are digests (at most 32 characters)');
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code > 0xff) throw new TypeError('ExpiringCache keys are digests (one-byte characters)');
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
