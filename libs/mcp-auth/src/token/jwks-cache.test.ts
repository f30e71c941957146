import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader, errors, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { startLocalIssuer, type LocalIssuer } from '../testing/local-issuer.js';
import { JwksUnavailableError } from '../errors/mcp-auth.errors.js';
import { resolveOptions } from '../options/resolve-options.js';
import { JwksCache } from './jwks-cache.js';
import { recordingLogger } from '../test-support/recording-logger.js';

async function publicJwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid };
}

/** A controllable JWKS endpoint: what it serves, whether it is up, and a manual clock. */
function fakeJwksEndpoint(initialKeys: JWK[]) {
  const state = { keys: initialKeys, up: true, body: undefined as unknown, calls: 0, clock: 1_000_000 };
  const impl = (async () => {
    state.calls++;
    // A real delay, so that concurrent lookups genuinely overlap with the fetch.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!state.up) throw new TypeError('fetch failed');
    return Response.json(state.body ?? { keys: state.keys });
  }) as typeof fetch;
  return { state, impl, now: () => state.clock };
}

const timing = { timeoutMs: 1000, cooldownMs: 30_000, maxAgeMs: 600_000 };

describe('JwksCache', () => {
  let keyA: JWK;
  let keyB: JWK;
  before(async () => {
    [keyA, keyB] = await Promise.all([publicJwk('a'), publicJwk('b')]);
  });

  it('fetches once for many concurrent first lookups', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    const keys = await Promise.all(Array.from({ length: 50 }, () => cache.getKey({ alg: 'ES256', kid: 'a' })));
    assert.equal(keys.length, 50);
    assert.equal(cache.fetchCount, 1);
    assert.equal(endpoint.state.calls, 1);
  });

  it('coalesces 50 concurrent unknown-kid lookups into one refetch, then cools down', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    endpoint.state.clock += timing.cooldownMs;

    const lookups = Array.from({ length: 50 }, () => cache.getKey({ alg: 'ES256', kid: 'unknown' }));
    const results = await Promise.allSettled(lookups);
    assert.ok(
      results.every((result) => result.status === 'rejected' && result.reason instanceof errors.JWKSNoMatchingKey),
    );
    assert.equal(cache.fetchCount, 2, 'one initial fetch + one refetch');

    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'other' }), errors.JWKSNoMatchingKey);
    assert.equal(cache.fetchCount, 2, 'no refetch within the cooldown');
    endpoint.state.clock += timing.cooldownMs;
    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'other' }), errors.JWKSNoMatchingKey);
    assert.equal(cache.fetchCount, 3, 'one refetch once the cooldown passed');
  });

  it('accepts a rotated key after one refetch', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    endpoint.state.keys = [keyB, keyA];
    endpoint.state.clock += timing.cooldownMs;
    const [first, second] = await Promise.all([
      cache.getKey({ alg: 'ES256', kid: 'b' }),
      cache.getKey({ alg: 'ES256', kid: 'b' }),
    ]);
    assert.equal(first.type, 'public');
    assert.equal(second, first);
    assert.equal(cache.fetchCount, 2);
  });

  it('keeps serving cached keys while the endpoint is down, even past maxAge', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    endpoint.state.up = false;
    endpoint.state.clock += timing.maxAgeMs + 1;
    assert.equal((await cache.getKey({ alg: 'ES256', kid: 'a' })).type, 'public');
    assert.equal(cache.fetchCount, 2, 'the stale keys triggered one refresh attempt');
    await new Promise((resolve) => setTimeout(resolve, 40)); // the background refresh (20 ms) has failed by now
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    assert.equal(cache.fetchCount, 2, 'the failed refresh is not retried within the cooldown');
    endpoint.state.clock += timing.cooldownMs;
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    assert.equal(cache.fetchCount, 3, '...but is retried after it');
  });

  it('refreshes keys older than maxAge', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    endpoint.state.keys = [keyB];
    endpoint.state.clock += timing.maxAgeMs;
    await cache.getKey({ alg: 'ES256', kid: 'b' });
    assert.equal(cache.fetchCount, 2);
    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), errors.JWKSNoMatchingKey, 'the old set is replaced');
  });

  it('throws JwksUnavailableError without keys, and retries only after the cooldown', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    endpoint.state.up = false;
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    const results = await Promise.allSettled([1, 2, 3].map(() => cache.getKey({ alg: 'ES256', kid: 'a' })));
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof JwksUnavailableError);
      assert.match(result.reason.message, /https:\/\/as\/jwks: network error \(fetch failed\)/);
    }
    assert.equal(cache.fetchCount, 1);
    endpoint.state.up = true;
    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), JwksUnavailableError, 'failure not retried at once');
    assert.equal(cache.fetchCount, 1);
    endpoint.state.clock += timing.cooldownMs;
    assert.equal((await cache.getKey({ alg: 'ES256', kid: 'a' })).type, 'public', 'nor cached forever');
    assert.equal(cache.fetchCount, 2);
  });

  it('retries within a second while no key is cached, even with a long cooldown (no lockout after a slow boot)', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    endpoint.state.up = false;
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), JwksUnavailableError);
    endpoint.state.up = true;
    endpoint.state.clock += 1000;
    assert.equal((await cache.getKey({ alg: 'ES256', kid: 'a' })).type, 'public');
    assert.equal(cache.fetchCount, 2);
  });

  it('with the default timing, accepts a key rotation within a second of a stray unknown kid', async () => {
    const defaults = resolveOptions({
      resources: [{ resource: 'https://rs.example/mcp', authorizationServers: [{ issuer: 'https://as.example' }] }],
    }).jwks;
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...defaults, now: endpoint.now }, endpoint.impl);
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    endpoint.state.clock += defaults.cooldownMs;
    // A stray token with an unknown kid spends the refetch just before the issuer rotates.
    await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'stray' }), errors.JWKSNoMatchingKey);
    endpoint.state.keys = [keyB, keyA];
    endpoint.state.clock += 1000;
    assert.equal((await cache.getKey({ alg: 'ES256', kid: 'b' })).type, 'public');
    // ...while a flood of unknown kids still costs at most one fetch per cooldown.
    const flood = Array.from({ length: 100 }, (_, i) => cache.getKey({ alg: 'ES256', kid: `forged-${i}` }));
    await Promise.allSettled(flood);
    assert.equal(cache.fetchCount, 3, 'initial fetch, the stray kid, the rotation; the flood is within the cooldown');
  });

  it('hands a key found before back synchronously, until the key set changes', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
    const first = cache.keyFor({ alg: 'ES256', kid: 'a' });
    assert.ok(first instanceof Promise, 'the first lookup fetches');
    const key = await first;
    assert.equal(cache.keyFor({ alg: 'ES256', kid: 'a' }), key, 'then the same key, synchronously');
    const otherAlg = cache.keyFor({ alg: 'ES384', kid: 'a' });
    assert.ok(otherAlg instanceof Promise, 'another alg is another lookup');
    await assert.rejects(otherAlg, errors.JWKSNoMatchingKey);
    await assert.rejects(Promise.resolve(cache.keyFor({ alg: 'ES256', kid: 'b' })), errors.JWKSNoMatchingKey);

    // The issuer reuses kid "a" for a new key; once the set is refreshed (stale), the old key is gone.
    const replacement = { ...keyB, kid: 'a' };
    endpoint.state.keys = [replacement];
    endpoint.state.clock += timing.maxAgeMs;
    assert.equal(cache.keyFor({ alg: 'ES256', kid: 'a' }), key, 'stale keys serve while the refresh runs');
    // Until the refresh lands (bounded: 100 × 10 ms).
    for (let i = 0; i < 100 && cache.keyFor({ alg: 'ES256', kid: 'a' }) === key; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const renewed = await cache.keyFor({ alg: 'ES256', kid: 'a' });
    assert.notEqual(renewed, key);
    assert.deepEqual(await exportJWK(renewed), await exportJWK(await importJWK(replacement, 'ES256')));
  });

  it('logs an outage once, with its URL and reason, and the recovery once', async () => {
    const endpoint = fakeJwksEndpoint([keyA]);
    endpoint.state.up = false;
    const { lines, logger } = recordingLogger();
    const cache = new JwksCache(
      'https://as/jwks',
      { ...timing, cooldownMs: 0, now: endpoint.now, logger },
      endpoint.impl,
    );
    for (let i = 0; i < 3; i++) {
      await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), JwksUnavailableError);
    }
    endpoint.state.up = true;
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    await cache.getKey({ alg: 'ES256', kid: 'a' });
    assert.deepEqual(lines, [
      'error JWKS https://as/jwks is unavailable (network error (fetch failed)); no key is cached: tokens are refused until it recovers',
      'log JWKS https://as/jwks is reachable again',
    ]);
  });

  it('refuses documents that are not a JWK set', async () => {
    for (const body of [{}, { keys: 'nope' }, [keyA], { keys: ['nope'] }]) {
      const endpoint = fakeJwksEndpoint([]);
      endpoint.state.body = body;
      const cache = new JwksCache('https://as/jwks', { ...timing, now: endpoint.now }, endpoint.impl);
      await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), JwksUnavailableError, JSON.stringify(body));
    }
  });

  it('bounds a fetch that never completes by the timeout', async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as typeof fetch;
    const cache = new JwksCache('https://as/jwks', { ...timing, timeoutMs: 50 }, hanging);
    // AbortSignal.timeout's timer does not keep the process alive and this fake fetch has no socket that would.
    const keepAlive = setTimeout(() => undefined, 5000);
    const started = Date.now();
    try {
      await assert.rejects(cache.getKey({ alg: 'ES256', kid: 'a' }), /no complete response within 50 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      clearTimeout(keepAlive);
    }
  });

  describe('against a local issuer', () => {
    let as: LocalIssuer;
    before(async () => {
      as = await startLocalIssuer();
    });
    after(() => as.close());

    it('fetches over HTTP and survives the endpoint going down', async () => {
      const cache = new JwksCache(as.jwksUri, { ...timing, maxAgeMs: 0, cooldownMs: 0 });
      const header = decodeProtectedHeader(await as.mint({}));
      await cache.getKey(header);
      as.setJwksAvailable(false);
      assert.equal((await cache.getKey(header)).type, 'public');
      // The stale-key refresh runs in the background: give it a bounded moment to reach the server.
      for (let i = 0; i < 100 && as.requests.jwks < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(as.requests.jwks, 2, 'the refresh was attempted (maxAge 0) and failed');
      as.setJwksAvailable(true);
    });
  });
});
