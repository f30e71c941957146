import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../dev-auth-server/index.js';
import {
  connectWithOAuth,
  CookieJar,
  createTracingFetch,
  describeOAuthExchange,
  InMemoryOAuthClientProvider,
  stepUp,
  withStepUp,
  type OAuthConnection,
} from './index.js';
import type { INestApplication } from '@nestjs/common';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { freePort } from 'nest-mcp-auth/testing';
import { createExampleApp } from '../example-app.js';
import { SCOPES } from '../example-config.js';

type ToolResult = { content: Array<{ type: string; text?: string }> };
const text = (result: unknown) => (result as ToolResult).content.map((part) => part.text ?? '').join('');

describe('OAuth flow helpers against the example MCP server', () => {
  let app: INestApplication;
  let as: DevAuthorizationServer;
  let mcpUrl: string;
  /** Status codes of the POSTs to the MCP endpoint, in order (the 401 / 403 steps). */
  const statuses: number[] = [];
  const recordMcpStatuses = createTracingFetch((exchange) => {
    if (exchange.method === 'POST' && exchange.url.href === mcpUrl) statuses.push(exchange.status);
  });

  before(async () => {
    const port = await freePort();
    mcpUrl = `http://127.0.0.1:${port}/mcp`;
    as = await startDevAuthorizationServer({ port: 0, resources: [{ resource: mcpUrl, scopes: SCOPES }] });
    app = await createExampleApp({ port, issuer: as.issuer, resourceUrl: mcpUrl, logger: false });
  });
  after(async () => {
    await app.close();
    await as.close();
  });

  describe('connectWithOAuth, withStepUp and stepUp', () => {
    let connection: OAuthConnection;
    before(async () => {
      connection = await connectWithOAuth({ mcpUrl, scope: 'notes:read', fetch: recordMcpStatuses });
    });
    after(() => connection.close());

    it('connects after 401 → discovery → registration → code + PKCE + resource', async () => {
      assert.equal(statuses[0], 401);
      const [authorizationUrl] = connection.provider.authorizationUrls;
      assert.ok(authorizationUrl);
      assert.equal(authorizationUrl.origin, as.issuer);
      assert.equal(authorizationUrl.searchParams.get('resource'), mcpUrl);
      assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(
        authorizationUrl.searchParams.get('scope'),
        'notes:read',
        'initial scope replaces the server suggestion',
      );
      assert.deepEqual(connection.provider.grantedScopes, ['notes:read']);

      const { tools } = await connection.client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), [
        'add_note',
        'delete_all_notes',
        'import_notes',
        'list_notes',
        'whoami',
      ]);
      assert.equal(text(await connection.client.callTool({ name: 'list_notes', arguments: {} })), '{"notes":[]}');
    });

    it('steps up on 403 insufficient_scope through the SDK and keeps earlier scopes', async () => {
      const before403 = statuses.length;
      const result = await withStepUp(connection, () =>
        connection.client.callTool({ name: 'add_note', arguments: { text: 'hello' } }),
      );
      assert.match(text(result), /^Added note #\d+$/);
      assert.ok(statuses.slice(before403).includes(403));
      assert.equal(connection.provider.authorizationUrls.length, 2);
      assert.equal(connection.provider.authorizationUrls[1]!.searchParams.get('scope'), 'notes:read notes:write');
      assert.deepEqual([...connection.provider.grantedScopes].sort(), ['notes:read', 'notes:write']);

      // The earlier scope survived the step-up: no further authorization needed.
      assert.match(text(await connection.client.callTool({ name: 'list_notes', arguments: {} })), /"text":"hello"/);
      assert.equal(connection.provider.authorizationUrls.length, 2);
    });

    it('serves the notes as resources (with id completion), a summarising prompt, and an import with progress and logs', async () => {
      const client = connection.client;
      const progress: number[] = [];
      const logs: string[] = [];
      client.setNotificationHandler(
        LoggingMessageNotificationSchema,
        ({ params }) => void logs.push(String(params.data)),
      );
      const imported = await client.callTool(
        { name: 'import_notes', arguments: { texts: ['tea', 'oolong tasting'] } },
        undefined,
        {
          onprogress: ({ progress: value }) => progress.push(value),
        },
      );
      const ids = [...text(imported).matchAll(/#(\d+)/g)].map((match) => match[1]);
      assert.equal(ids.length, 2);
      assert.deepEqual(progress, [1, 2]);
      assert.deepEqual(
        logs,
        ids.map((id) => `Imported note #${id}`),
      );

      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((template) => template.uriTemplate),
        ['notes://{id}'],
      );
      const note = await client.readResource({ uri: `notes://${ids[1]}` });
      assert.deepEqual(note.contents, [{ uri: `notes://${ids[1]}`, mimeType: 'text/plain', text: 'oolong tasting' }]);
      const completedIds = await client.complete({
        ref: { type: 'ref/resource', uri: 'notes://{id}' },
        argument: { name: 'id', value: '' },
      });
      assert.ok(ids.every((id) => completedIds.completion.values.includes(id)));

      const topics = await client.complete({
        ref: { type: 'ref/prompt', name: 'summarise_notes' },
        argument: { name: 'topic', value: 'oo' },
      });
      assert.deepEqual(topics.completion.values, ['oolong']);
      const prompt = await client.getPrompt({ name: 'summarise_notes', arguments: { topic: 'oolong' } });
      assert.equal(prompt.description, 'Summary of 1 notes about "oolong"');
      assert.deepEqual(prompt.messages[1].content, {
        type: 'resource',
        resource: { uri: `notes://${ids[1]}`, mimeType: 'text/plain', text: 'oolong tasting' },
      });
    });

    it('steps up ahead of time with stepUp()', async () => {
      await stepUp(connection, ['notes:admin']);
      assert.deepEqual([...connection.provider.grantedScopes].sort(), ['notes:admin', 'notes:read', 'notes:write']);
      // The admin tool now runs: the stepped-up token carries notes:admin.
      assert.match(
        text(await connection.client.callTool({ name: 'delete_all_notes', arguments: {} })),
        /^Deleted \d+ notes$/,
      );
    });
  });

  it('narrates the flow without ever printing a token', async () => {
    const lines: string[] = [];
    const tracing = createTracingFetch(async (exchange) => {
      lines.push(...((await describeOAuthExchange(exchange)) ?? []));
    });
    const connection = await connectWithOAuth({ mcpUrl, scope: 'notes:read', fetch: tracing });
    try {
      const narration = lines.join('\n');
      assert.match(narration, /^401 from POST/m);
      assert.match(narration, /Protected resource metadata \(RFC 9728\)/);
      assert.match(narration, new RegExp(`issuer=${as.issuer}`));
      assert.match(narration, /Dynamic client registration \(RFC 7591\): 201/);
      assert.match(narration, new RegExp(`aud=${mcpUrl}`));
      assert.match(narration, /scope=notes:read /);
      const tokens = connection.provider.tokens();
      assert.ok(tokens?.access_token);
      assert.ok(!narration.includes(tokens.access_token), 'access token never printed');
    } finally {
      await connection.close();
    }
  });
});

