import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectWithToken, INITIALIZE, postMcp } from './support/mcp-client.js';
import { MCP_HEADERS, rawPost } from './support/raw-http.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

const call = (id: number, name = 'identity', args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** A JSON-RPC error answer without a stack trace or the token in it. */
function assertRefusal(response: { status: number; text: string }, status: number, message: RegExp, token: string) {
  assert.equal(response.status, status);
  const body = JSON.parse(response.text) as { jsonrpc: string; error: { code: number; message: string } };
  assert.equal(body.jsonrpc, '2.0');
  assert.match(body.error.message, message);
  assert.ok(!response.text.includes(token) && !response.text.includes('    at '));
}

for (const adapter of ADAPTERS) {
  describe(`Streamable HTTP refusals without a session (stateless) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, resource: { scopesSupported: ['tools:use'] } });
    const token = () => setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });

    it('answers 406 to a POST that does not accept both JSON and an event stream', async () => {
      const bearer = await token();
      const response = await postMcp(setup.app.mcpUrl, call(1), {
        authorization: `Bearer ${bearer}`,
        accept: 'application/json',
      });
      assertRefusal(response, 406, /must accept both application\/json and text\/event-stream/, bearer);
    });

    it('refuses, never leaves unanswered, a message the MCP SDK would not take', async () => {
      const bearer = await token();
      const send = (body: string) =>
        rawPost(setup.app.mcpUrl, [...MCP_HEADERS, 'Authorization', `Bearer ${bearer}`], body, 5000);
      for (const body of [
        '{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}',
        '{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}',
        '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":5}}',
        '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x","id":null}]',
      ]) {
        const response = await send(body);
        assertRefusal(
          { status: response.status, text: response.body },
          400,
          /Parse error: Invalid JSON-RPC message/,
          bearer,
        );
      }
      // A `__proto__` member: Fastify's JSON parser refuses it itself, Express's hands it over; 400 either way.
      const proto = await send('{"__proto__":{"x":1},"jsonrpc":"2.0","id":1,"method":"ping"}');
      assert.equal(proto.status, 400);
    });

    it('refuses an initialize request batched with another message, running neither', async () => {
      const bearer = await token();
      const runs = setup.app.probe.runs.length;
      const response = await postMcp(setup.app.mcpUrl, [INITIALIZE, call(2)], { authorization: `Bearer ${bearer}` });
      assertRefusal(response, 400, /Only one initialization request is allowed/, bearer);
      assert.equal(setup.app.probe.runs.length, runs, 'the identity tool did not run');
    });

    it('refuses a batch that uses one request id twice, since the answers could not be told apart', async () => {
      const bearer = await token();
      const runs = setup.app.probe.runs.length;
      const response = await postMcp(setup.app.mcpUrl, [call(3), call(3)], { authorization: `Bearer ${bearer}` });
      assertRefusal(response, 400, /duplicate request ids/, bearer);
      assert.equal(setup.app.probe.runs.length, runs, 'the identity tool did not run');
      const add = (id: number) => call(id, 'add', { a: id, b: 1 });
      const distinct = await postMcp(setup.app.mcpUrl, [add(4), add(5)], { authorization: `Bearer ${bearer}` });
      assert.equal(distinct.status, 200);
      const answers = JSON.parse(distinct.text) as { id: number; result: { structuredContent: unknown } }[];
      assert.deepEqual(
        answers.map((answer) => [answer.id, answer.result.structuredContent]),
        [
          [4, { sum: 5 }],
          [5, { sum: 6 }],
        ],
      );
    });
  });

  describe(`a JSON-RPC batch in which one tool streams (stateless) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter });

    it('switches the whole answer to SSE and still delivers every answer of the batch', async () => {
      const bearer = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const count = {
        ...call(2, 'count_with_progress', { steps: 3 }),
        params: { name: 'count_with_progress', arguments: { steps: 3 }, _meta: { progressToken: 'p' } },
      };
      const response = await postMcp(setup.app.mcpUrl, [{ jsonrpc: '2.0', id: 1, method: 'ping' }, count], {
        authorization: `Bearer ${bearer}`,
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const events = response.text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { id?: number; method?: string; params?: { progress: number } });
      assert.deepEqual(
        events.filter((event) => event.method === 'notifications/progress').map((event) => event.params?.progress),
        [1, 2, 3],
      );
      assert.deepEqual(
        events
          .filter((event) => event.id !== undefined)
          .map((event) => event.id)
          .sort(),
        [1, 2],
      );
    });
  });

  describe(`Streamable HTTP sessions: limits (stateful) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { mode: 'stateful', maxSessions: 1 } });
    const token = (sub: string) => setup.issuer.mint({ sub, aud: setup.app.mcpUrl, scope: 'tools:use' });

    it('answers 400 to a GET or DELETE without a session id', async () => {
      const bearer = await token('alice');
      for (const method of ['GET', 'DELETE']) {
        const response = await fetch(setup.app.mcpUrl, {
          method,
          headers: { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' },
        });
        assertRefusal(
          { status: response.status, text: await response.text() },
          400,
          /Mcp-Session-Id header is required/,
          bearer,
        );
      }
    });

    it('answers 503 with Retry-After beyond maxSessions, and opens sessions again once one ends', async () => {
      const alice = await token('alice');
      const first = await connectWithToken(setup.app.mcpUrl, alice);

      const bob = await token('bob');
      const refused = await postMcp(setup.app.mcpUrl, INITIALIZE, { authorization: `Bearer ${bob}` });
      assertRefusal(refused, 503, /Too many sessions/, bob);
      assert.equal(refused.headers.get('retry-after'), '30');
      // The open session is unaffected.
      assert.deepEqual((await first.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).structuredContent, {
        sum: 5,
      });

      await first.transport.terminateSession();
      await first.client.close();
      const second = await connectWithToken(setup.app.mcpUrl, bob);
      assert.ok(second.transport.sessionId);
      await second.transport.terminateSession();
      await second.client.close();
    });
  });

  describe(`Streamable HTTP sessions: idle timeout (stateful) (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { mode: 'stateful', sessionIdleTimeoutMs: 200 } });

    it('closes a session left idle past sessionIdleTimeoutMs: its id then gets 404', async () => {
      const alice = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const { client, transport } = await connectWithToken(setup.app.mcpUrl, alice);
      const sessionId = transport.sessionId!;
      await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });

      // The sweeper runs every 100 ms (half the timeout) in this process; 1 s idle is well past both.
      await sleep(1000);
      const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
      const stale = await postMcp(setup.app.mcpUrl, ping, {
        authorization: `Bearer ${alice}`,
        'mcp-session-id': sessionId,
      });
      assertRefusal(stale, 404, /Session not found/, alice);
      await client.close();

      // A client that meets the 404 starts over with a new session.
      const again = await connectWithToken(setup.app.mcpUrl, alice);
      assert.notEqual(again.transport.sessionId, sessionId);
      await again.transport.terminateSession();
      await again.client.close();
    });
  });
}
