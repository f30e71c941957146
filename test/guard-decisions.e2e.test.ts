import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, type INestApplication, Injectable, Logger, type LoggerService, Module } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import {
  type AuthInfo,
  McpAuthGuard,
  McpAuthModule,
  protectedResourceMetadataUrl,
  RequireScopes,
  TokenVerificationService,
} from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { createHttpAdapter } from '../src/http-adapter.js';
import { ADAPTERS } from './support/test-app.js';

/** No class-level @RequireScopes: only the decorated method is protected. */
@Controller('reports')
class ReportsController {
  @Get()
  @RequireScopes('reports:read')
  list() {
    return { reports: [] };
  }

  @Get('status')
  status() {
    return 'up';
  }
}

/**
 * A user's extension of the verification service (a revocation list in a database), whose lookup fails
 * with an ordinary error: the kind of failure the guard must not turn into a 500.
 */
@Injectable()
class RevocationCheckingVerification extends TokenVerificationService {
  static databaseUp = true;

  override async verify(...args: Parameters<TokenVerificationService['verify']>): Promise<AuthInfo> {
    const auth = await super.verify(...args);
    if (!RevocationCheckingVerification.databaseUp) throw new Error('revocation database unreachable');
    return auth;
  }
}

for (const adapter of ADAPTERS) {
  describe(`the guard: route requirements, the default resource, non-HTTP contexts, unexpected failures (${adapter})`, () => {
    let issuer: LocalIssuer;
    let app: INestApplication;
    let base: string;
    const logs: string[] = [];
    const record = (message: unknown) => void logs.push(String(message));
    const recorder: LoggerService = { log: () => undefined, warn: record, error: record };

    before(async () => {
      issuer = await startLocalIssuer();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      @Module({
        imports: [
          McpAuthModule.forRoot({
            resources: [
              { resource: `${base}/mcp`, authorizationServers: [{ issuer: issuer.issuer }] },
              { resource: `${base}/api`, authorizationServers: [{ issuer: issuer.issuer }] },
            ],
          }),
        ],
        controllers: [ReportsController],
      })
      class GuardAppModule {}
      const moduleRef = await Test.createTestingModule({ imports: [GuardAppModule] })
        .overrideProvider(TokenVerificationService)
        .useClass(RevocationCheckingVerification)
        .compile();
      app = moduleRef.createNestApplication(createHttpAdapter(adapter), { logger: recorder });
      await app.listen(port, '127.0.0.1');
      Logger.overrideLogger(recorder);
    });
    after(async () => {
      Logger.overrideLogger(true);
      await app.close();
      await issuer.close();
    });

    const get = async (path: string, token?: string) => {
      const response = await fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      return {
        status: response.status,
        challenge: response.headers.get('www-authenticate'),
        body: await response.text(),
      };
    };
    const DPOP_CHALLENGE = 'DPoP algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 EdDSA Ed25519"';
    // /reports lies under neither resource path: it belongs to the first resource, so tokens are for /mcp.
    const token = (scope: string) => issuer.mint({ sub: 'alice', aud: `${base}/mcp`, scope });

    it('protects a method that has @RequireScopes when its class has none, and leaves its siblings alone', async () => {
      const missing = await get('/reports');
      assert.equal(missing.status, 401);
      assert.match(missing.challenge ?? '', /^Bearer scope="reports:read", resource_metadata=/);
      assert.equal((await get('/reports', await token('other'))).status, 403);
      assert.equal((await get('/reports', await token('reports:read'))).status, 200);
      assert.equal((await get('/reports/status')).body, 'up');
    });

    it('gives a route under no resource path to the first resource (challenge and audience)', async () => {
      const missing = await get('/reports');
      assert.ok(missing.challenge?.includes(`resource_metadata="${protectedResourceMetadataUrl(`${base}/mcp`)}"`));
      const forApi = await issuer.mint({ sub: 'alice', aud: `${base}/api`, scope: 'reports:read' });
      const refused = await get('/reports', forApi);
      assert.equal(refused.status, 401);
      assert.match(refused.challenge ?? '', /error="invalid_token"/);
    });

    it('denies a protected handler reached through another transport (microservice, WebSocket): no token to read there', async () => {
      const guard = app.get(McpAuthGuard);
      const handler = Object.getOwnPropertyDescriptor(ReportsController.prototype, 'list')!.value as () => unknown;
      const rpc = new ExecutionContextHost([{ pattern: 'reports.list' }, {}], ReportsController, handler);
      rpc.setType('rpc');
      assert.equal(await guard.canActivate(rpc), false);
    });

    it('answers 401 invalid_token, not a 500, when verification fails unexpectedly, and logs it without the token', async () => {
      const bearer = await token('reports:read');
      RevocationCheckingVerification.databaseUp = false;
      try {
        const refused = await get('/reports', bearer);
        assert.equal(refused.status, 401);
        assert.equal(
          refused.challenge,
          `Bearer error="invalid_token", error_description="The access token could not be verified", ` +
            `resource_metadata="${protectedResourceMetadataUrl(`${base}/mcp`)}", ${DPOP_CHALLENGE}`,
        );
        assert.ok(!refused.body.includes('revocation') && !refused.body.includes(bearer));
        const logged = logs.find((line) => line.includes('revocation database unreachable'));
        assert.ok(logged, 'the unexpected failure is logged');
        assert.ok(!logs.some((line) => line.includes(bearer)));
      } finally {
        RevocationCheckingVerification.databaseUp = true;
      }
      assert.equal((await get('/reports', bearer)).status, 200);
    });
  });
}
