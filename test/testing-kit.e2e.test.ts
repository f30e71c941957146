import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { MCP_AUTH_MODULE_OPTIONS } from 'nest-mcp-auth';
import { McpTestKit } from 'nest-mcp-auth/testing';
import { AppModule } from '../src/app.module.js';
import { exampleConfigFromEnv, SCOPES } from '../src/example-config.js';
import { createHttpAdapter } from '../src/http-adapter.js';
import { ADAPTERS } from './support/test-app.js';

// The README's testing-kit example (src/notes/notes.mcp.test.ts) on Express; here the kit serves the same app on
// each adapter, as a Fastify application's own tests would: `createNestApplication(new FastifyAdapter())`.
for (const adapter of ADAPTERS) {
  describe(`McpTestKit with an application on ${adapter}`, () => {
    let kit: McpTestKit;

    before(async () => {
      kit = await McpTestKit.start();
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(exampleConfigFromEnv({}, ''))] })
        .overrideProvider(MCP_AUTH_MODULE_OPTIONS)
        .useValue(kit.moduleOptions({ scopesSupported: SCOPES }))
        .compile();
      await kit.listen(moduleRef.createNestApplication(createHttpAdapter(adapter), { logger: false }));
    });

    after(() => kit.close());

    it('connects clients for a subject and scopes, whose tools see that subject', async () => {
      const alice = await kit.connect({ subject: 'alice', scopes: ['notes:read', 'notes:write'] });
      await alice.callTool({ name: 'add_note', arguments: { text: 'buy milk' } });
      const listed = (await alice.callTool({ name: 'list_notes', arguments: {} })).structuredContent as {
        notes: Array<{ text: string }>;
      };
      assert.deepEqual(
        listed.notes.map((note) => note.text),
        ['buy milk'],
      );
      const bob = await kit.connect({ subject: 'bob', scopes: ['notes:read'] });
      assert.deepEqual((await bob.callTool({ name: 'list_notes', arguments: {} })).structuredContent, { notes: [] });
    });

    it('describes a 403 step-up and a 401 without a token', async () => {
      const reader = await kit.connect({ subject: 'carol', scopes: ['notes:read'] });
      const refused = await kit.refusal(reader.callTool({ name: 'add_note', arguments: { text: 'x' } }));
      assert.deepEqual([refused.status, refused.error], [403, 'insufficient_scope']);
      const anonymous = await kit.refusal(kit.connect({ token: null }));
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.resourceMetadata, `${kit.baseUrl}/.well-known/oauth-protected-resource/mcp`);
    });
  });
}
