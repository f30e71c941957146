import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import { McpTool, RequireScopes } from 'nest-mcp-auth';
import { connectWithToken, postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite, startTestApp, type TestApp } from './support/test-app.js';

/** Tools without a class-level scope: one needs none, one needs `admin`. */
@Injectable()
class OpenTools {
  @McpTool({ name: 'echo_open', description: 'Needs no scope' })
  echo(): string {
    return 'open';
  }

  @McpTool({ name: 'admin_open', description: 'Needs the admin scope' })
  @RequireScopes('admin')
  admin(): string {
    return 'admin';
  }
}

for (const adapter of ADAPTERS) {
  describe(`mcp.dangerouslyDisableAuthentication (${adapter})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(
        (baseUrl) => ({
          // Lazy discovery of an issuer no request ever needs: nothing is fetched.
          resources: [{ resource: `${baseUrl}/mcp`, authorizationServers: [{ issuer: 'http://127.0.0.1:9/unused' }] }],
          discovery: { mode: 'lazy' },
          mcp: { dangerouslyDisableAuthentication: true },
        }),
        { providers: [OpenTools], adapter },
      );
    });
    after(() => app.close());

    it('serves the MCP endpoint without a token, and never to a tool that needs scopes', async () => {
      const { client } = await connectWithToken(app.mcpUrl, undefined);
      assert.deepEqual((await client.callTool({ name: 'echo_open', arguments: {} })).content, [
        { type: 'text', text: 'open' },
      ]);
      const runs = app.probe.runs.length;
      // Tools with scopes refuse (protocol error, the tool does not run): there is no token to hold them.
      await assert.rejects(client.callTool({ name: 'admin_open', arguments: {} }), /needs scopes: admin/);
      await assert.rejects(client.callTool({ name: 'identity', arguments: {} }), /needs scopes: tools:use/);
      assert.equal(app.probe.runs.length, runs);
      await client.close();
    });

    it('still publishes the resource metadata', async () => {
      const metadata = await fetch(`${app.baseUrl}/.well-known/oauth-protected-resource/mcp`);
      assert.equal(metadata.status, 200);
      assert.equal(((await metadata.json()) as { resource: string }).resource, app.mcpUrl);
    });
  });

  describe(`mcp.enabled: false (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { enabled: false } });

    it('answers 404 on the MCP path, runs no tool, and keeps serving the metadata', async () => {
      const token = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const runs = setup.app.probe.runs.length;
      const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'identity', arguments: {} } };
      const response = await postMcp(setup.app.mcpUrl, call, { authorization: `Bearer ${token}` });
      assert.equal(response.status, 404);
      assert.ok(!response.text.includes(token));
      assert.equal(setup.app.probe.runs.length, runs);
      const metadata = await fetch(`${setup.app.baseUrl}/.well-known/oauth-protected-resource/mcp`);
      assert.equal(metadata.status, 200);
    });

    it('answers 404 without a token too, rather than challenge for an endpoint it does not serve', async () => {
      const response = await postMcp(setup.app.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'ping' });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('www-authenticate'), null);
    });

    it('answers 404 to a CORS preflight too, allowing nothing', async () => {
      const response = await fetch(setup.app.mcpUrl, {
        method: 'OPTIONS',
        headers: { origin: setup.app.baseUrl, 'access-control-request-method': 'POST' },
      });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
    });
  });
}
