import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { McpPrompt, McpResource, McpTool } from 'nest-mcp-auth';
import { connectWithToken, postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite, startAppWithIssuer } from './support/test-app.js';
import { NOTES, PNG_BYTES, TestPrompts, TestResources } from './support/test-primitives.js';
import { TestTools } from './support/test-tools.js';

/** Asserts that `promise` rejects with an MCP error of this JSON-RPC code. */
async function rejectsWithCode(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof McpError, String(error));
    assert.equal(error.code, code);
    return true;
  });
}

/** An error as HTTP or database clients throw them: a numeric `code` and `data` holding what it saw. */
class LeakyError extends Error {
  readonly code = 503;
  readonly data = { upstreamResponse: 'internal-only detail' };
}

/** Handlers that fail: with an ordinary error (its message only may reach the client) or a chosen MCP error. */
@Injectable()
class FailingPrimitives {
  @McpResource({ uri: 'test://failing', name: 'failing' })
  failingResource(): string {
    throw new LeakyError('the upstream store failed');
  }

  @McpPrompt({ name: 'failing_prompt', description: 'Always fails' })
  failingPrompt(): string {
    throw new LeakyError('the prompt store failed');
  }

  @McpPrompt({ name: 'refusing_prompt', description: 'Refuses with a protocol error it chose' })
  refusingPrompt(): string {
    throw new McpError(ErrorCode.InvalidParams, 'Pick a topic', { topics: ['a', 'b'] });
  }

  @McpTool({ name: 'failing_tool', description: 'Always fails' })
  failingTool(): string {
    throw new LeakyError('the tool store failed');
  }
}

const rpc = (id: number | string, method: string, params: unknown) => ({ jsonrpc: '2.0', id, method, params });

