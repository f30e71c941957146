import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Auth, McpAuthModule, Public, RequireScopes } from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { MCP_HEADERS, PING, rawRequest } from './support/raw-http.js';
import { ADAPTERS, createNestApp, type HttpAdapterName } from './support/test-app.js';

@Controller('api')
@RequireScopes('api:read')
class ApiController {
  @Get('me')
  me(@Auth('subject') subject: string) {
    return { subject };
  }
}

/**
 * Registered as `/API/shout`: under the `/api` resource where the router folds case (it serves `/api/shout`),
 * outside it where `/API` and `/api` are different paths (then it belongs to the first resource).
 */
@Controller('API')
@RequireScopes()
class ShoutingController {
  @Get('shout')
  shout(@Auth('subject') subject: string) {
    return { subject };
  }
}

/** A public controller with one protected method: the method's own declaration wins. */
@Controller('mixed')
@Public()
class MixedController {
  @Get('open')
  open() {
    return 'open';
  }

  @Get('closed')
  @RequireScopes('api:read')
  closed(@Auth('subject') subject: string) {
    return { subject };
  }
}

/** Spellings of `GET /api/me` a client may try. */
const VARIANTS = [
  '/api/me',
  '/API/me',
  '/Api/ME',
  '/api/me/',
  '/API/ME/',
  '/%61pi/me',
  '/api/%6De',
  '//api/me',
  '/api//me',
  '/api/me;x',
];

/** A router under test: how the app's adapter is made, and the rules it routes by. */
interface RouterCase {
  name: string;
  adapter: () => HttpAdapterName | AbstractHttpAdapter;
  /** Whether `/API` and `/api` are different paths. */
  caseSensitive: boolean;
  /** The spellings of `/api/me` (in `VARIANTS`) it serves with the `/api/me` route. */
  serves: string[];
}

const ROUTERS: RouterCase[] = [
  ...ADAPTERS.map((adapter) =>
    adapter === 'express'
      ? // Case-insensitive, an optional trailing slash, static segments compared as sent (not percent-decoded).
        { name: adapter, adapter: () => adapter, caseSensitive: false, serves: VARIANTS.slice(0, 5) }
      : // Case-sensitive, exact slashes, the path percent-decoded before matching.
        { name: adapter, adapter: () => adapter, caseSensitive: true, serves: ['/api/me', '/%61pi/me', '/api/%6De'] },
  ),
  {
    name: 'fastify (routerOptions: caseSensitive false, ignoreTrailingSlash, ignoreDuplicateSlashes)',
    adapter: () =>
      new FastifyAdapter({
        routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
      }),
    caseSensitive: false,
    serves: VARIANTS.filter((variant) => !variant.includes(';')),
  },
];

/**
 * Two resources on one app (`/mcp` and `/api`, in the given order, under an optional global prefix):
 * whatever a client varies in the URL, a request is checked against the resource of the route that matched.
 */
async function startTwoResourceApp(
  issuer: LocalIssuer,
  order: 'mcp-first' | 'api-first',
  router: RouterCase,
  prefix = '',
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}${prefix}`;
  const mcp = { resource: `${base}/mcp`, authorizationServers: [{ issuer: issuer.issuer }] };
  const api = {
    resource: `${base}/api`,
    authorizationServers: [{ issuer: issuer.issuer }],
    requiredScopes: ['api:read'],
  };
  @Module({
    imports: [McpAuthModule.forRoot({ resources: order === 'mcp-first' ? [mcp, api] : [api, mcp] })],
    controllers: [ApiController, ShoutingController, MixedController],
  })
  class TwoResourceModule {}
  const app: INestApplication = await createNestApp(TwoResourceModule, router.adapter());
  // RFC 9728 metadata stays at the root of the origin: the prefix must leave it out (the boot insists).
  if (prefix) app.setGlobalPrefix(prefix.slice(1), { exclude: ['.well-known/{*path}'] });
  await app.listen(port, '127.0.0.1');
  return { app, origin: `http://127.0.0.1:${port}`, base };
}

