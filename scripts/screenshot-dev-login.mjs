// Regenerates docs/dev-sign-in.png, the README's picture of the development sign-in page:
// `npm run screenshot` (builds first). It starts the development authorization server with the
// example's resource and scopes, builds the authorization request an MCP client would (dynamic
// registration, PKCE, resource, offline_access), opens it in Debian's chromium (CHROMIUM_PATH to
// override), unchecks notes:admin as someone trying a step-up would, and saves the page.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  discoverAuthorizationServerMetadata,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { startDevAuthorizationServer } from '../dist/src/dev-auth-server/index.js';
import { RESOURCE_NAME, SCOPE_DESCRIPTIONS, SCOPES } from '../dist/src/example-config.js';
import { findSystemChromium, launchChromium } from '../dist/test/support/system-chromium.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'docs', 'dev-sign-in.png');
const resource = 'http://127.0.0.1:3000/mcp';
const redirectUrl = 'http://127.0.0.1:6274/oauth/callback';

const system = findSystemChromium();
if (system.missing) throw new Error(system.missing);
const browser = await launchChromium(system.executablePath);
const server = await startDevAuthorizationServer({
  port: 0,
  resources: [{ resource, scopes: SCOPES, name: RESOURCE_NAME, scopeDescriptions: SCOPE_DESCRIPTIONS }],
});
try {
  const metadata = await discoverAuthorizationServerMetadata(server.issuer);
  const clientInformation = await registerClient(server.issuer, {
    metadata,
    clientMetadata: {
      client_name: 'Your MCP client',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  });
  const { authorizationUrl } = await startAuthorization(server.issuer, {
    metadata,
    clientInformation,
    redirectUrl,
    scope: [...SCOPES, 'offline_access'].join(' '),
    state: 'screenshot',
    resource: new URL(resource),
  });
  const page = await browser.newPage({ viewport: { width: 640, height: 900 }, colorScheme: 'light' });
  await page.goto(authorizationUrl.href);
  await page.locator('input[name="scope"][value="notes:admin"]').uncheck();
  mkdirSync(dirname(output), { recursive: true });
  // The card and a margin around it, not the empty viewport below.
  const box = await page.locator('main').boundingBox();
  const margin = 24;
  await page.screenshot({
    path: output,
    clip: { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin },
  });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await server.close();
}
