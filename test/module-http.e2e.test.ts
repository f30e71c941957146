import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Injectable, Module, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { INestApplication } from '@nestjs/common';
import { Auth, type AuthInfo, McpAuthContext, McpAuthModule, Public, RequireScopes } from 'nest-mcp-auth';
import { type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { freePort } from 'nest-mcp-auth/testing';
import { ADAPTERS, createNestApp } from './support/test-app.js';

@Injectable()
class WhoService {
  constructor(private readonly context: McpAuthContext) {}

  /** Reads the identity without being handed anything: through the AsyncLocalStorage context. */
  who(): string | undefined {
    return this.context.authInfo?.subject;
  }
}

@Controller('api')
@RequireScopes('api:read')
class ApiController {
  constructor(private readonly who: WhoService) {}

  @Get('me')
  me(@Auth() auth: AuthInfo, @Auth('subject') subject: string) {
    return { subject, sameAsService: this.who.who() === subject, scopes: auth.scopes };
  }

  @Get('admin')
  @RequireScopes('api:admin')
  admin() {
    return { ok: true };
  }

  /** A body to parse first: the identity must still be in context after the adapter read the request stream. */
  @Post('echo')
  async echo(@Body() body: { text: string }, @Auth('subject') subject: string) {
    await setImmediate();
    return { text: body.text, subject, fromContext: this.who.who() ?? null };
  }

  @Get('health')
  @Public()
  health() {
    return { status: 'ok', who: this.who.who() ?? null };
  }
}

@Controller('open')
class OpenController {
  @Get()
  open() {
    return 'open';
  }
}

for (const adapter of ADAPTERS) {
  describe(`McpAuthModule.forRootAsync with ConfigService, REST routes and two resources (${adapter})`, () => {
    let issuer: LocalIssuer;
    let app: INestApplication;
    let base: string;

    before(async () => {
      issuer = await startLocalIssuer();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      @Module({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ISSUER: issuer.issuer, BASE: base })] }),
          McpAuthModule.forRootAsync({
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({
              resources: [
                {
                  resource: `${config.getOrThrow('BASE')}/mcp`,
                  authorizationServers: [{ issuer: config.getOrThrow('ISSUER') }],
                  scopesSupported: ['tools:use'],
                  resourceName: 'Tools',
                },
                {
                  resource: `${config.getOrThrow('BASE')}/api`,
                  authorizationServers: [{ issuer: config.getOrThrow('ISSUER') }],
                  scopesSupported: ['api:read', 'api:admin'],
                },
              ],
              mcp: { path: '/mcp' },
            }),
          }),
        ],
        controllers: [ApiController, OpenController],
        providers: [WhoService],
      })
      class AsyncAppModule {}
      app = await createNestApp(AsyncAppModule, adapter);
      await app.listen(port, '127.0.0.1');
    });

    after(async () => {
      await app.close();
      await issuer.close();
    });

    const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const apiToken = (scope: string) => issuer.mint({ sub: 'alice', aud: `${base}/api`, scope });

    it('mounts the MCP endpoint at the path the async factory configured', async () => {
      const post = (path: string) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
        });
      const mcp = await post('/mcp');
      assert.equal(mcp.status, 401);
      assert.match(mcp.headers.get('www-authenticate') ?? '', /oauth-protected-resource\/mcp"/);
      assert.equal((await post('/')).status, 404);
    });

    it('serves Protected Resource Metadata for each resource at its path-suffixed URL', async () => {
      const mcp = await get('/.well-known/oauth-protected-resource/mcp');
      assert.equal(mcp.status, 200);
      assert.equal(mcp.headers.get('access-control-allow-origin'), '*');
      assert.match(mcp.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(await mcp.json(), {
        resource: `${base}/mcp`,
        authorization_servers: [issuer.issuer],
        scopes_supported: ['tools:use'],
        bearer_methods_supported: ['header'],
        resource_name: 'Tools',
        dpop_signing_alg_values_supported: [
          'ES256',
          'ES384',
          'ES512',
          'PS256',
          'PS384',
          'PS512',
          'RS256',
          'EdDSA',
          'Ed25519',
        ],
        dpop_bound_access_tokens_required: false,
      });
      const api = (await (await get('/.well-known/oauth-protected-resource/api')).json()) as { resource: string };
      assert.equal(api.resource, `${base}/api`);
    });

    it('does not serve the root metadata URL when there are two resources, nor unknown paths', async () => {
      assert.equal((await get('/.well-known/oauth-protected-resource')).status, 404);
      assert.equal((await get('/.well-known/oauth-protected-resource/nope')).status, 404);
    });

    it('answers a CORS preflight for the metadata', async () => {
      const response = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`, {
        method: 'OPTIONS',
        headers: { origin: 'https://inspector.example', 'access-control-request-headers': 'mcp-protocol-version' },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(response.headers.get('access-control-allow-headers'), 'mcp-protocol-version');
    });

    it('protects @RequireScopes routes with challenges that point at the matching resource', async () => {
      const missing = await get('/api/me');
      assert.equal(missing.status, 401);
      assert.equal(
        missing.headers.get('www-authenticate'),
        `Bearer scope="api:read", resource_metadata="${base}/.well-known/oauth-protected-resource/api", ` +
          'DPoP algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519"',
      );
      const admin = await get('/api/admin', await apiToken('api:read'));
      assert.equal(admin.status, 403);
      assert.match(
        admin.headers.get('www-authenticate') ?? '',
        /error="insufficient_scope", .*scope="api:read api:admin"/,
      );
    });

    it('refuses a token for the other resource of the same app (audience is per resource)', async () => {
      const mcpToken = await issuer.mint({ sub: 'alice', aud: `${base}/mcp`, scope: 'api:read' });
      const response = await get('/api/me', mcpToken);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    });

    it('injects AuthInfo through @Auth() and the AsyncLocalStorage context', async () => {
      const response = await get('/api/me', await apiToken('api:read'));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { subject: 'alice', sameAsService: true, scopes: ['api:read'] });
    });

    it('keeps the identity in context through a request body that arrives in pieces (POST)', async () => {
      // The adapter reads the body after the context was entered, from later socket reads: the context must follow.
      const pieces = ['{"text":', '"hello"}'];
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const piece = pieces.shift();
          if (piece === undefined) return controller.close();
          await sleep(20);
          controller.enqueue(new TextEncoder().encode(piece));
        },
      });
      const response = await fetch(`${base}/api/echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await apiToken('api:read')}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), { text: 'hello', subject: 'alice', fromContext: 'alice' });
    });

    it('leaves @Public() routes and undecorated controllers alone, even with a bad token', async () => {
      const health = await get('/api/health', 'garbage');
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', who: null });
      assert.equal((await get('/open', 'garbage')).status, 200);
    });

    it('keeps identities of concurrent requests apart', async () => {
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => issuer.mint({ sub: `user-${i}`, aud: `${base}/api`, scope: 'api:read' })),
      );
      const bodies = await Promise.all(tokens.map(async (token) => (await get('/api/me', token)).json()));
      for (const [i, body] of bodies.entries()) {
        assert.deepEqual(body, { subject: `user-${i}`, sameAsService: true, scopes: ['api:read'] });
      }
    });
  });
}
