import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDpopKey } from './support/dpop.js';
import { connectWithToken, postMcp } from './support/mcp-client.js';
import {
  RESOURCE_SERVER_CLIENT,
  type RealAuthorizationServer,
  startRealAuthorizationServer,
} from './support/real-authorization-server.js';
import { freePort } from 'nest-mcp-auth/testing';
import { ADAPTERS, startTestApp, type TestApp } from './support/test-app.js';

for (const adapter of ADAPTERS) {
  describe(`opaque tokens introspected at a real authorization server (RFC 7662) (${adapter})`, () => {
    let real: RealAuthorizationServer;
    let app: TestApp;
    let mcpUrl: string;
    const otherResource = 'http://127.0.0.1:1/other';

    before(async () => {
      const port = await freePort();
      mcpUrl = `http://127.0.0.1:${port}/mcp`;
      real = await startRealAuthorizationServer([
        { resource: mcpUrl, scopes: ['tools:use', 'admin'], accessTokenFormat: 'opaque' },
        { resource: otherResource, scopes: ['tools:use'], accessTokenFormat: 'opaque' },
      ]);
      app = await startTestApp(
        () => ({
          resources: [
            {
              resource: mcpUrl,
              authorizationServers: [
                {
                  issuer: real.issuer,
                  type: 'oidc',
                  verifier: {
                    type: 'introspection',
                    clientId: RESOURCE_SERVER_CLIENT.id,
                    clientSecret: RESOURCE_SERVER_CLIENT.secret,
                  },
                },
              ],
            },
          ],
        }),
        { port, adapter },
      );
    });

    after(async () => {
      await app?.close();
      await real?.close();
    });

    it('accepts an opaque token the authorization server says is active for this resource', async () => {
      const token = await real.token(mcpUrl, 'tools:use');
      assert.equal(token.split('.').length, 1, 'the token is opaque');
      const { client } = await connectWithToken(mcpUrl, token);
      const result = await client.callTool({ name: 'identity', arguments: {} });
      assert.deepEqual((result.structuredContent as { scopes: string[] }).scopes, ['tools:use']);
      assert.equal(app.probe.lastAuth?.fromDecorator?.issuer, real.issuer);
      await client.close();
    });

    it('refuses an opaque token issued for another resource, and a made-up one', async () => {
      for (const token of [await real.token(otherResource, 'tools:use'), 'not-a-token-the-server-issued']) {
        const response = await postMcp(
          mcpUrl,
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { authorization: `Bearer ${token}` },
        );
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      }
    });

    it('refuses a DPoP-bound opaque token (cnf in the introspection response) presented as Bearer', async () => {
      const token = await real.token(mcpUrl, 'tools:use', await createDpopKey());
      assert.equal(token.split('.').length, 1, 'the token is opaque');
      const response = await postMcp(
        mcpUrl,
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(response.status, 401);
      assert.match(
        response.headers.get('www-authenticate') ?? '',
        /error="invalid_token", error_description="The access token is bound to a key/,
      );
    });

    it('still asks for scopes the introspected token lacks with a 403 challenge', async () => {
      const token = await real.token(mcpUrl, 'tools:use');
      const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'admin_only', arguments: {} } };
      const response = await postMcp(mcpUrl, call, { authorization: `Bearer ${token}` });
      assert.equal(response.status, 403);
      assert.match(response.headers.get('www-authenticate') ?? '', /scope="tools:use admin"/);
    });
  });
}
