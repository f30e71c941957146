import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectWithOAuth, type OAuthConnection, withStepUp } from '../src/oauth-flow/index.js';
import { type ExampleProcess, startExampleProcess } from './support/example-process.js';
import { INITIALIZE, postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

const CALL_ADMIN = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'admin_only', arguments: {} } };

for (const adapter of ADAPTERS)
  describe(`Challenges that keep clients from losing scopes, and least-privilege first sign-in (${adapter})`, () => {
    const setup = appWithIssuerForSuite({
      adapter,
      resource: { scopesSupported: ['tools:use', 'admin', 'reports:read'] },
    });
    const withInitial = appWithIssuerForSuite({
      adapter,
      resource: { scopesSupported: ['tools:use', 'admin'], initialScopes: ['tools:use'] },
    });
    const scopeOf = (challenge: string | null) => /scope="([^"]*)"/.exec(challenge ?? '')?.[1];

    it('names the needed and the granted scopes for a 2025-11-25 client, only the needed for 2026-07-28', async () => {
      const token = await setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope: 'tools:use reports:read' });
      const older = await postMcp(setup.app.mcpUrl, CALL_ADMIN, { authorization: `Bearer ${token}` });
      assert.equal(older.status, 403);
      assert.equal(scopeOf(older.headers.get('www-authenticate')), 'tools:use admin reports:read');
      const newer = await postMcp(setup.app.mcpUrl, CALL_ADMIN, {
        authorization: `Bearer ${token}`,
        'mcp-protocol-version': '2026-07-28',
      });
      assert.equal(newer.status, 403);
      assert.equal(scopeOf(newer.headers.get('www-authenticate')), 'tools:use admin');
    });

    it('names no scope in the 401 of an operation needing none, unless the resource sets initialScopes', async () => {
      const plain = await postMcp(setup.app.mcpUrl, INITIALIZE);
      assert.equal(plain.status, 401);
      assert.equal(scopeOf(plain.headers.get('www-authenticate')), undefined);
      const minimal = await postMcp(withInitial.app.mcpUrl, INITIALIZE);
      assert.equal(minimal.status, 401);
      assert.equal(scopeOf(minimal.headers.get('www-authenticate')), 'tools:use');
      // An operation that needs scopes still names them all.
      const admin = await postMcp(withInitial.app.mcpUrl, CALL_ADMIN);
      assert.equal(scopeOf(admin.headers.get('www-authenticate')), 'tools:use admin');
    });
  });

describe('A plain SDK 1.x client (no scope accumulation of its own) keeps its scopes through a step-up', () => {
  let example: ExampleProcess;
  let connection: OAuthConnection;

  before(async () => {
    example = await startExampleProcess();
    connection = await connectWithOAuth({ mcpUrl: example.mcpUrl, scope: 'notes:read', accumulateScopes: false });
  });
  after(async () => {
    await connection?.close();
    await example?.stop();
  });

  it('steps up once for notes:write and can still list notes without another consent', async () => {
    await withStepUp(connection, () => connection.client.callTool({ name: 'add_note', arguments: { text: 'kept' } }));
    assert.deepEqual([...connection.provider.grantedScopes].sort(), ['notes:read', 'notes:write']);
    const listed = await connection.client.callTool({ name: 'list_notes', arguments: {} });
    assert.equal(listed.isError, undefined);
    // The first sign-in and one step-up: no third consent to get notes:read back.
    assert.equal(connection.provider.authorizationUrls.length, 2);
  });
});
