import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { Browser } from 'playwright-core';
import { connectWithOAuth, createTracingFetch, type HttpExchange, withStepUp } from '../src/oauth-flow/index.js';
import {
  codeFrom,
  type ConsentSeen,
  type ConsentStep,
  consentInBrowser,
  startRedirectListener,
} from './support/browser-consent.js';
import { type ExampleProcess, startExampleProcess } from './support/example-process.js';
import { toolText } from './support/mcp-client.js';
import { findSystemChromium, launchChromium, systemDepsRequired } from './support/system-chromium.js';

const chromium = findSystemChromium();
// Without the browser these tests skip and say why; in CI (NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS=1) they fail instead.
const skip = chromium.missing !== undefined && !systemDepsRequired() ? chromium.missing : false;
function requireChromium(): void {
  if (chromium.missing !== undefined)
    assert.fail(`${chromium.missing} (required: NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS=1)`);
}

describe('npm start: the development sign-in page in a real browser (Debian chromium)', () => {
  let example: ExampleProcess;
  let browser: Browser;
  let listener: Awaited<ReturnType<typeof startRedirectListener>>;

  before(async () => {
    if (chromium.missing !== undefined) return;
    [example, browser, listener] = await Promise.all([
      startExampleProcess(),
      launchChromium(chromium.executablePath),
      startRedirectListener(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await listener?.close();
    await example?.stop();
  });

  it(
    'unchecking a scope grants less: the SDK client gets 403 insufficient_scope, consents again, and succeeds',
    { skip },
    async () => {
      requireChromium();
      const context = await browser.newContext();
      const page = await context.newPage();
      // A blocked inline style (wrong CSP hash) or any script error shows up here.
      const consoleErrors: string[] = [];
      page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
      const steps: ConsentStep[] = [
        { user: 'Demo User', uncheck: ['notes:write'], decision: 'allow' },
        { decision: 'allow' },
      ];
      const seen: ConsentSeen[] = [];
      const exchanges: HttpExchange[] = [];
      const connection = await connectWithOAuth({
        mcpUrl: example.mcpUrl,
        clientName: 'Browser test client',
        redirectUrl: listener.redirectUri,
        fetch: createTracingFetch((exchange) => void exchanges.push(exchange)),
        authorize: async (authorizationUrl) => {
          const step = steps.shift();
          if (!step) throw new Error(`unexpected authorization request: ${authorizationUrl}`);
          const result = await consentInBrowser(page, authorizationUrl, listener.redirectUri, step);
          seen.push(result);
          return codeFrom(result.callback, authorizationUrl);
        },
      });
      try {
        // The request a spec-following client builds: every scope of the metadata, PKCE, resource.
        const [first] = connection.provider.authorizationUrls;
        assert.equal(first!.searchParams.get('resource'), example.mcpUrl);
        assert.equal(first!.searchParams.get('code_challenge_method'), 'S256');
        assert.equal(first!.searchParams.get('scope'), 'notes:read notes:write notes:admin');
        const signIn = seen[0]!;
        assert.equal(signIn.heading, 'Sign in and allow access');
        assert.equal(signIn.allowLabel, 'Sign in and allow');
        assert.ok(signIn.askedForUser);
        assert.deepEqual(signIn.offered, ['notes:read', 'notes:write', 'notes:admin']);
        assert.deepEqual(signIn.preChecked, signIn.offered);
        assert.deepEqual(signIn.willBeGranted, ['notes:read', 'notes:admin'], 'the list follows the unchecked box');
        // The code exchange ran: the token has what was left checked, for the user typed by name.
        assert.deepEqual([...connection.provider.grantedScopes].sort(), ['notes:admin', 'notes:read']);
        assert.equal(toolText(await connection.client.callTool({ name: 'whoami', arguments: {} })), 'demo');

        const before403 = exchanges.length;
        const added = await withStepUp(connection, () =>
          connection.client.callTool({ name: 'add_note', arguments: { text: 'after re-consent' } }),
        );
        const challenge = exchanges.slice(before403).find((exchange) => exchange.status === 403);
        assert.ok(challenge, 'add_note answered 403 first');
        const header = challenge.headers.get('www-authenticate') ?? '';
        assert.match(header, /^Bearer error="insufficient_scope"/);
        assert.match(/scope="([^"]*)"/.exec(header)?.[1] ?? '', /(^| )notes:write( |$)/);

        const consent = seen[1]!;
        assert.equal(consent.heading, 'Allow access?');
        assert.equal(consent.allowLabel, 'Allow', 'signed in already: consent only');
        assert.ok(!consent.askedForUser);
        assert.ok(consent.offered.includes('notes:write'), 'the declined scope is asked for again');
        assert.match(toolText(added), /^Added note #\d+$/);
        assert.ok(connection.provider.grantedScopes.includes('notes:write'));
        assert.deepEqual(steps, [], 'both pages were shown');
        assert.deepEqual(consoleErrors, []);
      } finally {
        await connection.close();
        await context.close();
      }
    },
  );

  it('Deny sends the client error=access_denied with its state', { skip }, async () => {
    requireChromium();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const resourceMetadata = await discoverOAuthProtectedResourceMetadata(example.mcpUrl);
      const issuer = resourceMetadata.authorization_servers![0]!;
      const metadata = await discoverAuthorizationServerMetadata(issuer);
      const client = await registerClient(issuer, {
        metadata,
        clientMetadata: {
          client_name: 'Browser test client',
          redirect_uris: [listener.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
      });
      const { authorizationUrl } = await startAuthorization(issuer, {
        metadata,
        clientInformation: client,
        redirectUrl: listener.redirectUri,
        scope: 'notes:read',
        state: 'deny-state',
        resource: new URL(example.mcpUrl),
      });
      // An empty user field must not stop a Deny.
      const seen = await consentInBrowser(page, authorizationUrl, listener.redirectUri, { user: '', decision: 'deny' });
      assert.equal(`${seen.callback.origin}${seen.callback.pathname}`, listener.redirectUri);
      assert.equal(seen.callback.searchParams.get('error'), 'access_denied');
      assert.equal(seen.callback.searchParams.get('state'), 'deny-state');
      assert.equal(seen.callback.searchParams.get('code'), null);
    } finally {
      await context.close();
    }
  });
});
