import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { base64url } from 'jose';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { createDpopKey } from './support/dpop.js';
import { MCP_HEADERS, PING, rawPost } from './support/raw-http.js';
import { type RealAuthorizationServer, startRealAuthorizationServer } from './support/real-authorization-server.js';
import { ADAPTERS, startTestApp, type TestApp } from './support/test-app.js';

const CALL_ADMIN = JSON.stringify({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'admin_only', arguments: {} },
});
const now = () => Math.floor(Date.now() / 1000);

/** One bad credential and what the server must answer. */
interface BadCase {
  name: string;
  headers: () => Promise<string[]>;
  path?: string;
  body?: string;
  status: 400 | 401 | 403;
  /** The `error` in the challenge; `null` for a challenge without one. */
  error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null;
}

for (const adapter of ADAPTERS) {
  describe(`bad credentials against a real authorization server and a forger (${adapter})`, () => {
    let real: RealAuthorizationServer;
    let trusted: LocalIssuer; // a second trusted issuer, for claims oidc-provider would never mint
    let forger: LocalIssuer; // trusted by nobody
    let app: TestApp;
    let mcpUrl: string;
    let realKid: string;

    before(async () => {
      const port = await freePort();
      mcpUrl = `http://127.0.0.1:${port}/mcp`;
      real = await startRealAuthorizationServer([
        { resource: mcpUrl, scopes: ['tools:use', 'admin'] },
        { resource: 'http://127.0.0.1:1/other', scopes: ['tools:use'] },
      ]);
      trusted = await startLocalIssuer({ issuerPath: '/tenant' });
      forger = await startLocalIssuer();
      app = await startTestApp(
        () => ({
          resources: [
            {
              resource: mcpUrl,
              authorizationServers: [{ issuer: real.issuer, type: 'oidc' }, { issuer: trusted.issuer }],
              scopesSupported: ['tools:use', 'admin'],
            },
          ],
          jwks: { cooldownMs: 200 },
        }),
        { port, adapter },
      );
      const jwks = (await (await fetch(`${real.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
      realKid = jwks.keys[0].kid;
    });

    after(async () => {
      await app?.close();
      await Promise.all([real?.close(), trusted?.close(), forger?.close()]);
    });

    const bearer = (token: string) => ['Authorization', `Bearer ${token}`];
    const trustedToken = (claims: Record<string, unknown>, options?: Parameters<LocalIssuer['mint']>[1]) =>
      trusted.mint({ sub: 'alice', aud: mcpUrl, scope: 'tools:use', ...claims }, options);
    const tamper = (token: string, change: (payload: Record<string, unknown>) => void) => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
      change(claims);
      return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    };
    const swapAlg = (token: string, alg: string) => {
      const [header, ...rest] = token.split('.');
      const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(header)));
      return [base64url.encode(JSON.stringify({ ...decoded, alg })), ...rest].join('.');
    };
    const unsigned = (header: object, payload: object, signature = '') =>
      `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.${signature}`;

    /** A refusal without an error code: no credentials the server could read. */
    const noCredentials = (name: string, headers: string[]): BadCase => ({
      name,
      headers: async () => headers,
      status: 401,
      error: null,
    });
    /** A malformed request: 400 invalid_request. */
    const malformed = (name: string, headers: string[], path?: string): BadCase => ({
      name,
      headers: async () => headers,
      path,
      status: 400,
      error: 'invalid_request',
    });
    /** A bearer token that must not verify: 401 invalid_token (also for `body`, when given). */
    const invalidToken = (name: string, token: () => string | Promise<string>, body?: string): BadCase => ({
      name,
      headers: async () => bearer(await token()),
      body,
      status: 401,
      error: 'invalid_token',
    });
    /** A valid bearer token without the scopes of admin_only: 403 insufficient_scope. */
    const insufficientScope = (name: string, token: () => Promise<string>): BadCase => ({
      name,
      headers: async () => bearer(await token()),
      body: CALL_ADMIN,
      status: 403,
      error: 'insufficient_scope',
    });

    const cases: BadCase[] = [
      noCredentials('no Authorization header', []),
      noCredentials('empty Authorization header', ['Authorization', '']),
      noCredentials('Basic credentials', ['Authorization', 'Basic dXNlcjpwYXNz']),
      noCredentials('Digest credentials', ['Authorization', 'Digest username="a"']),

      malformed('"Bearer" without a token', ['Authorization', 'Bearer']),
      malformed('token followed by garbage', ['Authorization', 'Bearer abc def']),
      malformed('token with a quote', ['Authorization', 'Bearer ab"c']),
      malformed('token with a comma', ['Authorization', 'Bearer a,b']),
      malformed('two Authorization headers', [...bearer('a'), ...bearer('b')]),
      malformed('token in the query string', [], '?access_token=abc'),

      invalidToken('oversized token', () => 'a'.repeat(9000)),
      invalidToken('opaque token, no introspection configured', () => 'opaque-token-123'),
      invalidToken('three dots of garbage', () => 'a.b.c'),
      invalidToken(
        'JWT with a non-JSON payload',
        () => `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('not json')}.sig`,
      ),
      invalidToken('four segments', async () => `${await trustedToken({})}.extra`),
      invalidToken('empty signature', async () => (await trustedToken({})).replace(/\.[^.]+$/, '.')),
      invalidToken('expired', () => trustedToken({ exp: now() - 60 })),
      invalidToken('not yet valid (nbf)', () => trustedToken({ nbf: now() + 600 })),
      invalidToken('issued in the future (iat)', () => trustedToken({ iat: now() + 600 })),
      invalidToken('no exp', () => trustedToken({ exp: undefined })),
      invalidToken('audience of another API', () => trustedToken({ aud: 'https://other.example/api' })),
      invalidToken('no audience', () => trustedToken({ aud: undefined })),
      invalidToken('audience list without this resource', () =>
        trustedToken({ aud: ['https://a.example', 'https://b.example'] }),
      ),
      invalidToken('audience with a trailing slash', () => trustedToken({ aud: `${mcpUrl}/` })),
      invalidToken('alg none', () => trustedToken({}, { alg: 'none' })),
      invalidToken('HS256 keyed with the public key', () => trustedToken({}, { alg: 'HS256' })),
      invalidToken('alg header swapped (RS256 signature, RS512 header)', async () =>
        swapAlg(await trustedToken({}), 'RS512'),
      ),
      invalidToken('unknown critical header', () =>
        unsigned(
          { alg: 'RS256', crit: ['x-unknown'], 'x-unknown': 1 },
          { iss: trusted.issuer, aud: mcpUrl, exp: now() + 60 },
          'c2ln',
        ),
      ),
      invalidToken('unknown kid of a trusted issuer', () =>
        forger.mint({ iss: trusted.issuer, sub: 'alice', aud: mcpUrl }, { kid: 'not-a-known-kid' }),
      ),
      invalidToken('untrusted issuer', () => forger.mint({ sub: 'alice', aud: mcpUrl, scope: 'tools:use admin' })),
      invalidToken('trusted issuer with a trailing slash', () =>
        forger.mint({ iss: `${trusted.issuer}/`, sub: 'alice', aud: mcpUrl }),
      ),
      invalidToken('iss is not a string', () =>
        unsigned({ alg: 'RS256' }, { iss: 42, aud: mcpUrl, exp: now() + 60 }, 'c2ln'),
      ),
      invalidToken('forged with the real issuer and its kid', () =>
        forger.mint({ iss: real.issuer, sub: 'alice', aud: mcpUrl, scope: 'tools:use admin' }, { kid: realKid }),
      ),
      invalidToken(
        'real token with a tampered scope',
        async () =>
          tamper(await real.token(mcpUrl, 'tools:use'), (claims) => {
            claims.scope = 'tools:use admin';
          }),
        CALL_ADMIN,
      ),
      invalidToken('real token with a tampered subject', async () =>
        tamper(await real.token(mcpUrl, 'tools:use'), (claims) => {
          claims.sub = 'root';
        }),
      ),
      invalidToken('real token for another resource', () => real.token('http://127.0.0.1:1/other', 'tools:use')),
      // Sender-constrained tokens (RFC 9449 §7.2, RFC 8705) without a proof: the binding is never stripped.
      invalidToken('real DPoP-bound token (cnf.jkt) sent as Bearer', async () =>
        real.token(mcpUrl, 'tools:use', await createDpopKey()),
      ),
      invalidToken('trusted token bound to a TLS client certificate (cnf x5t#S256) sent as Bearer', () =>
        trustedToken({ cnf: { 'x5t#S256': 'A'.repeat(43) } }),
      ),

      // Scope strings are split on the space character only (RFC 6749 §3.3).
      insufficientScope('trusted token whose scope hides "admin" behind a tab', () =>
        trustedToken({ scope: 'tools:use read\tadmin' }),
      ),
      insufficientScope('trusted token whose scope hides "admin" behind a no-break space', () =>
        trustedToken({ scope: 'tools:use read\u00a0admin' }),
      ),
      // Valid, but without the scopes the tool needs.
      insufficientScope('real token without the tool scope', () => real.token(mcpUrl, 'tools:use')),
      insufficientScope('trusted token without the class scope', () => trustedToken({ scope: 'admin' })),
    ];

    it(`answers ${cases.length} bad credentials with the right status and challenge, and never a 5xx`, async () => {
      assert.ok(cases.length >= 30);
      const metadata = `resource_metadata="${mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`;
      const failures: string[] = [];
      for (const badCase of cases) {
        const response = await rawPost(
          `${mcpUrl}${badCase.path ?? ''}`,
          [...MCP_HEADERS, ...(await badCase.headers())],
          badCase.body ?? PING,
        );
        const challenge = String(response.headers['www-authenticate'] ?? '');
        const problems = [
          response.status !== badCase.status && `status ${response.status}`,
          !challenge.startsWith('Bearer') && 'no Bearer challenge',
          !challenge.includes(metadata) && 'no resource_metadata',
          badCase.error === null && /error=/.test(challenge) && 'an error code where none belongs',
          badCase.error !== null && !challenge.includes(`error="${badCase.error}"`) && `not error="${badCase.error}"`,
          badCase.error === 'insufficient_scope' && !/scope="tools:use admin"/.test(challenge) && 'scope not listed',
          /(\n|\\n)\s*at \S|stack|eyJ/.test(response.body) && 'a stack trace or token in the body',
        ].filter(Boolean);
        if (problems.length > 0) failures.push(`${badCase.name}: ${problems.join(', ')} (${challenge})`);
      }
      assert.deepEqual(failures, []);
    });

    it('answers malformed and oversized requests with a clear 4xx, never a 5xx or a stack trace', async () => {
      const token = await trustedToken({});
      const withToken = [...MCP_HEADERS, ...bearer(token)];
      // Each answered the same on both adapters: the framework's body parser refuses what it cannot parse or
      // what is over its limit (Express 100 KiB, Fastify 1 MiB by default), before the guard; the endpoint the rest.
      const attempts = [
        { name: 'malformed JSON', headers: withToken, body: '{"jsonrpc":', status: 400 },
        { name: 'malformed JSON without a token', headers: MCP_HEADERS, body: '{"jsonrpc":', status: 400 },
        {
          name: 'body over the limit',
          headers: withToken,
          body: JSON.stringify({ pad: 'x'.repeat(2 << 20) }),
          status: 413,
        },
        { name: 'not JSON-RPC', headers: withToken, body: '[]', status: 400 },
        {
          name: 'wrong content type',
          headers: ['Content-Type', 'text/plain', 'Accept', 'application/json, text/event-stream', ...bearer(token)],
          body: PING,
          status: 415,
        },
        { name: 'no content type', headers: withToken.slice(2), body: PING, status: 415 },
        {
          name: 'header section over 16 KiB',
          headers: [...MCP_HEADERS, 'Authorization', `Bearer ${'a'.repeat(20_000)}`],
          body: PING,
          status: 431,
        },
      ];
      for (const attempt of attempts) {
        const response = await rawPost(mcpUrl, attempt.headers, attempt.body);
        assert.equal(response.status, attempt.status, `${attempt.name}: status ${response.status}`);
        assert.doesNotMatch(response.body, /\n\s+at |node_modules/, `${attempt.name}: stack trace in the body`);
      }
      const unknownTool = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'nope' } });
      const unknown = await rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(token)], unknownTool);
      assert.equal(unknown.status, 200, 'a protocol-level error travels in the JSON-RPC body');
      assert.equal(JSON.parse(unknown.body).error.code, -32602);
      const after = await rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(token)], PING);
      assert.equal(after.status, 200);
    });

    it('never contacted the untrusted issuer', () => {
      assert.deepEqual(forger.requests, { discovery: 0, jwks: 0 });
    });

    it('still serves valid tokens from both trusted issuers afterwards', async () => {
      for (const token of [
        await real.token(mcpUrl, 'tools:use admin'),
        await trustedToken({ scope: 'tools:use admin' }),
      ]) {
        const response = await rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(token)], CALL_ADMIN);
        assert.equal(response.status, 200);
        assert.match(response.body, /admin done/);
      }
    });

    it('keeps verifying with cached keys while the JWKS endpoint is down', async () => {
      const warm = await rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(await trustedToken({}))], PING);
      assert.equal(warm.status, 200);
      trusted.setJwksAvailable(false);
      try {
        await sleep(250); // past the cooldown: a refetch would be allowed
        const response = await rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(await trustedToken({ sub: 'bob' }))], PING);
        assert.equal(response.status, 200);
        const unknownKid = await rawPost(
          mcpUrl,
          [...MCP_HEADERS, ...bearer(await forger.mint({ iss: trusted.issuer, aud: mcpUrl }, { kid: 'rotated?' }))],
          PING,
        );
        assert.equal(unknownKid.status, 401, 'a failing JWKS endpoint is a 401, not a 5xx');
      } finally {
        trusted.setJwksAvailable(true);
      }
    });

    it('accepts a rotated key after exactly one JWKS refetch', async () => {
      await sleep(250);
      await trusted.rotateKey();
      const before = trusted.requests.jwks;
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => trustedToken({ sub: `user-${i}` })));
      const responses = await Promise.all(
        tokens.map((token) => rawPost(mcpUrl, [...MCP_HEADERS, ...bearer(token)], PING)),
      );
      assert.deepEqual(new Set(responses.map((response) => response.status)), new Set([200]));
      assert.equal(trusted.requests.jwks - before, 1);
    });
  });

  describe(`unreachable authorization servers (${adapter})`, () => {
    it('fails the boot (eager discovery) within the timeout, naming the URL', async () => {
      const deadPort = await freePort();
      const started = Date.now();
      await assert.rejects(
        startTestApp(
          (baseUrl) => ({
            resources: [
              { resource: `${baseUrl}/mcp`, authorizationServers: [{ issuer: `http://127.0.0.1:${deadPort}` }] },
            ],
            discovery: { timeoutMs: 500 },
          }),
          { adapter },
        ),
        (error: Error) => {
          assert.equal((error as { code?: string }).code, 'ERR_MCP_AUTH_DISCOVERY');
          assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${deadPort}/\\.well-known/`));
          return true;
        },
      );
      assert.ok(Date.now() - started < 5000);
    });

    it('answers 401 within bounded time in lazy mode, and recovers when the issuer comes up', async () => {
      const late = await startLocalIssuer();
      late.setDiscoveryAvailable(false);
      const app = await startTestApp(
        (baseUrl) => ({
          resources: [{ resource: `${baseUrl}/mcp`, authorizationServers: [{ issuer: late.issuer }] }],
          discovery: { mode: 'lazy', timeoutMs: 500, retryAfterMs: 100 },
        }),
        { adapter },
      );
      try {
        const token = await late.mint({ sub: 'alice', aud: app.mcpUrl, scope: 'tools:use' });
        const down = await rawPost(app.mcpUrl, [...MCP_HEADERS, 'Authorization', `Bearer ${token}`], PING, 5000);
        assert.equal(down.status, 401);
        assert.match(String(down.headers['www-authenticate']), /invalid_token/);
        late.setDiscoveryAvailable(true);
        await sleep(150);
        const up = await rawPost(app.mcpUrl, [...MCP_HEADERS, 'Authorization', `Bearer ${token}`], PING, 5000);
        assert.equal(up.status, 200);
      } finally {
        await app.close();
        await late.close();
      }
    });

    it('answers 401 when the JWKS endpoint never worked', async () => {
      const broken = await startLocalIssuer();
      broken.setJwksAvailable(false);
      const app = await startTestApp(
        (baseUrl) => ({
          resources: [{ resource: `${baseUrl}/mcp`, authorizationServers: [{ issuer: broken.issuer }] }],
          jwks: { timeoutMs: 500 },
        }),
        { adapter },
      );
      try {
        const token = await broken.mint({ sub: 'alice', aud: app.mcpUrl });
        const response = await rawPost(app.mcpUrl, [...MCP_HEADERS, 'Authorization', `Bearer ${token}`], PING, 5000);
        assert.equal(response.status, 401);
      } finally {
        await app.close();
        await broken.close();
      }
    });
  });
}
