import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpiringCache } from './expiring.cache.js';

describe('ExpiringCache', () => {
  it('returns a remembered value for the exact same key only', () => {
    const cache = new ExpiringCache<string>(1000, 10, () => 0);
    cache.set('key-a', 'a');
    assert.equal(cache.get('key-a'), 'a');
    assert.equal(cache.get('key-a '), undefined);
    assert.equal(cache.get('key-b'), undefined);
  });

  it('forgets values after the TTL and never keeps one past the given deadline', () => {
    let now = 0;
    const cache = new ExpiringCache<string>(1000, 10, () => now);
    cache.set('long', 'x');
    cache.set('expiring', 'x', 300);
    now = 299;
    assert.ok(cache.get('expiring'));
    now = 300;
    assert.equal(cache.get('expiring'), undefined);
    assert.ok(cache.get('long'));
    now = 1000;
    assert.equal(cache.get('long'), undefined);
    assert.equal(cache.size, 0);
  });

  it('does not store values whose deadline has passed, nor anything with a zero TTL', () => {
    const cache = new ExpiringCache<string>(1000, 10, () => 500);
    cache.set('expired', 'x', 500);
    assert.equal(cache.size, 0);
    const disabled = new ExpiringCache<string>(0, 10, () => 0);
    disabled.set('key', 'x');
    assert.equal(disabled.get('key'), undefined);
  });

  it('stays within maxEntries, dropping the least recently used first', () => {
    const cache = new ExpiringCache<number>(1000, 3, () => 0);
    for (const [index, key] of ['k1', 'k2', 'k3'].entries()) cache.set(key, index);
    assert.equal(cache.get('k1'), 0);
    cache.set('k4', 3);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('k2'), undefined);
    assert.equal(cache.get('k1'), 0);
    assert.equal(cache.get('k4'), 3);
  });
});

describe('ExpiringCache recency', () => {
  it('keeps keys least recently used first through gets, updates and evictions', () => {
    const cache = new ExpiringCache<number>(1000, 3, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.get('a');
    assert.deepEqual(cache.keys(), ['b', 'c', 'a']);
    cache.set('c', 30);
    assert.deepEqual(cache.keys(), ['b', 'a', 'c']);
    cache.set('d', 4);
    assert.deepEqual(cache.keys(), ['a', 'c', 'd']);
    assert.equal(cache.get('c'), 30);
  });

  it('behaves like a reference LRU over a long mixed sequence', () => {
    let now = 0;
    const cache = new ExpiringCache<number>(50, 8, () => now);
    const reference = new ReferenceLru(50, 8, () => now);
    const random = seededRandom(7);
    for (let step = 0; step < 5000; step++) {
      now += random(3);
      const key = `k${random(20)}`;
      if (random(2) === 0) assert.equal(cache.get(key), reference.get(key), `step ${step}`);
      else {
        reference.set(key, step);
        cache.set(key, step);
      }
      assert.deepEqual(cache.keys(), reference.keys(), `step ${step}`);
    }
  });
});

describe('ExpiringCache storage', () => {
  it('grows past its initial arrays and keeps every entry findable through evictions and expiries', () => {
    let now = 0;
    const cache = new ExpiringCache<number>(400, 600, () => now);
    const reference = new ReferenceLru(400, 600, () => now);
    const random = seededRandom(11);
    // Digest-like keys: 32 one-byte characters, many sharing their first characters.
    const key = (n: number) => `${String.fromCharCode(n % 7, 200)}${String(n).padStart(30, '\u00ff')}`;
    for (let step = 0; step < 30_000; step++) {
      if (random(10) === 0) now += 1;
      const k = key(random(2000));
      if (random(3) === 0) assert.equal(cache.get(k), reference.get(k), `step ${step}`);
      else {
        reference.set(k, step);
        cache.set(k, step);
      }
      if (step % 5000 === 0) assert.deepEqual(cache.keys(), reference.keys());
    }
    assert.equal(cache.size, reference.keys().length);
    assert.deepEqual(cache.keys(), reference.keys());
  });

  it('takes digests only: at most 32 one-byte characters', () => {
    const cache = new ExpiringCache<number>(1000, 10, () => 0);
    cache.set('\u00ff'.repeat(32), 1);
    assert.equal(cache.get('\u00ff'.repeat(32)), 1);
    assert.throws(() => cache.set('x'.repeat(33), 1), TypeError);
    assert.throws(() => cache.get('\u0100'), TypeError);
  });
});

/** A seeded linear congruential generator: the same sequence on every run. */
function seededRandom(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
}

/** What an LRU cache with a TTL must answer, written the obvious way: a Map in recency order. */
class ReferenceLru {
  private readonly entries = new Map<string, { value: number; expiresAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || entry.expiresAtMs <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAtMs: this.now() + this.ttlMs });
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}