for (const router of ROUTERS) {
  describe(`A route is checked against the resource of the route that matched, never of the URL as sent (${router.name})`, () => {
    let issuer: LocalIssuer;
    before(async () => {
      issuer = await startLocalIssuer();
    });
    after(() => issuer.close());

    const bearer = (token: string) => ['Authorization', `Bearer ${token}`];

    for (const prefix of ['', '/v1']) {
      describe(prefix ? `under the global prefix ${prefix}` : 'without a global prefix', () => {
        let app: Awaited<ReturnType<typeof startTwoResourceApp>>;
        let mcpToken: string;
        let apiToken: string;
        before(async () => {
          app = await startTwoResourceApp(issuer, 'mcp-first', router, prefix);
          mcpToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/mcp`, scope: 'api:read' });
          apiToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: 'api:read' });
        });
        after(() => app.app.close());

        const prefixes = [...new Set([prefix, prefix.toUpperCase()])];
        for (const spelledPrefix of prefixes) {
          const prefixServed = spelledPrefix === prefix || !router.caseSensitive;
          for (const variant of VARIANTS) {
            const path = `${spelledPrefix}${variant}`;
            const served = prefixServed && router.serves.includes(variant);
            it(`GET ${path}: ${served ? "the /api resource's token only" : 'not routed (404) whatever the token'}`, async () => {
              const wrong = await rawRequest('GET', `${app.origin}${path}`, bearer(mcpToken));
              const right = await rawRequest('GET', `${app.origin}${path}`, bearer(apiToken));
              assert.deepEqual([wrong.status, right.status], served ? [401, 200] : [404, 404], path);
              if (served) {
                assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
                assert.match(
                  String(wrong.headers['www-authenticate']),
                  new RegExp(`oauth-protected-resource${prefix}/api"`),
                );
              }
            });
          }
        }

        it("applies the matched resource's requiredScopes whatever the letter case", async () => {
          const noScope = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: '' });
          for (const path of [`${prefix}/mixed/closed`, `${prefix}/MIXED/Closed`]) {
            const response = await rawRequest('GET', `${app.origin}${path}`, bearer(noScope));
            const served = path.includes('mixed') || !router.caseSensitive;
            const expected = served ? 401 : 404;
            assert.equal(
              response.status,
              expected,
              `${path}: a route under no resource path belongs to the first (/mcp)`,
            );
          }
        });

        it(`binds the route registered as ${prefix}/API/shout ${router.caseSensitive ? 'outside' : 'under'} /api, as the router matches`, async () => {
          const owner = router.caseSensitive ? 'mcp' : 'api';
          const ownerToken = router.caseSensitive ? mcpToken : apiToken;
          const otherToken = router.caseSensitive ? apiToken : mcpToken;
          const path = `${prefix}/${router.caseSensitive ? 'API' : 'api'}/shout`;
          assert.equal((await rawRequest('GET', `${app.origin}${path}`, bearer(ownerToken))).status, 200, path);
          const refused = await rawRequest('GET', `${app.origin}${path}`, bearer(otherToken));
          assert.equal(refused.status, 401, path);
          assert.match(
            String(refused.headers['www-authenticate']),
            new RegExp(`oauth-protected-resource${prefix}/${owner}"`),
          );
        });
      });
    }

    it("POST /mcp with the other resource's token is refused on every spelling routed there (the default resource is not a fallback for it)", async () => {
      const app = await startTwoResourceApp(issuer, 'api-first', router);
      try {
        const apiToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: 'api:read' });
        const mcpToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/mcp` });
        for (const path of ['/mcp', '/MCP', '/Mcp/']) {
          const served = path === '/mcp' || !router.caseSensitive;
          const response = await rawRequest(
            'POST',
            `${app.origin}${path}`,
            [...MCP_HEADERS, ...bearer(apiToken)],
            PING,
          );
          assert.equal(response.status, served ? 401 : 404, path);
          if (served) {
            assert.match(
              String(response.headers['www-authenticate']),
              /error="invalid_token".*oauth-protected-resource\/mcp"/,
            );
          }
          const ok = await rawRequest('POST', `${app.origin}${path}`, [...MCP_HEADERS, ...bearer(mcpToken)], PING);
          assert.equal(ok.status, served ? 200 : 404, path);
        }
      } finally {
        await app.app.close();
      }
    });

    describe('@Public() and @RequireScopes() together', () => {
      let app: Awaited<ReturnType<typeof startTwoResourceApp>>;
      before(async () => {
        app = await startTwoResourceApp(issuer, 'api-first', router);
      });
      after(() => app.app.close());

      it('protects a method with its own @RequireScopes under a @Public() class', async () => {
        assert.equal((await rawRequest('GET', `${app.origin}/mixed/open`, [])).status, 200);
        const closed = await rawRequest('GET', `${app.origin}/mixed/closed`, []);
        assert.equal(closed.status, 401);
        assert.match(String(closed.headers['www-authenticate']), /scope="api:read"/);
        const token = await issuer.mint({ sub: 'bob', aud: `${app.base}/api`, scope: 'api:read' });
        const allowed = await rawRequest('GET', `${app.origin}/mixed/closed`, bearer(token));
        assert.deepEqual(JSON.parse(allowed.body), { subject: 'bob' });
      });
    });

    describe('the metadata route with a path made to be slow', () => {
      it('answers 16,000 slashes at once and keeps serving', async () => {
        const app = await startTwoResourceApp(issuer, 'mcp-first', router);
        try {
          const path = `/.well-known/oauth-protected-resource${'/'.repeat(16_000)}x`;
          const attacks = await Promise.all(
            Array.from({ length: 5 }, () => rawRequest('GET', `${app.origin}${path}`, [])),
          );
          for (const attack of attacks) assert.equal(attack.status, 404);
          const normal = await rawRequest('GET', `${app.origin}/.well-known/oauth-protected-resource/api`, []);
          assert.equal(normal.status, 200);
        } finally {
          await app.app.close();
        }
      });
    });
  });
}
