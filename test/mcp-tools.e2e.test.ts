import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from './support/eventually.js';
import { connectWithToken, postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

const CALL_ADMIN = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'admin_only', arguments: {} } };

for (const adapter of ADAPTERS) {
  describe(`MCP tools over Streamable HTTP (stateless) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({
      adapter,
      resource: { scopesSupported: ['tools:use', 'admin'] },
      mcp: { allowedOrigins: ['https://inspector.example'] },
    });
    const token = (sub: string, scope: string) =>
      setup.issuer.mint({ sub, aud: setup.app.mcpUrl, scope, client_id: 'e2e' });

    it('lists every tool with its JSON schema', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), [
        'add',
        'admin_only',
        'ask_model',
        'ask_user',
        'bad_result',
        'client_roots',
        'count_with_progress',
        'fail',
        'identity',
        'log_levels',
        'request_headers',
        'wait_for_abort',
      ]);
      const add = tools.find((tool) => tool.name === 'add')!;
      assert.deepEqual(Object.keys(add.inputSchema.properties ?? {}).sort(), ['a', 'b']);
      await client.close();
    });

    it('hands the tool the same AuthInfo through @Auth() and the injected context', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const result = await client.callTool({ name: 'identity', arguments: {} });
      assert.deepEqual(result.structuredContent, { subject: 'alice', viaContext: 'alice', scopes: ['tools:use'] });
      const seen = setup.app.probe.lastAuth!;
      assert.equal(seen.fromDecorator, seen.fromContext);
      assert.equal(seen.fromDecorator?.issuer, setup.issuer.issuer);
      assert.equal(seen.fromDecorator?.clientId, 'e2e');
      assert.ok(!JSON.stringify(seen.fromDecorator).includes('eyJ'), 'the token is not serialized');
      await client.close();
    });

    it('does not hand the bearer token to tools through the request headers (no passthrough)', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const result = await client.callTool({ name: 'request_headers', arguments: {} });
      const names = (result.content as Array<{ text: string }>)[0].text.split(' ');
      assert.ok(names.includes('mcp-protocol-version') && names.includes('content-type'));
      assert.ok(!names.includes('authorization'));
      await client.close();
    });

    it('refuses a tool whose scope the token lacks with a 403 step-up challenge, before the tool runs', async () => {
      const runsBefore = setup.app.probe.runs.filter((run) => run === 'admin_only').length;
      const response = await postMcp(setup.app.mcpUrl, CALL_ADMIN, {
        authorization: `Bearer ${await token('alice', 'tools:use')}`,
      });
      assert.equal(response.status, 403);
      assert.equal(
        response.headers.get('www-authenticate'),
        `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", ` +
          `scope="tools:use admin", resource_metadata="${setup.app.baseUrl}/.well-known/oauth-protected-resource/mcp"`,
      );
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      await assert.rejects(client.callTool({ name: 'admin_only', arguments: {} }));
      await client.close();
      assert.equal(setup.app.probe.runs.filter((run) => run === 'admin_only').length, runsBefore);
    });

    it('runs the tool once the token has the scopes', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('root', 'tools:use admin'));
      const result = await client.callTool({ name: 'admin_only', arguments: {} });
      assert.deepEqual(result.content, [{ type: 'text', text: 'admin done' }]);
      await client.close();
    });

    it('turns a thrown error into an isError result and keeps serving', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const result = await client.callTool({ name: 'fail', arguments: {} });
      assert.equal(result.isError, true);
      assert.deepEqual(result.content, [{ type: 'text', text: 'the tool broke on purpose' }]);
      assert.deepEqual((await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).structuredContent, {
        sum: 5,
      });
      await client.close();
    });

    it('refuses a malformed CallToolResult from a tool, and a malformed tools/call, without crashing', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const result = await client.callTool({ name: 'bad_result', arguments: {} });
      assert.equal(result.isError, true);
      await client.close();
      const auth = { authorization: `Bearer ${await token('alice', 'tools:use')}` };
      const nameless = await postMcp(
        setup.app.mcpUrl,
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: {} },
        auth,
      );
      assert.equal(nameless.status, 200);
      assert.equal(typeof JSON.parse(nameless.text).error.code, 'number');
    });

    it('rejects invalid arguments with the invalid-params error', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      await assert.rejects(client.callTool({ name: 'add', arguments: { a: 'two' } }), (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32602);
        return true;
      });
      await client.close();
    });

    it('streams progress notifications over SSE when the tool sends them', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'));
      const progress: number[] = [];
      const result = await client.callTool({ name: 'count_with_progress', arguments: { steps: 3 } }, undefined, {
        onprogress: ({ progress: value }) => progress.push(value),
      });
      assert.deepEqual(result.content, [{ type: 'text', text: 'counted to 3' }]);
      assert.deepEqual(progress, [1, 2, 3]);
      await client.close();
      // Without a progress token, progress() sends nothing: the answer stays one plain JSON body.
      const plain = await postMcp(
        setup.app.mcpUrl,
        {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'count_with_progress', arguments: { steps: 2 } },
        },
        { authorization: `Bearer ${await token('alice', 'tools:use')}` },
      );
      assert.match(plain.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(JSON.parse(plain.text).result.content[0].text, 'counted to 2');
    });

    it('fails a server-to-client request at once without a session, instead of hanging', async () => {
      const { client } = await connectWithToken(setup.app.mcpUrl, await token('alice', 'tools:use'), ['file:///work']);
      const started = Date.now();
      const result = await client.callTool({ name: 'client_roots', arguments: {} });
      assert.equal(result.isError, true);
      assert.match(JSON.stringify(result.content), /stateful MCP session/);
      assert.ok(Date.now() - started < 2000);
      await client.close();
    });

    it('serves the metadata at the root well-known URL too, as it has exactly one resource', async () => {
      const response = await fetch(`${setup.app.baseUrl}/.well-known/oauth-protected-resource`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { resource: string }).resource, setup.app.mcpUrl);
    });

    it('refuses a disallowed Origin with 403 whatever the token, and serves an allowed one with CORS', async () => {
      const auth = { authorization: `Bearer ${await token('alice', 'tools:use')}` };
      const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
      const refused = await postMcp(setup.app.mcpUrl, ping, { ...auth, origin: 'https://evil.example' });
      assert.equal(refused.status, 403);
      const allowed = await postMcp(setup.app.mcpUrl, ping, { ...auth, origin: 'https://inspector.example' });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://inspector.example');
      assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
      const preflight = await fetch(setup.app.mcpUrl, {
        method: 'OPTIONS',
        headers: { origin: 'https://inspector.example' },
      });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    });

    it('answers a JSON-RPC batch with an array, and refuses it whole when one call lacks scopes', async () => {
      const auth = { authorization: `Bearer ${await token('alice', 'tools:use')}` };
      const add = (id: number, a: number) => ({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'add', arguments: { a, b: 1 } },
      });
      const batch = await postMcp(
        setup.app.mcpUrl,
        [add(1, 1), add(2, 2), { jsonrpc: '2.0', method: 'notifications/x' }],
        auth,
      );
      assert.equal(batch.status, 200);
      const answers = JSON.parse(batch.text) as Array<{ id: number; result: { structuredContent: { sum: number } } }>;
      assert.deepEqual(answers.map((answer) => [answer.id, answer.result.structuredContent.sum]).sort(), [
        [1, 2],
        [2, 3],
      ]);
      const mixed = await postMcp(setup.app.mcpUrl, [add(3, 3), CALL_ADMIN], auth);
      assert.equal(mixed.status, 403);
      assert.match(mixed.headers.get('www-authenticate') ?? '', /scope="tools:use admin"/);
    });

    it("aborts the tool's signal when the client goes away", async () => {
      const disconnect = new AbortController();
      const call = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'wait_for_abort', arguments: {} } };
      const pending = fetch(setup.app.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${await token('alice', 'tools:use')}`,
        },
        body: JSON.stringify(call),
        signal: disconnect.signal,
      }).catch(() => undefined);
      await eventually(() => setup.app.probe.runs.includes('wait_for_abort'));
      disconnect.abort();
      await pending;
      await eventually(() => setup.app.probe.runs.includes('aborted'));
      assert.ok(setup.app.probe.runs.includes('aborted'));
    });

    it('answers notifications with 202, bad protocol versions with 400 and GET with 405', async () => {
      const auth = { authorization: `Bearer ${await token('alice', 'tools:use')}` };
      const notification = await postMcp(
        setup.app.mcpUrl,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        auth,
      );
      assert.equal(notification.status, 202);
      const badVersion = await postMcp(
        setup.app.mcpUrl,
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { ...auth, 'mcp-protocol-version': '1999-01-01' },
      );
      assert.equal(badVersion.status, 400);
      const get = await fetch(setup.app.mcpUrl, { headers: { ...auth, accept: 'text/event-stream' } });
      assert.equal(get.status, 405);
      const notRpc = await postMcp(setup.app.mcpUrl, { hello: 'world' }, auth);
      assert.equal(notRpc.status, 400);
    });
  });

  describe(`MCP tools with hideUnauthorizedTools (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { hideUnauthorizedTools: true } });

    it('lists only the tools the token can call', async () => {
      const plain = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const { client } = await connectWithToken(setup.app.mcpUrl, plain);
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(!names.includes('admin_only'));
      assert.ok(names.includes('identity'));
      await client.close();
    });
  });

  describe(`MCP tools over Streamable HTTP (stateful) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { mode: 'stateful' } });

    it('binds the session to its subject: another subject gets 404 for it, the owner keeps working', async () => {
      const alice = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const bob = await setup.issuer.mint({ sub: 'bob', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const { client, transport } = await connectWithToken(setup.app.mcpUrl, alice);
      const sessionId = transport.sessionId!;
      assert.match(sessionId, /^[0-9a-f-]{36}$/);
      assert.deepEqual((await client.callTool({ name: 'identity', arguments: {} })).structuredContent, {
        subject: 'alice',
        viaContext: 'alice',
        scopes: ['tools:use'],
      });

      const hijack = await postMcp(
        setup.app.mcpUrl,
        { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'identity', arguments: {} } },
        {
          authorization: `Bearer ${bob}`,
          'mcp-session-id': sessionId,
        },
      );
      assert.equal(hijack.status, 404);
      const stream = await fetch(setup.app.mcpUrl, {
        headers: { authorization: `Bearer ${bob}`, 'mcp-session-id': sessionId, accept: 'text/event-stream' },
      });
      assert.equal(stream.status, 404);
      await stream.body?.cancel();
      const terminate = await fetch(setup.app.mcpUrl, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bob}`, 'mcp-session-id': sessionId },
      });
      assert.equal(terminate.status, 404);
      const noToken = await postMcp(
        setup.app.mcpUrl,
        { jsonrpc: '2.0', id: 10, method: 'ping' },
        { 'mcp-session-id': sessionId },
      );
      assert.equal(noToken.status, 401, 'a session id alone never authenticates');

      assert.equal((await client.callTool({ name: 'identity', arguments: {} })).isError, undefined);
      await transport.terminateSession();
      await client.close();
    });

    it('does not hand the bearer token to tools through the request headers', async () => {
      const alice = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const { client, transport } = await connectWithToken(setup.app.mcpUrl, alice);
      const result = await client.callTool({ name: 'request_headers', arguments: {} });
      const names = (result.content as Array<{ text: string }>)[0].text.split(' ');
      assert.ok(names.includes('mcp-session-id'));
      assert.ok(!names.includes('authorization'));
      await transport.terminateSession();
      await client.close();
    });

    it('carries server-to-client requests over the session (roots/list answered by the client)', async () => {
      const alice = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const { client, transport } = await connectWithToken(setup.app.mcpUrl, alice, ['file:///work', 'file:///home']);
      const result = await client.callTool({ name: 'client_roots', arguments: {} });
      assert.deepEqual(result.content, [{ type: 'text', text: 'file:///work, file:///home' }]);
      await transport.terminateSession();
      await client.close();
    });
  });
}
