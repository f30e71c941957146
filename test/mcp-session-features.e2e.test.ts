import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { McpResourceNotifier } from 'nest-mcp-auth';
import { eventually } from './support/eventually.js';
import { connectClient, postMcp, toolText } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

/** Records the log messages a client receives. */
function collectLogs(client: Client): string[] {
  const levels: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, ({ params }) => void levels.push(params.level));
  return levels;
}

for (const adapter of ADAPTERS) {
  describe(`MCP session features (stateful): subscriptions, log levels, elicitation, sampling (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, mcp: { mode: 'stateful' } });
    const token = (scope: string) => setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope });

    it('sends notifications/resources/updated to the sessions subscribed to that URI, until they unsubscribe', async () => {
      const notifier = setup.app.app.get(McpResourceNotifier);
      const updates: string[] = [];
      const { client, transport } = await connectClient(setup.app.mcpUrl, await token('notes:read'), {}, (each) =>
        each.setNotificationHandler(ResourceUpdatedNotificationSchema, ({ params }) => void updates.push(params.uri)),
      );
      const { client: other, transport: otherTransport } = await connectClient(
        setup.app.mcpUrl,
        await token('notes:read'),
      );
      await client.subscribeResource({ uri: 'notes://1' });
      await client.subscribeResource({ uri: 'test://readme' });
      await sleep(100); // the client opens its standalone GET stream right after initializing

      assert.equal(await notifier.resourceUpdated('notes://1'), 1);
      assert.equal(await notifier.resourceUpdated('notes://2'), 0, 'nobody subscribed to this one');
      await eventually(() => updates.length > 0);
      assert.deepEqual(updates, ['notes://1']);

      await client.unsubscribeResource({ uri: 'notes://1' });
      assert.equal(await notifier.resourceUpdated('notes://1'), 0);
      assert.equal(await notifier.resourceUpdated('test://readme'), 1);
      await transport.terminateSession();
      assert.equal(
        await notifier.resourceUpdated('test://readme'),
        0,
        'a closed session takes its subscriptions along',
      );
      await client.close();
      await otherTransport.terminateSession();
      await other.close();
    });

    it('authorizes a subscription like a read, and refuses unknown URIs', async () => {
      const { client, transport } = await connectClient(setup.app.mcpUrl, await token('tools:use'));
      const subscribe = {
        jsonrpc: '2.0',
        id: 3,
        method: 'resources/subscribe',
        params: { uri: 'test://secret' },
      };
      const refused = await postMcp(setup.app.mcpUrl, subscribe, {
        authorization: `Bearer ${await token('tools:use')}`,
        'mcp-session-id': transport.sessionId!,
      });
      assert.equal(refused.status, 403);
      // What the subscription needs, then (for this 2025-11-25 client) what the token already has.
      assert.match(refused.headers.get('www-authenticate') ?? '', /scope="secrets:read tools:use"/);
      await assert.rejects(client.subscribeResource({ uri: 'other://1' }), (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32002);
        return true;
      });
      // Unsubscribing needs no scope (this token lacks the read scope the subscription would need).
      assert.deepEqual(await client.unsubscribeResource({ uri: 'test://secret' }), {});
      await transport.terminateSession();
      await client.close();
    });

    it('sends log messages at or above the level the session set, and every one before it set any', async () => {
      const { client, transport } = await connectClient(setup.app.mcpUrl, await token('tools:use'));
      const levels = collectLogs(client);
      await client.callTool({ name: 'log_levels', arguments: {} });
      assert.deepEqual(levels.splice(0), ['debug', 'info', 'warning', 'error']);
      await client.setLoggingLevel('warning');
      await client.callTool({ name: 'log_levels', arguments: {} });
      assert.deepEqual(levels, ['warning', 'error']);
      await transport.terminateSession();
      await client.close();
    });

    it('carries an elicitation round trip, validating the answer against the requested schema', async () => {
      const answers = [
        { action: 'accept', content: { colour: 'green' } },
        { action: 'accept', content: { colour: 'purple' } },
        { action: 'decline' },
      ];
      const asked: string[] = [];
      const { client, transport } = await connectClient(
        setup.app.mcpUrl,
        await token('tools:use'),
        { elicitation: {} },
        (each) =>
          each.setRequestHandler(ElicitRequestSchema, (request) => {
            asked.push(request.params.message);
            return answers.shift() as never;
          }),
      );
      assert.equal(toolText(await client.callTool({ name: 'ask_user', arguments: {} })), 'colour green');
      const invalid = await client.callTool({ name: 'ask_user', arguments: {} });
      assert.equal(invalid.isError, true);
      assert.match(toolText(invalid), /does not match requested schema/);
      assert.equal(toolText(await client.callTool({ name: 'ask_user', arguments: {} })), 'no colour (decline)');
      assert.deepEqual(asked, ['Favourite colour?', 'Favourite colour?', 'Favourite colour?']);
      await transport.terminateSession();
      await client.close();
    });

    it('carries a sampling round trip', async () => {
      const { client, transport } = await connectClient(
        setup.app.mcpUrl,
        await token('tools:use'),
        { sampling: {} },
        (each) =>
          each.setRequestHandler(CreateMessageRequestSchema, (request) => ({
            role: 'assistant',
            model: 'test-model',
            content: { type: 'text', text: `echo: ${(request.params.messages[0].content as { text: string }).text}` },
          })),
      );
      const result = await client.callTool({ name: 'ask_model', arguments: {} });
      assert.equal(toolText(result), 'test-model: echo: A haiku about scopes');
      await transport.terminateSession();
      await client.close();
    });

    it('says so when the client cannot answer an elicitation', async () => {
      const { client, transport } = await connectClient(setup.app.mcpUrl, await token('tools:use'));
      const result = await client.callTool({ name: 'ask_user', arguments: {} });
      assert.equal(result.isError, true);
      assert.match(toolText(result), /Client does not support form elicitation/);
      await transport.terminateSession();
      await client.close();
    });
  });

  describe(`MCP session features in stateless mode: what needs a session is refused at once (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter });
    const token = () => setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use notes:read' });

    it('fails elicitation and sampling with a clear error, without asking the client', async () => {
      let asked = 0;
      const { client } = await connectClient(
        setup.app.mcpUrl,
        await token(),
        { elicitation: {}, sampling: {} },
        (each) => {
          each.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' }) as never);
          each.setRequestHandler(CreateMessageRequestSchema, () => {
            asked++;
            return { role: 'assistant', model: 'm', content: { type: 'text', text: 'never' } };
          });
        },
      );
      for (const [tool, feature] of [
        ['ask_user', 'Elicitation'],
        ['ask_model', 'Sampling'],
      ]) {
        const result = await client.callTool({ name: tool, arguments: {} });
        assert.equal(result.isError, true);
        assert.equal(
          toolText(result),
          `${feature} needs a stateful MCP session (mcp.mode: 'stateful'): in stateless mode the client's answer ` +
            'would arrive in another HTTP request',
        );
      }
      assert.equal(asked, 0);
      await client.close();
    });

    it('sends every log message of a request (no level outlives a POST), and has no subscriptions', async () => {
      const { client } = await connectClient(setup.app.mcpUrl, await token());
      const levels = collectLogs(client);
      await client.setLoggingLevel('error');
      await client.callTool({ name: 'log_levels', arguments: {} });
      assert.deepEqual(levels, ['debug', 'info', 'warning', 'error']);
      assert.equal(client.getServerCapabilities()?.resources?.subscribe, false);
      await assert.rejects(client.subscribeResource({ uri: 'notes://1' }), (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.equal(error.code, -32601);
        return true;
      });
      await client.close();
    });
  });
}
