import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ROUTES_DIRECTLY, routeCheckedMessagesDirectly } from './direct-message-routing.js';

/** What the SDK server did with some messages: what it sent, what it reported as errors, which calls were aborted. */
interface Outcome {
  sent: JSONRPCMessage[];
  errors: string[];
  aborted: unknown[];
}

async function serve(messages: JSONRPCMessage[], routing: 'direct' | "the SDK's"): Promise<Outcome> {
  const outcome: Outcome = { sent: [], errors: [], aborted: [] };
  const server = new Server({ name: 'test', version: '1' }, { capabilities: { tools: {} } });
  server.onerror = (error) => outcome.errors.push(error.message);
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    if (request.params.name === 'slow' && !extra.signal.aborted) {
      // Waits for its cancellation, which comes in the same turn.
      await new Promise((resolve) => extra.signal.addEventListener('abort', resolve, { once: true }));
    }
    if (extra.signal.aborted) outcome.aborted.push(extra.requestId);
    return { content: [{ type: 'text', text: `${request.params.name} for ${String(extra.authInfo?.clientId)}` }] };
  });
  const transport: Transport = {
    start: async () => {},
    close: async () => {},
    send: async (message) => void outcome.sent.push(message),
  };
  await server.connect(transport);
  if (routing === 'direct') routeCheckedMessagesDirectly(server, transport);
  const extra = { authInfo: { token: 't', clientId: 'client-1', scopes: [] } };
  for (const message of messages) transport.onmessage?.(message, extra);
  for (let turn = 0; turn < 5; turn++) await nextTurn();
  return outcome;
}

/** Every kind of message the transport checks accept: requests, notifications, results and errors. */
const EXCHANGES: Record<string, JSONRPCMessage[]> = {
  'a request': [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }],
  'an unknown method': [{ jsonrpc: '2.0', id: 'a', method: 'nope/nothing' }],
  'invalid params': [{ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { arguments: {} } }],
  'a ping': [{ jsonrpc: '2.0', id: 3, method: 'ping' }],
  'a request and its cancellation': [
    { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'slow' } },
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4 } },
  ],
  'a result for no request': [{ jsonrpc: '2.0', id: 5, result: {} }],
  'an error for no request': [{ jsonrpc: '2.0', id: 6, error: { code: -1, message: 'no' } }],
};

describe('routeCheckedMessagesDirectly', () => {
  it('routes directly with the installed SDK', () => {
    assert.equal(ROUTES_DIRECTLY, true);
  });

  for (const [name, messages] of Object.entries(EXCHANGES)) {
    it(`serves ${name} exactly as the SDK's own routing does`, async () => {
      const direct = await serve(messages, 'direct');
      assert.deepEqual(direct, await serve(messages, "the SDK's"));
      assert.ok(direct.sent.length + direct.errors.length + direct.aborted.length > 0, 'the exchange has an effect');
    });
  }

  it('hands the handler the authInfo the transport received', async () => {
    const { sent } = await serve(EXCHANGES['a request'], 'direct');
    assert.deepEqual(sent, [
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'whoami for client-1' }] } },
    ]);
  });
});
