import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { freePort } from 'nest-mcp-auth/testing';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../src/dev-auth-server/index.js';
import { createExampleApp } from '../src/example-app.js';
import { SCOPES } from '../src/example-config.js';
import {
  completeDevLogin,
  connectWithOAuth,
  CookieJar,
  type OAuthConnection,
  withStepUp,
} from '../src/oauth-flow/index.js';

/**
 * The official SDK 1.x client with a plain token store (refresh token offered at all times): on a
 * 403 `insufficient_scope` it redeems a refresh token when it holds one, which returns the same
 * scopes, and gives up. The development server therefore issues refresh tokens only for a granted
 * `offline_access`, so the step-up works for every client that did not ask for it (or whose user
 * unchecked it), as the README's step-up instructions say.
 */
describe('official SDK client step-up and refresh tokens (dev authorization server)', () => {
  let app: INestApplication;
  let as: DevAuthorizationServer;
  let mcpUrl: string;
  const open: OAuthConnection[] = [];

  before(async () => {
    const port = await freePort();
    mcpUrl = `http://127.0.0.1:${port}/mcp`;
    as = await startDevAuthorizationServer({ port: 0, resources: [{ resource: mcpUrl, scopes: SCOPES }] });
    app = await createExampleApp({ port, issuer: as.issuer, resourceUrl: mcpUrl, logger: false });
  });
  after(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    await app.close();
    await as.close();
  });

  async function connect(scope: string, uncheck: string[] = []) {
    const jar = new CookieJar();
    const connection = await connectWithOAuth({
      mcpUrl,
      scope,
      withholdRefreshToken: false,
      authorize: (url) => completeDevLogin(url, { cookieJar: jar, uncheck }),
    });
    open.push(connection);
    return connection;
  }
  const addNote = (connection: OAuthConnection) =>
    withStepUp(connection, () => connection.client.callTool({ name: 'add_note', arguments: { text: 'step-up' } }));

  it('steps up after a 403 when no offline_access was asked: no refresh token to redeem', async () => {
    const connection = await connect('notes:read');
    assert.equal(connection.provider.tokens()?.refresh_token, undefined);
    await addNote(connection);
    assert.equal(connection.provider.authorizationUrls.length, 2, 'a second authorization, not a refresh');
    assert.ok(connection.provider.grantedScopes.includes('notes:write'));
  });

  it('steps up when the user unchecked offline_access', async () => {
    const connection = await connect('notes:read offline_access', ['offline_access']);
    assert.equal(connection.provider.authorizationUrls[0]!.searchParams.get('prompt'), 'consent');
    assert.equal(connection.provider.tokens()?.refresh_token, undefined);
    await addNote(connection);
    assert.ok(connection.provider.grantedScopes.includes('notes:write'));
  });

  it('redeems the refresh token of a granted offline_access on the 403 and gives up (the SDK 1.x behaviour)', async () => {
    const connection = await connect('notes:read offline_access');
    assert.ok(connection.provider.tokens()?.refresh_token, 'offline_access granted: refresh token issued');
    await assert.rejects(addNote(connection), /403 after trying upscoping/);
    assert.equal(connection.provider.authorizationUrls.length, 1, 'no new authorization was attempted');
  });
});
