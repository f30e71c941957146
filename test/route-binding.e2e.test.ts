import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Auth, McpAuthModule, Public, RequireScopes } from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { rawRequest } from './support/raw-http.js';

@Controller('api')
@RequireScopes('api:read')
class ApiController {
  @Get('me')
  me(@Auth('subject') subject: string) {
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

const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const MCP_HEADERS = ['Content-Type', 'application/json', 'Accept', 'application/json, text/event-stream'];

/**
 * Two resources on one app (`/mcp` and `/api`, in the given order, under an optional global prefix):
 * whatever a client varies in the URL, a request is checked against the resource of the route that matched.
 */
async function startTwoResourceApp(issuer: LocalIssuer, order: 'mcp-first' | 'api-first', prefix = '') {
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
    controllers: [ApiController, MixedController],
  })
  class TwoResourceModule {}
  const app: INestApplication = await NestFactory.create(TwoResourceModule, { logger: false });
  // RFC 9728 metadata stays at the root of the origin: the prefix must leave it out (the boot insists).
  if (prefix) app.setGlobalPrefix(prefix.slice(1), { exclude: ['.well-known/{*path}'] });
  await app.listen(port, '127.0.0.1');
  return { app, origin: `http://127.0.0.1:${port}`, base };
}

describe('A route is checked against the resource of the route that matched, never of the URL as sent', () => {
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
        app = await startTwoResourceApp(issuer, 'mcp-first', prefix);
        mcpToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/mcp`, scope: 'api:read' });
        apiToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: 'api:read' });
      });
      after(() => app.app.close());

      const variants = ['/api/me', '/API/me', '/Api/ME', '/api/me/', '/API/ME/', '/%61pi/me', '//api/me', '/api//me'];
      for (const variant of variants) {
        it(`GET ${prefix}${variant}: another resource's token never passes; the right one does where it routes`, async () => {
          const path = `${prefix.toUpperCase()}${variant}`;
          const wrong = await rawRequest('GET', `${app.origin}${path}`, bearer(mcpToken));
          assert.notEqual(wrong.status, 200, `${path} accepted a token for ${app.base}/mcp`);
          assert.ok(wrong.status === 401 || wrong.status === 404, `${path}: ${wrong.status}`);
          if (wrong.status === 401) {
            assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
            assert.match(
              String(wrong.headers['www-authenticate']),
              new RegExp(`oauth-protected-resource${prefix}/api"`),
            );
          }
          const right = await rawRequest('GET', `${app.origin}${path}`, bearer(apiToken));
          assert.equal(right.status, wrong.status === 404 ? 404 : 200, path);
        });
      }

      it("applies the matched resource's requiredScopes whatever the letter case", async () => {
        const noScope = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: '' });
        for (const path of [`${prefix}/mixed/closed`, `${prefix}/MIXED/Closed`]) {
          const response = await rawRequest('GET', `${app.origin}${path}`, bearer(noScope));
          assert.equal(response.status, 401, `${path}: a route under no resource path belongs to the first (/mcp)`);
        }
      });
    });
  }

  it("POST /MCP with the other resource's token is refused (the default resource is not a fallback for it)", async () => {
    const app = await startTwoResourceApp(issuer, 'api-first');
    try {
      const apiToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/api`, scope: 'api:read' });
      for (const path of ['/mcp', '/MCP', '/Mcp/']) {
        const response = await rawRequest('POST', `${app.origin}${path}`, [...MCP_HEADERS, ...bearer(apiToken)], PING);
        assert.equal(response.status, 401, path);
        assert.match(
          String(response.headers['www-authenticate']),
          /error="invalid_token".*oauth-protected-resource\/mcp"/,
        );
      }
      const mcpToken = await issuer.mint({ sub: 'alice', aud: `${app.base}/mcp` });
      const ok = await rawRequest('POST', `${app.origin}/MCP`, [...MCP_HEADERS, ...bearer(mcpToken)], PING);
      assert.equal(ok.status, 200);
    } finally {
      await app.app.close();
    }
  });

  describe('@Public() and @RequireScopes() together', () => {
    let app: Awaited<ReturnType<typeof startTwoResourceApp>>;
    before(async () => {
      app = await startTwoResourceApp(issuer, 'api-first');
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
      const app = await startTwoResourceApp(issuer, 'mcp-first');
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
