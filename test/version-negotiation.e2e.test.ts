// Clients of protocol revision 2026-07-28 may probe first (`server/discover`) and fall back to `initialize` when
// the server predates it. This drives the official SDK v2 client (@modelcontextprotocol/client, pinned) in its
// automatic negotiation mode against the app, over real HTTP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

interface Exchange {
  request: { method?: string; id?: unknown };
  status: number;
  body: string;
}

for (const adapter of ADAPTERS) {
  for (const mode of ['stateless', 'stateful'] as const) {
    describe(`The 2026-07-28 probe and fallback (${mode}, ${adapter})`, () => {
      const setup = appWithIssuerForSuite({ adapter, mcp: { mode } });

      it('lets the SDK v2 client with automatic version negotiation fall back to initialize, then work', async () => {
        const token = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
        const exchanges: Exchange[] = [];
        const recordingFetch = async (url: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(url, init);
          if (init?.method === 'POST') {
            const request = JSON.parse(String(init.body)) as Exchange['request'];
            exchanges.push({ request, status: response.status, body: await response.clone().text() });
          }
          return response;
        };
        const transport = new StreamableHTTPClientTransport(new URL(setup.app.mcpUrl), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
          fetch: recordingFetch,
        });
        const client = new Client({ name: 'v2-client', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(transport);

        const [probe, initialize] = exchanges;
        assert.equal(probe.request.method, 'server/discover');
        assert.equal(probe.status, 400);
        const answer = JSON.parse(probe.body) as { id: unknown; error: { code: number } };
        assert.equal(answer.id, probe.request.id, 'the answer echoes the probe id');
        assert.equal(answer.error.code, -32601, 'method not found: a plain JSON-RPC error, not a modern one');
        assert.equal(initialize.request.method, 'initialize');
        assert.equal(initialize.status, 200);
        assert.deepEqual(client.getServerVersion(), { name: 'nest-mcp-auth', version: '0.1.0' });
        const { tools } = await client.listTools();
        assert.ok(tools.some((tool) => tool.name === 'identity'));
        const result = await client.callTool({ name: 'identity', arguments: {} });
        assert.deepEqual(result.structuredContent, { subject: 'alice', viaContext: 'alice', scopes: ['tools:use'] });
        await client.close();
      });

      it('answers any request of an unsupported revision with 400, a plain JSON-RPC error and the supported versions', async () => {
        const token = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
        const response = await postMcp(
          setup.app.mcpUrl,
          { jsonrpc: '2.0', id: 'modern-1', method: 'tools/list', params: {} },
          { authorization: `Bearer ${token}`, 'mcp-protocol-version': '2026-07-28' },
        );
        assert.equal(response.status, 400);
        const { id, error } = JSON.parse(response.text) as {
          id: unknown;
          error: { code: number; data: { supported: string[]; requested: string } };
        };
        assert.equal(id, 'modern-1');
        assert.equal(error.code, -32600);
        assert.equal(error.data.requested, '2026-07-28');
        assert.ok(error.data.supported.includes('2025-11-25') && !error.data.supported.includes('2026-07-28'));
      });
    });
  }
}
