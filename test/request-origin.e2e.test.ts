import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MCP_HEADERS, PING, rawRequest } from './support/raw-http.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

/** The spellings of `/mcp` each router serves with its default options. */
const ROUTED_SPELLINGS = { express: ['/mcp', '/MCP', '/mcp/'], fastify: ['/mcp'] };

for (const adapter of ADAPTERS) {
  describe(`Where an MCP request comes from: Origin and Host (DNS rebinding) (${adapter})`, () => {
    for (const allowedHosts of [undefined, ['mcp.example.com']]) {
      describe(allowedHosts ? 'with mcp.allowedHosts' : 'with the default (loopback) Host check', () => {
        const setup = appWithIssuerForSuite({
          adapter,
          mcp: { allowedHosts, allowedOrigins: ['https://inspector.example'] },
        });
        let bearer: string[];
        const post = (path: string, headers: string[]) =>
          rawRequest('POST', `${setup.app.baseUrl}${path}`, [...MCP_HEADERS, ...bearer, ...headers], PING);

        before(async () => {
          bearer = ['Authorization', `Bearer ${await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl })}`];
        });

        it('refuses a rebound host name with 403, whatever the token, and without an Origin', async () => {
          for (const host of ['evil.example', 'evil.example:80', 'attacker.127.0.0.1.nip.io']) {
            const response = await post('/mcp', ['Host', host]);
            assert.equal(response.status, 403, host);
            assert.deepEqual(JSON.parse(response.body), {
              jsonrpc: '2.0',
              error: { code: -32000, message: 'Forbidden: Host not allowed' },
              id: null,
            });
          }
        });

        it("serves the resource's own host name, and the names it was told", async () => {
          const port = new URL(setup.app.baseUrl).port;
          assert.equal((await post('/mcp', ['Host', `127.0.0.1:${port}`])).status, 200);
          const loopbackNames = await Promise.all(
            ['localhost', '[::1]'].map(async (name) => (await post('/mcp', ['Host', `${name}:${port}`])).status),
          );
          // The loopback names are allowed by default; a configured list replaces them (the resource's stays).
          assert.deepEqual(loopbackNames, allowedHosts ? [403, 403] : [200, 200]);
          if (allowedHosts) assert.equal((await post('/mcp', ['Host', 'MCP.example.com'])).status, 200);
        });

        it('refuses a disallowed Origin on every spelling of the endpoint path, before authentication', async () => {
          // Spellings the router does not serve (Fastify: case-sensitive, no trailing slash) never reach the endpoint.
          for (const path of ['/MCP', '/mcp/'].filter((spelling) => !ROUTED_SPELLINGS[adapter].includes(spelling))) {
            assert.equal((await post(path, ['Origin', 'https://evil.example'])).status, 404, path);
            assert.equal((await post(path, ['Origin', 'https://inspector.example'])).status, 404, path);
          }
          for (const path of ROUTED_SPELLINGS[adapter]) {
            const refused = await post(path, ['Origin', 'https://evil.example']);
            assert.equal(refused.status, 403, path);
            assert.match(refused.body, /Origin not allowed/);
            const allowed = await post(path, ['Origin', 'https://inspector.example']);
            assert.equal(allowed.status, 200, path);
            assert.equal(allowed.headers['access-control-allow-origin'], 'https://inspector.example');
          }
          const anonymous = await rawRequest(
            'POST',
            `${setup.app.mcpUrl}`,
            [...MCP_HEADERS, 'Origin', 'https://evil.example'],
            PING,
          );
          assert.equal(anonymous.status, 403, 'the Origin is checked before the missing token');
        });

        it('answers an allowed preflight with 204 and a disallowed one with 403', async () => {
          const allowed = await rawRequest('OPTIONS', setup.app.mcpUrl, ['Origin', 'https://inspector.example']);
          assert.equal(allowed.status, 204);
          assert.match(String(allowed.headers['access-control-allow-headers']), /Authorization/);
          assert.equal(allowed.headers['access-control-allow-origin'], 'https://inspector.example');
          const refused = await rawRequest('OPTIONS', setup.app.mcpUrl, ['Origin', 'https://evil.example']);
          assert.equal(refused.status, 403);
        });
      });
    }
  });
}
