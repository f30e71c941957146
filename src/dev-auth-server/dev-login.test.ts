import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { completeDevLogin, CookieJar, type CompleteDevLoginOptions } from '../oauth-flow/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from './index.js';

const NOTES = 'http://127.0.0.1:3000/mcp';
const REDIRECT = 'http://127.0.0.1:8976/callback';
const SCOPE_DESCRIPTIONS = { 'notes:read': 'Read your notes', 'notes:write': 'Add notes', 'notes:admin': 'Delete' };

describe('development sign-in and consent page', () => {
  let as: DevAuthorizationServer;
  let metadata: AuthorizationServerMetadata;
  before(async () => {
    as = await startDevAuthorizationServer({
      port: 0,
      resources: [
        {
          resource: NOTES,
          scopes: Object.keys(SCOPE_DESCRIPTIONS),
          name: 'Notes',
          scopeDescriptions: SCOPE_DESCRIPTIONS,
        },
      ],
    });
    metadata = (await discoverAuthorizationServerMetadata(as.issuer))!;
  });
  after(() => as.close());

  const register = (grantTypes = ['authorization_code', 'refresh_token']) =>
    registerClient(as.issuer, {
      metadata,
      clientMetadata: {
        client_name: 'Page test',
        redirect_uris: [REDIRECT],
        grant_types: grantTypes,
        token_endpoint_auth_method: 'none',
      },
    });

  /** The authorization URL an MCP client builds (the SDK adds prompt=consent for offline_access). */
  async function begin(scope: string, client?: OAuthClientInformationFull) {
    client ??= await register();
    const started = await startAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      redirectUrl: REDIRECT,
      scope,
      state: 'st',
      resource: new URL(NOTES),
    });
    return { client, ...started };
  }

  async function authorize(scope: string, options: CompleteDevLoginOptions = {}, client?: OAuthClientInformationFull) {
    const started = await begin(scope, client);
    return exchange(started, await completeDevLogin(started.authorizationUrl, options));
  }

  function exchange(started: Awaited<ReturnType<typeof begin>>, code: string) {
    const { client, codeVerifier } = started;
    return exchangeAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      authorizationCode: code,
      codeVerifier,
      redirectUri: REDIRECT,
      resource: new URL(NOTES),
    });
  }

  /** Follows the authorization URL to the page (or to the client, when no page is needed). */
  async function open(authorizationUrl: URL, jar = new CookieJar()) {
    let url = authorizationUrl;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header(url) ?? '' } });
      jar.store(url, response);
      const location = response.headers.get('location');
      if (!location) return { url, response, html: await response.text(), jar };
      url = new URL(location, url);
      if (url.href.startsWith(REDIRECT)) return { url, response, html: '', jar };
    }
    throw new Error('too many redirects');
  }

  it('signs in with the display name or the id', async () => {
    for (const user of ['Demo User', 'demo user', 'demo']) {
      const tokens = await authorize('notes:read', { user });
      assert.equal(tokens.scope, 'notes:read', user);
    }
  });

  it('shows each requested scope with its description, pre-checked, and allows only its own inline style', async () => {
    const { authorizationUrl } = await begin('notes:read notes:write made:up');
    const { response, html } = await open(authorizationUrl);
    assert.equal(response.status, 200);
    assert.match(
      html,
      /<strong>Page test<\/strong> asks for access to<\/p>\s*<ul class="resources"><li><strong>Notes<\/strong><code>http:\/\/127\.0\.0\.1:3000\/mcp<\/code><\/li><\/ul>/,
    );
    assert.match(html, /value="notes:read" checked><span><code>notes:read<\/code><small>Read your notes<\/small>/);
    assert.match(html, /value="notes:write" checked><span><code>notes:write<\/code><small>Add notes<\/small>/);
    assert.match(html, /Will be granted: <code class="g-0">notes:read<\/code> <code class="g-1">notes:write<\/code>/);
    assert.match(html, /not offered by this server: <code>made:up<\/code>/);
    const css = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css).digest('base64');
    assert.equal(
      response.headers.get('content-security-policy'),
      `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'`,
    );
  });

  it('keeps what was typed, and the boxes, when the user is unknown', async () => {
    const { authorizationUrl } = await begin('notes:read notes:write');
    const { url, jar } = await open(authorizationUrl);
    const response = await fetch(url, {
      method: 'POST',
      headers: { Cookie: jar.header(url)!, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'login=Mallory&scope=notes:write&decision=allow',
    });
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.match(html, /role="alert">Unknown user &quot;Mallory&quot;\. Type demo or Demo User\.</);
    assert.match(html, /name="login" value="Mallory"/);
    assert.match(html, /value="notes:read">/, 'still unchecked');
    assert.match(html, /value="notes:write" checked>/);
  });

  it('grants only the checked scopes', async () => {
    const tokens = await authorize('notes:read notes:write notes:admin', { uncheck: ['notes:write'] });
    assert.equal(tokens.scope, 'notes:read notes:admin');
  });

  it('asks a signed-in user again for a scope declined earlier (Allow / Deny), then grants it', async () => {
    const client = await register();
    const jar = new CookieJar();
    const first = await authorize('notes:read notes:write', { uncheck: ['notes:write'], cookieJar: jar }, client);
    assert.equal(first.scope, 'notes:read');

    const again = await begin('notes:read notes:write', client);
    const { html } = await open(again.authorizationUrl, jar);
    assert.match(html, /<h1>Allow access\?<\/h1>/);
    assert.match(html, /Signed in as <strong>Demo User<\/strong>/);
    assert.match(html, />Allow<\/button>/);
    assert.doesNotMatch(html, /name="login"/);
    const code = await completeDevLogin(again.authorizationUrl, { cookieJar: jar });
    assert.equal((await exchange(again, code)).scope, 'notes:read notes:write');

    // Everything asked is granted now: the next request needs no page at all.
    const third = await begin('notes:write', client);
    assert.ok((await open(third.authorizationUrl, jar)).url.href.startsWith(REDIRECT));
  });

  describe('offline_access and refresh tokens', () => {
    it('offers offline_access to a client asking with prompt=consent, and issues a refresh token', async () => {
      const { authorizationUrl } = await begin('notes:read offline_access');
      assert.equal(authorizationUrl.searchParams.get('prompt'), 'consent');
      const { html } = await open(authorizationUrl);
      assert.match(html, /value="offline_access" checked><span><code>offline_access<\/code><small>Stay connected/);
      assert.match(
        html,
        /Will be granted: <code class="g-0">notes:read<\/code> <code class="g-1">offline_access<\/code>/,
      );
      const tokens = await authorize('notes:read offline_access');
      assert.ok(tokens.refresh_token);
    });

    it('issues no refresh token when the user unchecks offline_access', async () => {
      const tokens = await authorize('notes:read offline_access', { uncheck: ['offline_access'] });
      assert.equal(tokens.refresh_token, undefined);
      assert.equal(tokens.scope, 'notes:read');
    });

    it('neither offers nor grants offline_access without prompt=consent or the refresh_token grant', async () => {
      const withoutPrompt = await begin('notes:read offline_access');
      withoutPrompt.authorizationUrl.searchParams.delete('prompt');
      assert.doesNotMatch((await open(withoutPrompt.authorizationUrl)).html, /offline_access/);
      const tokens = await exchange(withoutPrompt, await completeDevLogin(withoutPrompt.authorizationUrl));
      assert.equal(tokens.refresh_token, undefined);

      const codeOnly = await begin('notes:read offline_access', await register(['authorization_code']));
      assert.doesNotMatch((await open(codeOnly.authorizationUrl)).html, /offline_access/);
      assert.equal(
        (await exchange(codeOnly, await completeDevLogin(codeOnly.authorizationUrl))).refresh_token,
        undefined,
      );
    });
  });
});
