import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { MCP_AUTH_MODULE_OPTIONS } from 'nest-mcp-auth';
import { McpTestKit } from 'nest-mcp-auth/testing';
import { AppModule } from '../app.module.js';
import { exampleConfigFromEnv, SCOPES } from '../example-config.js';

describe('the notes MCP server', () => {
  let kit: McpTestKit;

  before(async () => {
    // A throw-away issuer and a free port; the app trusts that issuer instead of the real one.
    kit = await McpTestKit.start();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(exampleConfigFromEnv({}, ''))] })
      .overrideProvider(MCP_AUTH_MODULE_OPTIONS)
      .useValue(kit.moduleOptions({ scopesSupported: SCOPES }))
      .compile();
    await kit.listen(moduleRef.createNestApplication({ logger: false }));
  });

  after(() => kit.close());

  it('keeps each user to their own notes', async () => {
    const alice = await kit.connect({ subject: 'alice', scopes: ['notes:read', 'notes:write'] });
    await alice.callTool({ name: 'add_note', arguments: { text: 'buy milk' } });
    const bob = await kit.connect({ subject: 'bob', scopes: ['notes:read'] });
    const listed = await bob.callTool({ name: 'list_notes', arguments: {} });
    assert.deepEqual(listed.structuredContent, { notes: [] });
  });

  it('asks for notes:write before a tool adds a note (403 step-up)', async () => {
    const reader = await kit.connect({ subject: 'carol', scopes: ['notes:read'] });
    const refused = await kit.refusal(reader.callTool({ name: 'add_note', arguments: { text: 'x' } }));
    assert.equal(refused.status, 403);
    assert.equal(refused.error, 'insufficient_scope');
    assert.ok(refused.scopes.includes('notes:write'));
  });

  it('sends clients without a token to the protected resource metadata (401)', async () => {
    const refused = await kit.refusal(kit.connect({ token: null }));
    assert.equal(refused.status, 401);
    assert.equal(refused.resourceMetadata, `${kit.baseUrl}/.well-known/oauth-protected-resource/mcp`);
  });
});
