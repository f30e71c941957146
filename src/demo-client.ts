/**
 * Demo MCP client (`npm run client`): walks the real OAuth flow against the running example server
 * and prints each step. Start the example server first (`npm start`); point elsewhere with
 * `MCP_URL=http://127.0.0.1:3000/mcp`.
 *
 * It starts with only `notes:read`, so calling `add_note` (needs `notes:write`) shows the
 * 403 insufficient_scope → step-up → retry sequence. Tokens and codes are never printed: token
 * responses are summarised by scope, lifetime and audience.
 */
import {
  connectWithOAuth,
  createTracingFetch,
  describeOAuthExchange,
  withStepUp,
  type OAuthConnection,
} from './oauth-flow/index.js';

const MCP_URL = process.env.MCP_URL ?? 'http://127.0.0.1:3000/mcp';
const INITIAL_SCOPE = 'notes:read';

let stepNumber = 0;
function step(title: string, ...details: string[]): void {
  console.log(`\n[${++stepNumber}] ${title}`);
  for (const line of details) console.log(`    ${line}`);
}

function toolText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type}]`)).join('\n');
}

/** Narrates the SDK's OAuth traffic (the MCP traffic itself is reported by the steps below). */
const tracingFetch = createTracingFetch(async (exchange) => {
  const lines = await describeOAuthExchange(exchange);
  if (!lines) return;
  const [title = '', ...details] = lines;
  step(title, ...details.map((line) => line.trim()));
});

function describeAuthorizationRequest(url: URL): void {
  const params = url.searchParams;
  step(
    `Authorization request to ${url.origin}${url.pathname} (development login completed over HTTP)`,
    `client_id=${params.get('client_id')}  redirect_uri=${params.get('redirect_uri')}`,
    `resource=${params.get('resource')}  scope=${params.get('scope')}`,
    `PKCE code_challenge_method=${params.get('code_challenge_method')}  state=${params.has('state') ? 'yes' : 'no'}`,
  );
}

function describeToken(connection: OAuthConnection): string {
  const { grantedScopes, accessTokenExpiresAt } = connection.provider;
  const expires = accessTokenExpiresAt ? new Date(accessTokenExpiresAt).toISOString() : 'unknown';
  return `token scopes: ${grantedScopes.join(' ') || '(none)'}; expires ${expires}`;
}

async function main(): Promise<void> {
  console.log(`MCP demo client → ${MCP_URL} (initial scope: ${INITIAL_SCOPE})`);
  step('Connecting without a token; the server should answer 401 and point to its metadata');

  const connection = await connectWithOAuth({
    mcpUrl: MCP_URL,
    scope: INITIAL_SCOPE,
    fetch: tracingFetch,
    onAuthorizationUrl: describeAuthorizationRequest,
    clientInfo: { name: 'nest-mcp-auth-demo-client', version: '0.1.0' },
  });
  try {
    step('Connected and initialized', describeToken(connection));

    const { tools } = await connection.client.listTools();
    step('tools/list', ...tools.map((tool) => `${tool.name}${tool.description ? ` — ${tool.description}` : ''}`));

    const notes = await connection.client.callTool({ name: 'list_notes', arguments: {} });
    step('tools/call list_notes (needs notes:read)', toolText(notes));

    step('tools/call add_note (needs notes:write, which this token lacks): expect 403 and a step-up');
    const added = await withStepUp(connection, () =>
      connection.client.callTool({ name: 'add_note', arguments: { text: 'Hello from the demo client' } }),
    );
    step('add_note succeeded after the step-up', toolText(added), describeToken(connection));

    const after = await connection.client.callTool({ name: 'list_notes', arguments: {} });
    step('tools/call list_notes again (earlier scope kept)', toolText(after));

    const whoami = await connection.client.callTool({ name: 'whoami', arguments: {} });
    step('tools/call whoami', toolText(whoami));
  } finally {
    await connection.close();
  }
  console.log('\nDone.');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  console.error(`\nDemo client failed: ${message}${cause}`);
  if (/fetch failed|ECONNREFUSED/.test(`${message}${cause}`)) {
    console.error(`Is the example server running at ${MCP_URL}? Start it with: npm start`);
  }
  process.exitCode = 1;
});