describe('InMemoryOAuthClientProvider', () => {
  it('withholds the refresh token while the access token is valid', () => {
    const provider = new InMemoryOAuthClientProvider();
    provider.saveTokens({
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: 'r',
      scope: 'x y',
    });
    assert.equal(provider.tokens()?.refresh_token, undefined);
    assert.deepEqual(provider.grantedScopes, ['x', 'y']);
    provider.saveTokens({ access_token: 'b', token_type: 'Bearer', expires_in: 10 });
    assert.equal(provider.tokens()?.refresh_token, 'r', 'kept from before, offered as expiry is near');
  });
});

describe('CookieJar', () => {
  it('stores, sends and expires cookies per origin', () => {
    const jar = new CookieJar();
    const response = (cookies: string[]) => {
      const headers = new Headers();
      for (const cookie of cookies) headers.append('Set-Cookie', cookie);
      return new Response(null, { headers });
    };
    jar.store('http://127.0.0.1:1/a', response(['a=1; Path=/a; HttpOnly', 'b=2']));
    assert.equal(jar.header('http://127.0.0.1:1/other'), 'a=1; b=2');
    assert.equal(jar.header('http://127.0.0.1:2/'), undefined);
    jar.store('http://127.0.0.1:1/', response(['a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'b=3; Max-Age=60']));
    assert.equal(jar.header('http://127.0.0.1:1/'), 'b=3');
  });
});
