import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type McpAuthModuleOptions, RedisDpopReplayStore } from 'nest-mcp-auth';
import { freePort } from 'nest-mcp-auth/testing';
import { createDpopKey, type DpopKey } from './support/dpop.js';
import { MCP_HEADERS, PING, rawRequest, type RawResponse } from './support/raw-http.js';
import { type RealAuthorizationServer, startRealAuthorizationServer } from './support/real-authorization-server.js';
import { skipWithoutRedis, startRedis, type TestRedis } from './support/redis-server.js';
import { ADAPTERS, startTestApp, type TestApp } from './support/test-app.js';

const call = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: {} } });

/**
 * DPoP (RFC 9449) at the resource server, against DPoP-bound tokens from a real authorization server
 * (oidc-provider, client credentials with a proof), and a real redis-server for the replay store that
 * replicas share.
 */
for (const adapter of ADAPTERS) {
  describe(`DPoP-bound tokens (RFC 9449) (${adapter})`, { skip: skipWithoutRedis() }, () => {
    let real: RealAuthorizationServer;
    let redis: TestRedis;
    const clients: Redis[] = [];
    const apps: TestApp[] = [];
    let mcpUrl: string;
    let port: number;
    /** Two replicas of one resource sharing a Redis replay store, and a third that requires nonces and DPoP. */
    let replicaA: TestApp;
    let replicaB: TestApp;
    let strict: TestApp;
    let strictUrl: string;
    let key: DpopKey;
    let token: string;

    const startReplica = async (appPort: number, extra: Partial<McpAuthModuleOptions> = {}, requireDpop = false) => {
      const client = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      clients.push(client);
      const app = await startTestApp(
        (baseUrl) => ({
          resources: [
            {
              resource: `${baseUrl}/mcp`,
              authorizationServers: [{ issuer: real.issuer, type: 'oidc' }],
              requireDpop,
            },
          ],
          dpop: { replayStore: new RedisDpopReplayStore(client) },
          ...extra,
        }),
        { port: appPort, adapter },
      );
      apps.push(app);
      return app;
    };

    before(async () => {
      [port, redis] = await Promise.all([freePort(), startRedis()]);
      const strictPort = await freePort();
      mcpUrl = `http://127.0.0.1:${port}/mcp`;
      strictUrl = `http://127.0.0.1:${strictPort}/mcp`;
      real = await startRealAuthorizationServer([
        { resource: mcpUrl, scopes: ['tools:use', 'admin'] },
        { resource: strictUrl, scopes: ['tools:use', 'admin'] },
      ]);
      replicaA = await startReplica(port);
      // The second replica serves the same resource URL (behind one load balancer) on its own port.
      replicaB = await startTestApp(
        () => ({
          resources: [{ resource: mcpUrl, authorizationServers: [{ issuer: real.issuer, type: 'oidc' }] }],
          dpop: { replayStore: new RedisDpopReplayStore(clients[0]) },
          mcp: { allowedHosts: ['127.0.0.1'] },
        }),
        { adapter },
      );
      apps.push(replicaB);
      strict = await startReplica(strictPort, { dpop: { nonce: { required: true, secret: 's'.repeat(32) } } }, true);
      key = await createDpopKey();
      token = await real.token(mcpUrl, 'tools:use', key);
    });

    after(async () => {
      await Promise.all(apps.map((app) => app.close()));
      for (const client of clients) client.disconnect();
      await Promise.all([real?.close(), redis?.close()]);
    });

    /** POST to an app's /mcp with DPoP credentials (the `htu` signed is always the resource URL). */
    const post = async (
      app: TestApp,
      body: string,
      headers: string[],
    ): Promise<RawResponse & { challenge: string }> => {
      const response = await rawRequest('POST', app.mcpUrl, [...MCP_HEADERS, ...headers], body);
      assert.ok(response.status < 500, `${response.status}: ${response.body}`);
      return { ...response, challenge: String(response.headers['www-authenticate'] ?? '') };
    };
    const dpop = (accessToken: string, proof: string) => ['Authorization', `DPoP ${accessToken}`, 'DPoP', proof];
    const goodProof = (overrides: Record<string, unknown> = {}, resourceUrl = mcpUrl) =>
      key.proof({ htm: 'POST', htu: resourceUrl, accessToken: token, ...overrides });

    it('is issued a DPoP-bound JWT by the authorization server (cnf.jkt = the key thumbprint)', () => {
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      assert.equal(claims.cnf.jkt, key.thumbprint);
    });

    it('serves a bound token presented with a valid proof, and tools never see the proof', async () => {
      const ok = await post(replicaA, PING, dpop(token, await goodProof()));
      assert.equal(ok.status, 200);
      const headers = await post(replicaA, call('request_headers'), dpop(token, await goodProof()));
      assert.equal(headers.status, 200);
      assert.doesNotMatch(headers.body, /dpop|authorization/i);
    });

    it('publishes its DPoP support in the metadata and in 401 challenges', async () => {
      const metadata = (await (
        await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`)
      ).json()) as Record<string, unknown>;
      assert.ok((metadata.dpop_signing_alg_values_supported as string[]).includes('ES256'));
      assert.equal(metadata.dpop_bound_access_tokens_required, false);
      const anonymous = await post(replicaA, PING, []);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.challenge, /^Bearer resource_metadata="[^"]+", DPoP algs="ES256 [^"]*"$/);
    });

    const badProofs: Array<{ name: string; headers: () => Promise<string[]>; error: string }> = [
      { name: 'no proof', headers: async () => ['Authorization', `DPoP ${token}`], error: 'invalid_dpop_proof' },
      {
        name: 'two proofs',
        headers: async () => [...dpop(token, await goodProof()), 'DPoP', await goodProof()],
        error: 'invalid_dpop_proof',
      },
      {
        name: 'wrong htm',
        headers: async () => dpop(token, await goodProof({ htm: 'GET' })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'wrong htu',
        headers: async () => dpop(token, await goodProof({ htu: `http://127.0.0.1:${port}/other` })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'htu naming the Host instead of the configured resource origin',
        headers: async () => dpop(token, await goodProof({ htu: `http://localhost:${port}/mcp` })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'stale iat',
        headers: async () => dpop(token, await goodProof({ iat: Math.floor(Date.now() / 1000) - 600 })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'iat in the future',
        headers: async () => dpop(token, await goodProof({ iat: Math.floor(Date.now() / 1000) + 600 })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'wrong ath',
        headers: async () => dpop(token, await goodProof({ accessToken: 'another-token' })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'proof signed by another key than cnf.jkt',
        headers: async () =>
          dpop(token, await (await createDpopKey()).proof({ htm: 'POST', htu: mcpUrl, accessToken: token })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'proof with typ JWT',
        headers: async () =>
          dpop(token, await key.proof({ htm: 'POST', htu: mcpUrl, accessToken: token }, { typ: 'JWT' })),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'unsigned proof (alg none)',
        headers: async () => {
          const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          const header = { typ: 'dpop+jwt', alg: 'none', jwk: key.publicJwk };
          const claims = { htm: 'POST', htu: mcpUrl, iat: Math.floor(Date.now() / 1000), jti: 'none-1' };
          return dpop(token, `${encode(header)}.${encode(claims)}.`);
        },
        error: 'invalid_dpop_proof',
      },
      {
        name: 'garbage proof',
        headers: async () => dpop(token, 'not.a.jwt'),
        error: 'invalid_dpop_proof',
      },
      {
        name: 'DPoP scheme with a token that is not bound (no cnf)',
        headers: async () => dpop(await real.token(mcpUrl, 'tools:use'), await goodProof()),
        error: 'invalid_token',
      },
      {
        name: 'bound token sent as Bearer (the binding is never stripped)',
        headers: async () => ['Authorization', `Bearer ${token}`, 'DPoP', await goodProof()],
        error: 'invalid_token',
      },
    ];

    for (const bad of badProofs) {
      it(`refuses ${bad.name} with 401 ${bad.error}, never a 5xx`, async () => {
        const response = await post(replicaA, PING, await bad.headers());
        assert.equal(response.status, 401, response.body);
        assert.match(response.challenge, new RegExp(`error="${bad.error}"`));
        assert.match(response.challenge, /resource_metadata="/);
        assert.doesNotMatch(response.body, /eyJ|\n\s*at /);
      });
    }

    it('refuses a replayed proof on the same replica and on another replica sharing the Redis store', async () => {
      const proof = await goodProof();
      assert.equal((await post(replicaA, PING, dpop(token, proof))).status, 200);
      const again = await post(replicaA, PING, dpop(token, proof));
      assert.equal(again.status, 401);
      assert.match(
        again.challenge,
        /^DPoP error="invalid_dpop_proof", error_description="The DPoP proof was already used"/,
      );
      const elsewhere = await post(replicaB, PING, dpop(token, proof));
      assert.equal(elsewhere.status, 401);
      assert.match(elsewhere.challenge, /The DPoP proof was already used/);
      // A fresh proof still works on the other replica.
      assert.equal((await post(replicaB, PING, dpop(token, await goodProof()))).status, 200);
    });

    it('answers a missing scope of a DPoP request with 403 insufficient_scope in the DPoP scheme', async () => {
      const response = await post(replicaA, call('admin_only'), dpop(token, await goodProof()));
      assert.equal(response.status, 403);
      assert.match(response.challenge, /^DPoP error="insufficient_scope", .*scope="tools:use admin"/);
    });

    describe('a resource that requires DPoP and server nonces', () => {
      let strictToken: string;
      before(async () => {
        strictToken = await real.token(strictUrl, 'tools:use', key);
      });

      it('refuses plain bearer tokens, with a DPoP-only challenge', async () => {
        const response = await post(strict, PING, [
          'Authorization',
          `Bearer ${await real.token(strictUrl, 'tools:use')}`,
        ]);
        assert.equal(response.status, 401);
        assert.match(
          response.challenge,
          /^DPoP error="invalid_token", error_description="This resource accepts DPoP-bound tokens only"/,
        );
        const metadata = (await (
          await fetch(new URL('/.well-known/oauth-protected-resource/mcp', strictUrl))
        ).json()) as Record<string, unknown>;
        assert.equal(metadata.dpop_bound_access_tokens_required, true);
      });

      it('asks for its nonce (use_dpop_nonce + DPoP-Nonce), then accepts the proof that carries it', async () => {
        const first = await post(
          strict,
          PING,
          dpop(strictToken, await key.proof({ htm: 'POST', htu: strictUrl, accessToken: strictToken })),
        );
        assert.equal(first.status, 401);
        assert.match(first.challenge, /^DPoP error="use_dpop_nonce"/);
        const nonce = String(first.headers['dpop-nonce']);
        assert.ok(nonce.length > 10);
        const second = await post(
          strict,
          PING,
          dpop(strictToken, await key.proof({ htm: 'POST', htu: strictUrl, accessToken: strictToken, nonce })),
        );
        assert.equal(second.status, 200, second.body);
        const forged = await post(
          strict,
          PING,
          dpop(
            strictToken,
            await key.proof({ htm: 'POST', htu: strictUrl, accessToken: strictToken, nonce: `${nonce}x` }),
          ),
        );
        assert.equal(forged.status, 401);
        assert.match(forged.challenge, /use_dpop_nonce/);
      });
    });
  });
}
