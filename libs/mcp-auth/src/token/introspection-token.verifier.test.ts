import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IntrospectionTokenVerifier, type IntrospectionTokenVerifierOptions } from './introspection-token.verifier.js';
import { expectInvalid } from '../test-support/expect-invalid-token.js';
import { recordingLogger } from '../test-support/recording-logger.js';

const ISSUER = 'https://as.example';
const RESOURCE = 'http://localhost:3000/mcp';
const TARGET = { resource: RESOURCE, audience: [RESOURCE] };
/** Distinctive, so that a test can tell it never appears in an error. */
const TOKEN = 'opaque-7f3c9a1e';

interface Call {
  authorization: string | undefined;
  contentType: string | undefined;
  params: URLSearchParams;
}

/** A local RFC 7662 endpoint answering from `answers` (by token) and recording every call. */
async function startIntrospectionServer() {
  const calls: Call[] = [];
  const answers = new Map<string, unknown>();
  const behaviour = { status: 200, raw: undefined as string | undefined, delayMs: 0, hang: false };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      calls.push({
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        params,
      });
      if (behaviour.hang) return;
      setTimeout(() => {
        response.writeHead(behaviour.status, { 'content-type': 'application/json' });
        response.end(behaviour.raw ?? JSON.stringify(answers.get(params.get('token') ?? '') ?? { active: false }));
      }, behaviour.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { endpoint, calls, answers, behaviour, close };
}

describe('IntrospectionTokenVerifier', () => {
  let fake: Awaited<ReturnType<typeof startIntrospectionServer>>;
  let clock: number;
  const seconds = () => Math.floor(clock / 1000);
  const verifierFor = (overrides: Partial<IntrospectionTokenVerifierOptions> = {}) =>
    new IntrospectionTokenVerifier({
      issuer: ISSUER,
      endpoint: fake.endpoint,
      clientId: 'rs',
      clientSecret: 'secret',
      clientAuthMethod: 'client_secret_basic',
      cacheTtlMs: 60_000,
      inactiveCacheTtlMs: 5000,
      cacheMaxEntries: 100,
      maxConcurrentRequests: 16,
      timeoutMs: 1000,
      clockToleranceSeconds: 5,
      scopeClaim: undefined,
      now: () => clock,
      ...overrides,
    });
  const answer = (token: string, claims: Record<string, unknown>) =>
    fake.answers.set(token, { active: true, iss: ISSUER, aud: RESOURCE, exp: seconds() + 300, ...claims });

  before(async () => {
    fake = await startIntrospectionServer();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    fake.answers.clear();
    Object.assign(fake.behaviour, { status: 200, raw: undefined, delayMs: 0, hang: false });
    clock = Date.now();
  });
  after(() => fake.close());

  it('introspects an active token and describes it', async () => {
    answer(TOKEN, { scope: 'notes:read notes:write', client_id: 'app', sub: 'alice', aud: [RESOURCE, 'x'] });
    const auth = await verifierFor().verify(TOKEN, TARGET);
    assert.equal(auth.token, TOKEN);
    assert.ok(!JSON.stringify(auth).includes(TOKEN));
    assert.deepEqual(auth.scopes, ['notes:read', 'notes:write']);
    assert.equal(auth.clientId, 'app');
    assert.equal(auth.subject, 'alice');
    assert.equal(auth.issuer, ISSUER);
    assert.deepEqual(auth.audience, [RESOURCE, 'x']);
    assert.equal(auth.expiresAt, seconds() + 300);
    assert.equal(auth.resource?.href, RESOURCE);
    const [call] = fake.calls;
    assert.equal(call!.params.get('token'), TOKEN);
    assert.equal(call!.params.get('token_type_hint'), 'access_token');
    assert.equal(call!.contentType, 'application/x-www-form-urlencoded');
  });

  it('form-url-encodes client credentials before base64 (client_secret_basic)', async () => {
    answer(TOKEN, {});
    await verifierFor({ clientId: 'my client:1', clientSecret: 'p@ss w%rd+é' }).verify(TOKEN, TARGET);
    const expected = Buffer.from('my+client%3A1:p%40ss+w%25rd%2B%C3%A9').toString('base64');
    assert.equal(fake.calls[0]!.authorization, `Basic ${expected}`);
    assert.equal(fake.calls[0]!.params.get('client_secret'), null);
  });

  it('sends credentials in the body with client_secret_post', async () => {
    answer(TOKEN, {});
    await verifierFor({ clientAuthMethod: 'client_secret_post' }).verify(TOKEN, TARGET);
    assert.equal(fake.calls[0]!.authorization, undefined);
    assert.equal(fake.calls[0]!.params.get('client_id'), 'rs');
    assert.equal(fake.calls[0]!.params.get('client_secret'), 'secret');
  });

  it('reuses a cached result, and shares one request between concurrent calls', async () => {
    answer(TOKEN, {});
    fake.behaviour.delayMs = 20;
    const verifier = verifierFor();
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(TOKEN, TARGET)));
    await verifier.verify(TOKEN, TARGET);
    assert.equal(fake.calls.length, 1);
    assert.equal(verifier.requestCount, 1);
  });

  it('never caches past exp', async () => {
    answer(TOKEN, { exp: seconds() + 2 });
    const verifier = verifierFor();
    await verifier.verify(TOKEN, TARGET);
    clock += 2_001;
    await verifier.verify(TOKEN, TARGET); // expired by 1 s: within the clock tolerance, but not cached
    assert.equal(fake.calls.length, 2);
    clock += 10_000;
    await expectInvalid(verifier.verify(TOKEN, TARGET), 'The access token expired', TOKEN);
  });

  it('caches a token without exp for cacheTtlMs at most', async () => {
    answer(TOKEN, { exp: undefined });
    const verifier = verifierFor({ cacheTtlMs: 1000 });
    await verifier.verify(TOKEN, TARGET);
    clock += 999;
    await verifier.verify(TOKEN, TARGET);
    assert.equal(fake.calls.length, 1);
    clock += 2;
    await verifier.verify(TOKEN, TARGET);
    assert.equal(fake.calls.length, 2);
  });

  it('evicts the least recently used entry beyond cacheMaxEntries', async () => {
    for (const token of ['a', 'b', 'c']) answer(token, {});
    const verifier = verifierFor({ cacheMaxEntries: 2 });
    for (const token of ['a', 'b', 'a', 'c']) await verifier.verify(token, TARGET); // 'b' is the LRU when 'c' arrives
    assert.equal(fake.calls.length, 3);
    await verifier.verify('a', TARGET);
    assert.equal(fake.calls.length, 3);
    await verifier.verify('b', TARGET);
    assert.equal(fake.calls.length, 4);
  });

  it('rejects an inactive token and remembers that only briefly', async () => {
    fake.answers.set(TOKEN, { active: false });
    const verifier = verifierFor();
    await expectInvalid(verifier.verify(TOKEN, TARGET), 'The access token is not active', TOKEN);
    // The same junk token again, at once: answered from the cache, no second request.
    await expectInvalid(verifier.verify(TOKEN, TARGET), 'The access token is not active', TOKEN);
    assert.equal(fake.calls.length, 1);
    // Replicated later: accepted once the short inactive period is over.
    answer(TOKEN, {});
    clock += 5001;
    await verifier.verify(TOKEN, TARGET);
    assert.equal(fake.calls.length, 2);
  });

  it('shares one request among concurrent calls for one junk token', async () => {
    fake.behaviour.delayMs = 20;
    const verifier = verifierFor();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => verifier.verify(TOKEN, TARGET)));
    assert.ok(results.every((result) => result.status === 'rejected'));
    assert.equal(fake.calls.length, 1);
  });

  it('keeps at most maxConcurrentRequests introspections in flight for a flood of distinct tokens', async () => {
    fake.behaviour.delayMs = 20;
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (...args) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await fetch(...args);
      } finally {
        inFlight--;
      }
    };
    const verifier = verifierFor({ maxConcurrentRequests: 3, fetch: counting });
    await Promise.allSettled(Array.from({ length: 30 }, (_, index) => verifier.verify(`junk-${index}`, TARGET)));
    assert.equal(fake.calls.length, 30);
    assert.equal(peak, 3);
  });

  it('refuses as unverifiable a token that waited longer than the timeout for a free slot', async () => {
    let release!: () => void;
    const stuck = new Promise<Response>((resolve) => (release = () => resolve(Response.json({ active: false }))));
    let requests = 0;
    // The first introspection never finishes on its own (a fetch that ignores its abort signal).
    const stuckFetch: typeof fetch = () => {
      requests++;
      return stuck;
    };
    const verifier = verifierFor({ maxConcurrentRequests: 1, timeoutMs: 50, fetch: stuckFetch });
    const first = verifier.verify('first', TARGET);
    await expectInvalid(verifier.verify('second', TARGET), 'Token could not be verified', 'second');
    assert.equal(requests, 1);
    release();
    await expectInvalid(first, 'The access token is not active', 'first');
  });

  it('treats anything but active === true as inactive', async () => {
    fake.answers.set(TOKEN, { active: 'true', aud: RESOURCE });
    await expectInvalid(verifierFor().verify(TOKEN, TARGET), 'The access token is not active', TOKEN);
  });

  it('checks aud, iss, nbf, exp and token_type on every call', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ aud: 'https://other.example' }, 'The access token audience is not this resource'],
      [{ aud: undefined }, 'The access token has no audience'],
      [{ iss: 'https://evil.example' }, 'The access token issuer is not trusted'],
      [{ nbf: seconds() + 60 }, 'The access token is not valid yet'],
      [{ exp: seconds() - 60 }, 'The access token expired'],
      [{ exp: 'tomorrow' }, 'The access token expiry is invalid'],
      [{ token_type: 'refresh_token' }, 'The token is not an access token'],
    ];
    for (const [index, [claims, description]] of cases.entries()) {
      answer(`${TOKEN}-${index}`, claims);
      await expectInvalid(verifierFor().verify(`${TOKEN}-${index}`, TARGET), description, `${TOKEN}-${index}`);
    }
  });

  it('checks the audience per resource even on a cache hit', async () => {
    answer(TOKEN, {});
    const verifier = verifierFor();
    await verifier.verify(TOKEN, TARGET);
    const other = { resource: 'http://localhost:3000/other', audience: ['http://localhost:3000/other'] };
    await expectInvalid(verifier.verify(TOKEN, other), 'The access token audience is not this resource', TOKEN);
    assert.equal(fake.calls.length, 1);
  });

  it('accepts any audience only when the check is disabled', async () => {
    answer(TOKEN, { aud: undefined });
    await verifierFor().verify(TOKEN, { resource: RESOURCE, audience: undefined });
  });

  it('answers "Token could not be verified" when the endpoint fails', async () => {
    answer(TOKEN, {});
    fake.behaviour.status = 500;
    await expectInvalid(verifierFor().verify(TOKEN, TARGET), 'Token could not be verified', TOKEN);
    fake.behaviour.status = 200;
    fake.behaviour.raw = '<html>';
    await expectInvalid(verifierFor().verify(TOKEN, TARGET), 'Token could not be verified', TOKEN);
    fake.behaviour.raw = '[]';
    await expectInvalid(verifierFor().verify(TOKEN, TARGET), 'Token could not be verified', TOKEN);
    const down = verifierFor({ endpoint: 'http://127.0.0.1:1/introspect' });
    await expectInvalid(down.verify(TOKEN, TARGET), 'Token could not be verified', TOKEN);
  });

  it('logs an outage of the endpoint once, with its reason and never a token, and the recovery once', async () => {
    const { lines: logs, logger } = recordingLogger();
    const verifier = verifierFor({ logger });
    const tokens = ['tok-a', 'tok-b', 'tok-c'];
    for (const token of tokens) answer(token, {});
    fake.behaviour.status = 503;
    for (const token of tokens.slice(0, 2)) {
      await expectInvalid(verifier.verify(token, TARGET), 'Token could not be verified', token);
    }
    fake.behaviour.status = 200;
    await verifier.verify(tokens[2]!, TARGET);
    await verifier.verify(tokens[0]!, TARGET);
    assert.deepEqual(logs, [
      `error Introspection endpoint ${fake.endpoint} is unavailable (HTTP 503); tokens it would vouch for are refused until it recovers`,
      `log Introspection endpoint ${fake.endpoint} is reachable again`,
    ]);
  });

  it('gives up after the timeout, and retries on the next call', async () => {
    answer(TOKEN, {});
    fake.behaviour.hang = true;
    const verifier = verifierFor({ timeoutMs: 50 });
    const started = Date.now();
    await expectInvalid(verifier.verify(TOKEN, TARGET), 'Token could not be verified', TOKEN);
    assert.ok(Date.now() - started < 2000);
    fake.behaviour.hang = false;
    await verifier.verify(TOKEN, TARGET);
    assert.equal(fake.calls.length, 2);
  });
});