for (const adapter of ADAPTERS) {
  for (const mode of ['stateless', 'stateful'] as const) {
    describe(`MCP resources, templates, prompts and completions (${mode}, ${adapter})`, () => {
      const setup = appWithIssuerForSuite({ adapter, mcp: { mode } });
      const token = (scope: string) =>
        setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope, client_id: 'e2e' });
      const connect = async (scope: string) => (await connectWithToken(setup.app.mcpUrl, await token(scope))).client;

      it('lists resources and templates, and reads text (identity injected) and binary resources', async () => {
        const client = await connect('tools:use');
        const { resources } = await client.listResources();
        assert.deepEqual(
          resources.map(({ uri, name, mimeType }) => [uri, name, mimeType]),
          [
            ['test://readme', 'readme', 'text/markdown'],
            ['test://logo', 'logo', 'image/png'],
            ['test://secret', 'secret', undefined],
          ],
        );
        const { resourceTemplates } = await client.listResourceTemplates();
        assert.deepEqual(resourceTemplates, [{ uriTemplate: 'notes://{id}', name: 'note', mimeType: 'text/plain' }]);
        const readme = await client.readResource({ uri: 'test://readme' });
        assert.deepEqual(readme.contents, [
          {
            uri: 'test://readme',
            mimeType: 'text/markdown',
            text: '# Hello alice (via context: alice, uri: test://readme)',
          },
        ]);
        const logo = await client.readResource({ uri: 'test://logo' });
        assert.deepEqual(logo.contents, [
          { uri: 'test://logo', mimeType: 'image/png', blob: PNG_BYTES.toString('base64') },
        ]);
        await client.close();
      });

      it('reads a URI through its template, and answers unknown URIs and unknown ids with resource-not-found', async () => {
        const client = await connect('notes:read');
        const note = await client.readResource({ uri: 'notes://12' });
        assert.deepEqual(note.contents, [{ uri: 'notes://12', mimeType: 'text/plain', text: NOTES['12'] }]);
        await rejectsWithCode(client.readResource({ uri: 'notes://999' }), -32002);
        await rejectsWithCode(client.readResource({ uri: 'other://1' }), -32002);
        await rejectsWithCode(client.readResource({ uri: `notes://${'9'.repeat(5000)}` }), -32002);
        await client.close();
      });

      it('lists prompts with their arguments and gets them with validated arguments', async () => {
        const client = await connect('notes:read');
        const { prompts } = await client.listPrompts();
        assert.deepEqual(prompts, [
          {
            name: 'greeting',
            title: 'Greeting',
            description: 'Greets someone',
            arguments: [
              { name: 'name', description: 'Who to greet', required: true },
              { name: 'style', required: false },
            ],
          },
          {
            name: 'summarise_notes',
            description: 'Summarise my notes',
            arguments: [{ name: 'topic', required: false }],
          },
        ]);
        const greeting = await client.getPrompt({ name: 'greeting', arguments: { name: 'Ada', style: 'long' } });
        assert.deepEqual(greeting, {
          description: 'Greets someone',
          messages: [{ role: 'user', content: { type: 'text', text: 'Good day to you, Ada, from alice.' } }],
        });
        await rejectsWithCode(client.getPrompt({ name: 'greeting', arguments: {} }), -32602);
        await rejectsWithCode(
          client.getPrompt({ name: 'greeting', arguments: { name: 'Ada', style: 'medium' } }),
          -32602,
        );
        await rejectsWithCode(client.getPrompt({ name: 'no_such_prompt' }), -32602);
        const summary = await client.getPrompt({ name: 'summarise_notes', arguments: { topic: 'errands' } });
        assert.equal(summary.description, 'Notes about errands');
        assert.deepEqual(
          summary.messages.map((message) => message.content.type),
          ['text', 'resource', 'image'],
        );
        await client.close();
      });

      it('completes a prompt argument (seeing the other arguments) and a template variable', async () => {
        const client = await connect('notes:read');
        const complete = async (ref: object, name: string, value: string, args?: Record<string, string>) =>
          (await client.complete({ ref: ref as never, argument: { name, value }, context: { arguments: args } }))
            .completion;
        const greeting = { type: 'ref/prompt', name: 'greeting' };
        assert.deepEqual(await complete(greeting, 'name', 'a'), { values: ['Ada', 'Alan'], total: 2, hasMore: false });
        assert.deepEqual((await complete(greeting, 'name', 'a', { style: 'long' })).values, ['Adelaide', 'Alexander']);
        assert.deepEqual((await complete(greeting, 'style', 's')).values, [], 'an argument without a completer');
        const note = { type: 'ref/resource', uri: 'notes://{id}' };
        assert.deepEqual((await complete(note, 'id', '1')).values, ['1', '12']);
        assert.deepEqual((await complete({ type: 'ref/prompt', name: 'summarise_notes' }, 'topic', 'r')).values, [
          'reading',
        ]);
        await rejectsWithCode(complete({ type: 'ref/prompt', name: 'nope' }, 'x', ''), -32602);
        await client.close();
      });

      it('refuses a scoped resource, template, prompt and completion with a 403 step-up, before any handler runs', async () => {
        const runsBefore = setup.app.probe.runs.length;
        const weak = { authorization: `Bearer ${await token('tools:use')}` };
        const refusals: Array<[unknown, string]> = [
          [rpc(1, 'resources/read', { uri: 'test://secret' }), 'secrets:read'],
          [rpc(2, 'resources/read', { uri: 'notes://1' }), 'notes:read'],
          [rpc(3, 'prompts/get', { name: 'summarise_notes' }), 'notes:read'],
          [
            rpc(4, 'completion/complete', completion({ type: 'ref/prompt', name: 'summarise_notes' }, 'topic')),
            'notes:read',
          ],
          [
            rpc(5, 'completion/complete', completion({ type: 'ref/resource', uri: 'notes://{id}' }, 'id')),
            'notes:read',
          ],
          [
            [rpc(6, 'resources/read', { uri: 'test://readme' }), rpc(7, 'resources/read', { uri: 'test://secret' })],
            'secrets:read',
          ],
        ];
        // A 2026-07-28 client accumulates scopes itself: the challenge names only what is needed (SEP-2350).
        const newer = { ...weak, 'mcp-protocol-version': '2026-07-28' };
        for (const [body, scope] of refusals) {
          const response = await postMcp(setup.app.mcpUrl, body, newer);
          assert.equal(response.status, 403, JSON.stringify(body));
          assert.equal(
            response.headers.get('www-authenticate'),
            `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", ` +
              `scope="${scope}", resource_metadata="${setup.app.baseUrl}/.well-known/oauth-protected-resource/mcp"`,
          );
        }
        const anonymous = await postMcp(setup.app.mcpUrl, rpc(8, 'resources/read', { uri: 'test://secret' }));
        assert.equal(anonymous.status, 401);
        assert.match(
          anonymous.headers.get('www-authenticate') ?? '',
          /^Bearer scope="secrets:read", resource_metadata=/,
        );
        assert.equal(setup.app.probe.runs.length, runsBefore, 'no handler ran');

        const client = await connect('secrets:read notes:read');
        assert.deepEqual((await client.readResource({ uri: 'test://secret' })).contents[0], {
          uri: 'test://secret',
          text: 'the secret',
        });
        await client.close();
      });

      it('announces the capabilities of what is registered', async () => {
        const client = await connect('tools:use');
        assert.deepEqual(client.getServerCapabilities(), {
          tools: { listChanged: false },
          resources: { listChanged: false, subscribe: mode === 'stateful' },
          prompts: { listChanged: false },
          completions: {},
          logging: {},
        });
        await client.close();
      });

      it('echoes the request id in transport-level refusals', async () => {
        const auth = { authorization: `Bearer ${await token('tools:use')}` };
        const badVersion = await postMcp(setup.app.mcpUrl, rpc('req-7', 'tools/list', {}), {
          ...auth,
          'mcp-protocol-version': '1999-01-01',
        });
        assert.equal(badVersion.status, 400);
        assert.deepEqual(JSON.parse(badVersion.text).id, 'req-7');
        const notAccepted = await postMcp(setup.app.mcpUrl, rpc(41, 'tools/list', {}), {
          ...auth,
          accept: 'application/json',
        });
        assert.equal(notAccepted.status, mode === 'stateless' ? 406 : 400);
        if (mode === 'stateless') assert.equal(JSON.parse(notAccepted.text).id, 41);
        const batch = await postMcp(setup.app.mcpUrl, [rpc(1, 'tools/list', {})], {
          ...auth,
          'mcp-protocol-version': 'x',
        });
        assert.equal(JSON.parse(batch.text).id, null, 'a batch has no single id');
        if (mode === 'stateful') {
          const unknownSession = await postMcp(setup.app.mcpUrl, rpc(42, 'tools/list', {}), {
            ...auth,
            'mcp-session-id': 'no-such-session',
          });
          assert.equal(unknownSession.status, 404);
          assert.equal(JSON.parse(unknownSession.text).id, 42);
          const noSession = await postMcp(setup.app.mcpUrl, rpc(43, 'tools/list', {}), auth);
          assert.equal(noSession.status, 400);
          assert.equal(JSON.parse(noSession.text).id, 43);
        }
      });
    });
  }

  function completion(ref: object, argument: string) {
    return { ref, argument: { name: argument, value: '' } };
  }

  describe(`MCP list hiding (mcp.hideUnauthorized, and its deprecated name hideUnauthorizedTools) (${adapter})`, () => {
    for (const option of ['hideUnauthorized', 'hideUnauthorizedTools'] as const) {
      it(`${option}: every list shows only what the token may use`, async () => {
        const setup = await startAppWithIssuer({ adapter, mcp: { [option]: true } });
        try {
          const mint = (scope: string) => setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope });
          const { client } = await connectWithToken(setup.app.mcpUrl, await mint('tools:use'));
          assert.ok(!(await client.listTools()).tools.some((tool) => tool.name === 'admin_only'));
          assert.deepEqual(
            (await client.listResources()).resources.map((resource) => resource.name),
            ['readme', 'logo'],
          );
          assert.deepEqual((await client.listResourceTemplates()).resourceTemplates, []);
          assert.deepEqual(
            (await client.listPrompts()).prompts.map((prompt) => prompt.name),
            ['greeting'],
          );
          await client.close();
          const { client: strong } = await connectWithToken(setup.app.mcpUrl, await mint('tools:use notes:read'));
          assert.deepEqual(
            (await strong.listResourceTemplates()).resourceTemplates.map((each) => each.name),
            ['note'],
          );
          assert.deepEqual(
            (await strong.listPrompts()).prompts.map((prompt) => prompt.name),
            ['greeting', 'summarise_notes'],
          );
          await strong.close();
        } finally {
          await setup.close();
        }
      });
    }
  });

  describe(`MCP capabilities follow what is registered (${adapter})`, () => {
    for (const [what, primitives, expected, absent] of [
      ['tools only', [TestTools], { tools: { listChanged: false }, logging: {} }, 'resources/list'],
      [
        'resources and prompts',
        [TestResources, TestPrompts],
        {
          resources: { listChanged: false, subscribe: false },
          prompts: { listChanged: false },
          completions: {},
          logging: {},
        },
        'tools/list',
      ],
      ['nothing', [], {}, 'prompts/list'],
    ] as const) {
      it(`${what}: announces ${Object.keys(expected).join(', ') || 'no capability'}, and nothing else is served`, async () => {
        const setup = await startAppWithIssuer({ adapter, primitives: [...primitives] });
        try {
          const bearer = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
          const { client } = await connectWithToken(setup.app.mcpUrl, bearer);
          assert.deepEqual(client.getServerCapabilities(), expected);
          await client.close();
          const answer = await postMcp(setup.app.mcpUrl, rpc(9, absent, {}), { authorization: `Bearer ${bearer}` });
          assert.deepEqual(JSON.parse(answer.text).error, { code: -32601, message: 'Method not found' });
        } finally {
          await setup.close();
        }
      });
    }
  });

  describe(`MCP handlers that throw (${adapter})`, () => {
    const setup = appWithIssuerForSuite({ adapter, primitives: [FailingPrimitives] });
    const call = async (id: number, method: string, params: unknown) => {
      const bearer = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use' });
      const answer = await postMcp(setup.app.mcpUrl, rpc(id, method, params), { authorization: `Bearer ${bearer}` });
      assert.equal(answer.status, 200);
      assert.ok(!answer.text.includes('internal-only'), answer.text);
      assert.ok(!/at .*\.js:\d+/.test(answer.text), 'no stack trace');
      return JSON.parse(answer.text) as { result?: unknown; error?: unknown };
    };

    it('tell the client only the message of an ordinary error (no data, no code of its own)', async () => {
      const read = await call(1, 'resources/read', { uri: 'test://failing' });
      assert.deepEqual(read.error, { code: -32603, message: 'the upstream store failed' });
      const prompt = await call(2, 'prompts/get', { name: 'failing_prompt' });
      assert.deepEqual(prompt.error, { code: -32603, message: 'the prompt store failed' });
      const tool = await call(3, 'tools/call', { name: 'failing_tool', arguments: {} });
      assert.deepEqual(tool.result, { content: [{ type: 'text', text: 'the tool store failed' }], isError: true });
    });

    it('pass an McpError the handler chose as it is, data included', async () => {
      const prompt = await call(4, 'prompts/get', { name: 'refusing_prompt' });
      assert.deepEqual(prompt.error, {
        code: ErrorCode.InvalidParams,
        message: 'MCP error -32602: Pick a topic',
        data: { topics: ['a', 'b'] },
      });
    });
  });
}
