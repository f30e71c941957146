import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  connectWithOAuth,
  createTracingFetch,
  type HttpExchange,
  type OAuthConnection,
  withStepUp,
} from '../src/oauth-flow/index.js';
import { type ExampleProcess, startExampleProcess } from './support/example-process.js';
import { toolText } from './support/mcp-client.js';
import { ADAPTERS } from './support/test-app.js';

for (const adapter of ADAPTERS) {
  describe(`npm start + the official SDK client through the full OAuth flow (HTTP_ADAPTER=${adapter})`, () => {
    let example: ExampleProcess;
    let connection: OAuthConnection;
    const exchanges: HttpExchange[] = [];

    before(async () => {
      example = await startExampleProcess({ adapter });
      connection = await connectWithOAuth({
        mcpUrl: example.mcpUrl,
        scope: 'notes:read',
        fetch: createTracingFetch((exchange) => void exchanges.push(exchange)),
      });
    });

    after(async () => {
      await connection?.close();
      await example?.stop();
    });

    it(`runs on ${adapter} and says so`, () => {
      assert.match(example.output(), new RegExp(`MCP server\\s+${example.mcpUrl}\\s+\\(stateless, on ${adapter}\\)`));
    });

    it('went 401 → resource metadata → AS metadata → registration → code + PKCE + resource → token', () => {
      const steps = exchanges.map((exchange) => `${exchange.method} ${exchange.url.pathname} ${exchange.status}`);
      const index = (pattern: RegExp) => steps.findIndex((entry) => pattern.test(entry));
      const order = [
        index(/^POST \/mcp 401$/),
        index(/^GET \/\.well-known\/oauth-protected-resource\/mcp 200$/),
        index(/^GET \/\.well-known\/oauth-authorization-server 200$/),
        index(/^POST \/reg 201$/),
        index(/^POST \/token 200$/),
        index(/^POST \/mcp 200$/),
      ];
      assert.ok(
        order.every((position) => position >= 0),
        `missing a step in:\n${steps.join('\n')}`,
      );
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        `steps out of order:\n${steps.join('\n')}`,
      );
      const tokenRequest = exchanges.find((exchange) => exchange.url.pathname === '/token')!;
      const form = new URLSearchParams(tokenRequest.requestBody);
      assert.equal(form.get('grant_type'), 'authorization_code');
      assert.ok(form.get('code_verifier'), 'PKCE verifier sent');
      assert.equal(form.get('resource'), example.mcpUrl);
      assert.deepEqual(connection.provider.grantedScopes, ['notes:read']);
    });

    it('lists the tools and calls one as the signed-in user', async () => {
      const names = (await connection.client.listTools()).tools.map((tool) => tool.name).sort();
      assert.deepEqual(names, ['add_note', 'delete_all_notes', 'import_notes', 'list_notes', 'whoami']);
      assert.equal(toolText(await connection.client.callTool({ name: 'whoami', arguments: {} })), 'demo');
      const listed = await connection.client.callTool({ name: 'list_notes', arguments: {} });
      assert.deepEqual(listed.structuredContent, { notes: [] });
    });

    it('steps up on 403 insufficient_scope and then runs the tool, which sees the same user', async () => {
      const before403 = exchanges.length;
      const added = await withStepUp(connection, () =>
        connection.client.callTool({ name: 'add_note', arguments: { text: 'written after step-up' } }),
      );
      assert.match(toolText(added), /^Added note #\d+$/);
      const challenge = exchanges.slice(before403).find((exchange) => exchange.status === 403);
      assert.ok(challenge, 'the server answered 403 first');
      // An SDK 1.x client speaks 2025-11-25: the challenge names what add_note needs, then what the token
      // already has (that revision's recommended approach), so a client replacing its scopes keeps them.
      assert.match(
        challenge.headers.get('www-authenticate') ?? '',
        /^Bearer error="insufficient_scope", .*scope="notes:write notes:read", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/,
      );
      assert.deepEqual([...connection.provider.grantedScopes].sort(), ['notes:read', 'notes:write']);
      const listed = (await connection.client.callTool({ name: 'list_notes', arguments: {} })).structuredContent as {
        notes: Array<{ text: string }>;
      };
      assert.deepEqual(
        listed.notes.map((note) => note.text),
        ['written after step-up'],
      );
    });

    it('serves the REST route to the same token, with the same notes', async () => {
      const token = (await connection.provider.tokens())?.access_token;
      assert.ok(token);
      const response = await fetch(new URL('/api/notes', example.mcpUrl), {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { owner: string; notes: Array<{ text: string }> };
      assert.equal(body.owner, 'demo');
      assert.deepEqual(
        body.notes.map((note) => note.text),
        ['written after step-up'],
      );
    });

    it('never printed a token', async () => {
      const token = (await connection.provider.tokens())?.access_token;
      assert.ok(token && !example.output().includes(token));
      assert.doesNotMatch(example.output(), /eyJ[A-Za-z0-9_-]{10,}\./);
    });
  });
}
