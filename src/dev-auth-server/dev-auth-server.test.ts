import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { completeDevLogin, CookieJar, DevLoginError } from '../oauth-flow/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from './index.js';

const NOTES = 'http://127.0.0.1:3000/mcp';
const OTHER = 'http://127.0.0.1:3999/other';
const REDIRECT = 'http://127.0.0.1:8976/callback';
const SERVICE = { id: 'test-service', secret: 'test-service-secret-that-is-long-enough-0123456789' };

/** POSTs a client_credentials token request with the static confidential client. */
async function clientCredentials(issuer: string, params: Record<string, string>) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${SERVICE.id}:${SERVICE.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function startServer(extra: { requireResourceIndicator?: boolean } = {}) {
  return startDevAuthorizationServer({
    port: 0,
    resources: [
      { resource: NOTES, scopes: ['notes:read', 'notes:write', 'notes:admin'] },
      { resource: OTHER, scopes: ['other:read'] },
    ],
    enableClientCredentials: true,
    staticClients: [
      {
        client_id: SERVICE.id,
        client_secret: SERVICE.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    ...extra,
  });
}

describe('development authorization server', () => {
  let as: DevAuthorizationServer;
  let metadata: AuthorizationServerMetadata;
  let jwks: JWTVerifyGetKey;

  before(async () => {
    as = await startServer();
    const discovered = await discoverAuthorizationServerMetadata(as.issuer);
    assert.ok(discovered, 'metadata discovered');
    metadata = discovered;
    jwks = createRemoteJWKSet(new URL(String(metadata.jwks_uri)));
  });
  after(() => as.close());

  const register = (clientName = 'test client') =>
    registerClient(as.issuer, {
      metadata,
      clientMetadata: {
        client_name: clientName,
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      // MCP clients register with the scope they are about to request; it must be accepted.
      scope: 'notes:read',
    });

  /** Authorization code + PKCE through the development login, as an MCP client does it. */
  async function authorize(client: OAuthClientInformationFull, scope: string, resource = NOTES, jar?: CookieJar) {
    const { authorizationUrl, codeVerifier } = await startAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      redirectUrl: REDIRECT,
      scope,
      state: 'state-123',
      resource: new URL(resource),
    });
    const code = await completeDevLogin(authorizationUrl, { cookieJar: jar });
    return exchangeAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      authorizationCode: code,
      codeVerifier,
      redirectUri: REDIRECT,
      resource: new URL(resource),
    });
  }

  /** A freshly registered client and its authorization URL for `notes:read` on the notes resource. */
  async function startNotesReadAuthorization() {
    const client = await register();
    const { authorizationUrl, codeVerifier } = await startAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      redirectUrl: REDIRECT,
      scope: 'notes:read',
      resource: new URL(NOTES),
    });
    return { client, authorizationUrl, codeVerifier };
  }

  it('serves the same metadata at the RFC 8414 and OpenID discovery URLs', async () => {
    assert.doesNotMatch(as.issuer, /\/$/);
    assert.match(as.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    const [oauth, oidc] = await Promise.all(
      ['oauth-authorization-server', 'openid-configuration'].map(async (name) => {
        const response = await fetch(`${as.issuer}/.well-known/${name}`);
        assert.equal(response.status, 200);
        return response.json() as Promise<Record<string, unknown>>;
      }),
    );
    assert.deepEqual(oauth, oidc);
    assert.equal(oauth!.issuer, as.issuer);
    assert.equal(oauth!.jwks_uri, `${as.issuer}/jwks`);
    assert.ok(oauth!.registration_endpoint);
    assert.deepEqual(oauth!.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(oauth!.response_types_supported, ['code']);
    assert.ok((oauth!.grant_types_supported as string[]).includes('client_credentials'));
  });

  it('accepts open dynamic registration of a public client', async () => {
    const client = await register();
    assert.ok(client.client_id);
    assert.equal(client.client_secret, undefined);
    assert.equal(client.token_endpoint_auth_method, 'none');
  });

  it('issues an RS256 at+jwt for the resource through authorization code + PKCE', async () => {
    const client = await register();
    const tokens = await authorize(client, 'notes:read notes:write');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.scope, 'notes:read notes:write');
    assert.equal(tokens.refresh_token, undefined, 'no refresh token without offline_access');
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: as.issuer,
      audience: NOTES,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.aud, NOTES);
    assert.equal(payload.iss, as.issuer);
    assert.equal(payload.sub, 'demo');
    assert.equal(payload.client_id, client.client_id);
    assert.equal(payload.scope, 'notes:read notes:write');
    assert.ok(typeof payload.exp === 'number' && payload.exp > Date.now() / 1000);
  });

  it('refreshes into a JWT for the same resource and scopes', async () => {
    const client = await register();
    // The SDK adds prompt=consent to a request for offline_access, as OpenID Connect requires.
    const tokens = await authorize(client, 'notes:read offline_access');
    assert.ok(tokens.refresh_token, 'refresh token issued for offline_access');
    const refreshed = await refreshAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      refreshToken: tokens.refresh_token!,
      resource: new URL(NOTES),
    });
    const { payload } = await jwtVerify(refreshed.access_token, jwks, { issuer: as.issuer, audience: NOTES });
    assert.equal(payload.scope, 'notes:read');
  });

  it('never grants a scope outside the resource list', async () => {
    const client = await register();
    const tokens = await authorize(client, 'notes:read other:read made:up');
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: as.issuer, audience: NOTES });
    assert.equal(payload.scope, 'notes:read');
    assert.equal(tokens.scope, 'notes:read');
  });

  it('extends the grant on a second authorization in the same session (step-up)', async () => {
    const client = await register();
    const jar = new CookieJar();
    const first = await authorize(client, 'notes:read', NOTES, jar);
    assert.equal(first.scope, 'notes:read');
    const second = await authorize(client, 'notes:read notes:admin', NOTES, jar);
    const { payload } = await jwtVerify(second.access_token, jwks, { issuer: as.issuer, audience: NOTES });
    assert.equal(payload.scope, 'notes:read notes:admin');
  });

  it('requires PKCE', async () => {
    const client = await register();
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      scope: 'notes:read',
      resource: NOTES,
    }).toString();
    await assert.rejects(completeDevLogin(url), (error: unknown) => {
      assert.ok(error instanceof DevLoginError);
      assert.equal(error.error, 'invalid_request');
      assert.match(error.message, /PKCE/);
      return true;
    });
  });

  it('rejects a code exchanged with the wrong PKCE verifier', async () => {
    const { client, authorizationUrl } = await startNotesReadAuthorization();
    const code = await completeDevLogin(authorizationUrl);
    await assert.rejects(
      exchangeAuthorization(as.issuer, {
        metadata,
        clientInformation: client,
        authorizationCode: code,
        codeVerifier: 'x'.repeat(64),
        redirectUri: REDIRECT,
        resource: new URL(NOTES),
      }),
      /PKCE|grant/i,
    );
  });

  it('issues JWTs to client_credentials clients for the requested resource', async () => {
    const { status, body } = await clientCredentials(as.issuer, { resource: OTHER, scope: 'other:read notes:read' });
    assert.equal(status, 200);
    const { payload, protectedHeader } = await jwtVerify(body.access_token!, jwks, {
      issuer: as.issuer,
      audience: OTHER,
      typ: 'at+jwt',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.scope, 'other:read', 'notes:read belongs to another resource');
    assert.equal(payload.sub, SERVICE.id);
    assert.equal(payload.client_id, SERVICE.id);
  });

  it('defaults to the first resource when the request names none', async () => {
    const { status, body } = await clientCredentials(as.issuer, { scope: 'notes:write' });
    assert.equal(status, 200);
    const { payload } = await jwtVerify(body.access_token!, jwks, { issuer: as.issuer, audience: NOTES });
    assert.equal(payload.scope, 'notes:write');
  });

  it('refuses an unknown resource', async () => {
    const { status, body } = await clientCredentials(as.issuer, { resource: 'http://127.0.0.1:1/nope', scope: 'x' });
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_target');
  });

  it('escapes the login page and lets the user deny', async () => {
    const client = await register('<script>alert("x")</script>');
    const { authorizationUrl } = await startAuthorization(as.issuer, {
      metadata,
      clientInformation: client,
      redirectUrl: REDIRECT,
      scope: 'notes:read',
      resource: new URL(NOTES),
    });
    const jar = new CookieJar();
    const toLogin = await fetch(authorizationUrl, { redirect: 'manual' });
    jar.store(authorizationUrl, toLogin);
    const loginUrl = new URL(toLogin.headers.get('location')!, authorizationUrl);
    assert.match(loginUrl.pathname, /^\/interaction\//);

    const page = await fetch(loginUrl, { headers: { Cookie: jar.header(loginUrl)! } });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.ok(!html.includes('<script>'), 'client name is escaped');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(html.includes('value="demo"'), 'demo user pre-filled');

    const denied = await fetch(loginUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: jar.header(loginUrl)!, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'login=demo&decision=deny',
    });
    assert.equal(denied.status, 303);
    jar.store(loginUrl, denied);
    const resumeUrl = new URL(denied.headers.get('location')!, loginUrl);
    const final = await fetch(resumeUrl, { redirect: 'manual', headers: { Cookie: jar.header(resumeUrl)! } });
    const callback = new URL(final.headers.get('location')!);
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
  });

  it('rejects an unknown user on the login page', async () => {
    const { authorizationUrl } = await startNotesReadAuthorization();
    await assert.rejects(completeDevLogin(authorizationUrl, { user: 'mallory' }), /400.*Unknown user/);
  });
});

describe('development authorization server with requireResourceIndicator', () => {
  let as: DevAuthorizationServer;
  before(async () => {
    as = await startServer({ requireResourceIndicator: true });
  });
  after(() => as.close());

  it('refuses a token request without a resource', async () => {
    const { status, body } = await clientCredentials(as.issuer, { scope: 'notes:read' });
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_target');
  });

  it('still serves a request naming the resource', async () => {
    const { status, body } = await clientCredentials(as.issuer, { resource: NOTES, scope: 'notes:read' });
    assert.equal(status, 200);
    assert.equal(body.scope, 'notes:read');
  });
});
