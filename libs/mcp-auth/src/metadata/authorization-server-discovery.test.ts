import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizationServerDiscoveryError } from '../errors/mcp-auth.errors.js';
import { startLocalIssuer } from '../testing/local-issuer.js';
import { discoverAuthorizationServer, discoveryUrls } from './authorization-server-discovery.js';

/** A fake fetch answering from a table of URL -> response factory, recording every URL asked. */
function fakeFetch(routes: Record<string, () => Response>) {
  const calls: string[] = [];
  const impl = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { impl, calls };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    Response.json(body, { status });

async function rejection(promise: Promise<unknown>): Promise<AuthorizationServerDiscoveryError> {
  const error = await promise.then(
    () => assert.fail('expected discovery to fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof AuthorizationServerDiscoveryError, `unexpected error: ${String(error)}`);
  assert.equal(error.code, 'ERR_MCP_AUTH_DISCOVERY');
  return error;
}

describe('discoveryUrls', () => {
  it('orders OAuth before OIDC for an issuer with a path', () => {
    assert.deepEqual(discoveryUrls('https://as.example/tenant', 'oauth'), [
      'https://as.example/.well-known/oauth-authorization-server/tenant',
      'https://as.example/.well-known/openid-configuration/tenant',
      'https://as.example/tenant/.well-known/openid-configuration',
    ]);
  });

  it('puts the appended OIDC URL first for type oidc', () => {
    assert.deepEqual(discoveryUrls('https://as.example/tenant', 'oidc'), [
      'https://as.example/tenant/.well-known/openid-configuration',
      'https://as.example/.well-known/openid-configuration/tenant',
      'https://as.example/.well-known/oauth-authorization-server/tenant',
    ]);
  });

  it('uses the root well-known URLs for an issuer without a path', () => {
    const oauth = [
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ];
    assert.deepEqual(discoveryUrls('https://as.example', 'oauth'), oauth);
    assert.deepEqual(discoveryUrls('https://as.example', 'oidc'), [...oauth].reverse());
  });

  it('treats a trailing slash as no path (Auth0 style) and strips it from a path', () => {
    assert.deepEqual(discoveryUrls('https://x.auth0.com/', 'oidc'), [
      'https://x.auth0.com/.well-known/openid-configuration',
      'https://x.auth0.com/.well-known/oauth-authorization-server',
    ]);
    assert.deepEqual(discoveryUrls('https://as.example/realms/a/', 'oauth'), [
      'https://as.example/.well-known/oauth-authorization-server/realms/a',
      'https://as.example/.well-known/openid-configuration/realms/a',
      'https://as.example/realms/a/.well-known/openid-configuration',
    ]);
  });

  it('keeps a non-default port', () => {
    assert.equal(
      discoveryUrls('http://127.0.0.1:4000', 'oauth')[0],
      'http://127.0.0.1:4000/.well-known/oauth-authorization-server',
    );
  });

  it('refuses issuers that are not http(s) URLs without query or fragment', () => {
    for (const issuer of ['not a url', 'ftp://as.example', 'https://as.example?x=1', 'https://as.example#f']) {
      assert.throws(() => discoveryUrls(issuer, 'oauth'), AuthorizationServerDiscoveryError, issuer);
    }
  });
});

describe('discoverAuthorizationServer', () => {
  const issuer = 'https://as.example/tenant';
  const base = { type: 'oauth' as const, timeoutMs: 1000, requireJwksUri: true };
  const good = { issuer, jwks_uri: 'https://as.example/tenant/jwks', token_endpoint: 'https://as.example/t' };

  it('falls back past a 404 to the next URL and returns the document', async () => {
    const { impl, calls } = fakeFetch({ 'https://as.example/.well-known/openid-configuration/tenant': json(good) });
    const metadata = await discoverAuthorizationServer(issuer, { ...base, fetch: impl });
    assert.deepEqual(metadata, good);
    assert.deepEqual(calls, [
      'https://as.example/.well-known/oauth-authorization-server/tenant',
      'https://as.example/.well-known/openid-configuration/tenant',
    ]);
  });

  it('skips non-JSON and non-object bodies', async () => {
    const { impl, calls } = fakeFetch({
      'https://as.example/.well-known/oauth-authorization-server/tenant': () => new Response('<html>login</html>'),
      'https://as.example/.well-known/openid-configuration/tenant': json(['not', 'an', 'object']),
      'https://as.example/tenant/.well-known/openid-configuration': json(good),
    });
    assert.deepEqual(await discoverAuthorizationServer(issuer, { ...base, fetch: impl }), good);
    assert.equal(calls.length, 3);
  });

  it('refuses a document whose issuer differs, naming both values and the URL', async () => {
    const url = 'https://as.example/.well-known/oauth-authorization-server/tenant';
    const { impl, calls } = fakeFetch({ [url]: json({ ...good, issuer: 'https://evil.example/tenant' }) });
    const error = await rejection(discoverAuthorizationServer(issuer, { ...base, fetch: impl }));
    assert.match(error.message, /https:\/\/evil\.example\/tenant/);
    assert.ok(error.message.includes(`${url}: the document's issuer`), error.message);
    assert.ok(error.message.includes(JSON.stringify(issuer)), error.message);
    assert.equal(error.issuer, issuer);
    assert.equal(calls.length, 3, 'the remaining URLs are still tried');
  });

  it('hints at the trailing slash when that is the only difference', async () => {
    const { impl } = fakeFetch({
      'https://x.auth0.com/.well-known/openid-configuration': json({ ...good, issuer: 'https://x.auth0.com/' }),
    });
    const error = await rejection(discoverAuthorizationServer('https://x.auth0.com', { ...base, fetch: impl }));
    assert.match(error.message, /trailing slash matters/);
  });

  it('uses a later matching document after a mismatching one, never the mismatching one', async () => {
    const { impl } = fakeFetch({
      'https://as.example/.well-known/oauth-authorization-server/tenant': json({
        issuer: 'https://as.example',
        jwks_uri: 'https://wrong/jwks',
      }),
      'https://as.example/tenant/.well-known/openid-configuration': json(good),
    });
    const metadata = await discoverAuthorizationServer(issuer, { ...base, fetch: impl });
    assert.equal(metadata.jwks_uri, good.jwks_uri);
  });

  it('fails at once when the matching document lacks a required jwks_uri', async () => {
    const url = 'https://as.example/.well-known/oauth-authorization-server/tenant';
    const { impl, calls } = fakeFetch({ [url]: json({ issuer }) });
    const error = await rejection(discoverAuthorizationServer(issuer, { ...base, fetch: impl }));
    assert.ok(error.message.includes(url), error.message);
    assert.match(error.message, /jwks_uri/);
    assert.equal(calls.length, 1);
    // Not needed when the issuer's tokens are introspected.
    assert.deepEqual(await discoverAuthorizationServer(issuer, { ...base, requireJwksUri: false, fetch: impl }), {
      issuer,
    });
  });

  it('lists every URL and its reason when all fail', async () => {
    const { impl } = fakeFetch({
      'https://as.example/.well-known/openid-configuration/tenant': () => new Response('oops', { status: 500 }),
      'https://as.example/tenant/.well-known/openid-configuration': () =>
        Response.redirect('https://elsewhere.example/', 302),
    });
    const error = await rejection(discoverAuthorizationServer(issuer, { ...base, fetch: impl }));
    assert.match(error.message, /oauth-authorization-server\/tenant: HTTP 404/);
    assert.match(error.message, /openid-configuration\/tenant: HTTP 500/);
    assert.match(
      error.message,
      /tenant\/\.well-known\/openid-configuration: redirected \(HTTP 302 to https:\/\/elsewhere\.example\/\)/,
    );
  });

  it('refuses documents over the size cap', async () => {
    const { impl } = fakeFetch({
      'https://as.example/.well-known/oauth-authorization-server/tenant': json({ ...good, pad: 'x'.repeat(2000) }),
    });
    const error = await rejection(discoverAuthorizationServer(issuer, { ...base, maxBytes: 1000, fetch: impl }));
    assert.match(error.message, /larger than 1000 bytes/);
  });

  describe('over real HTTP', () => {
    const servers: Server[] = [];
    after(() =>
      Promise.all(
        servers.map((server) => {
          server.closeAllConnections(); // the never-answering server still holds its requests
          return new Promise((resolve) => server.close(resolve));
        }),
      ),
    );

    async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it('discovers a local issuer with a path', async () => {
      const as = await startLocalIssuer({ issuerPath: '/tenant' });
      try {
        const metadata = await discoverAuthorizationServer(as.issuer, base);
        assert.equal(metadata.issuer, as.issuer);
        assert.equal(metadata.jwks_uri, as.jwksUri);
        assert.equal(as.requests.discovery, 1);
      } finally {
        await as.close();
      }
    });

    it('gives up on a server that never answers within the timeout, per URL', async () => {
      let requests = 0;
      const origin = await listen(() => {
        requests++; // never responds
      });
      const started = Date.now();
      const error = await rejection(discoverAuthorizationServer(origin, { ...base, timeoutMs: 50 }));
      assert.ok(Date.now() - started < 3000, 'bounded by the timeout');
      assert.equal(requests, 2);
      assert.match(error.message, /oauth-authorization-server: no complete response within 50 ms/);
      assert.match(error.message, /openid-configuration: no complete response within 50 ms/);
    });

    it('names the network error when nothing listens', async () => {
      const origin = await listen(() => undefined);
      await new Promise((resolve) => servers.pop()!.close(resolve));
      const error = await rejection(discoverAuthorizationServer(origin, base));
      assert.match(error.message, /network error \(fetch failed: ECONNREFUSED\)/);
    });
  });
});
