import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { completeDevLogin } from './complete-dev-login.js';
import { CookieJar } from './cookie-jar.js';
import {
  InMemoryOAuthClientProvider,
  type InMemoryOAuthClientProviderOptions,
} from './in-memory-oauth-client-provider.js';
import { unionScopes } from './scopes.js';

/** Options of {@link connectWithOAuth}. */
export interface ConnectWithOAuthOptions {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  mcpUrl: string | URL;
  /**
   * Scope of the first authorization (least privilege; step up later). Default: what the SDK
   * picks, i.e. the server's `WWW-Authenticate` scope or its protected resource metadata.
   */
  scope?: string;
  /** User for the development login. Default: the one the login page pre-fills. */
  user?: string;
  /** `client_name` for dynamic registration. */
  clientName?: string;
  /** Fetch used by the MCP transport and the SDK's OAuth calls, e.g. a tracing wrapper. */
  fetch?: FetchLike;
  /** Called with each authorization URL before the development login is walked. */
  onAuthorizationUrl?: (authorizationUrl: URL) => void;
  /**
   * Completes each authorization and returns its code, in place of walking the development login
   * over HTTP (`completeDevLogin`), e.g. a real browser on the sign-in page. Default: completeDevLogin.
   */
  authorize?: (authorizationUrl: URL) => Promise<string>;
  /** The redirect URI to register, e.g. a loopback listener the `authorize` function waits on. */
  redirectUrl?: string;
  /** See {@link InMemoryOAuthClientProviderOptions.withholdRefreshToken}. Default true. */
  withholdRefreshToken?: boolean;
  /**
   * See {@link InMemoryOAuthClientProviderOptions.accumulateScopes}. Default true; false behaves like a plain
   * SDK 1.x client, which asks on a step-up for exactly the scopes the challenge names.
   */
  accumulateScopes?: boolean;
  /** The MCP client's name and version. Default `nest-mcp-auth-demo` / `0.1.0`. */
  clientInfo?: { name: string; version: string };
}

/** A connected MCP client and the pieces that authorized it. */
export interface OAuthConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  provider: InMemoryOAuthClientProvider;
  mcpUrl: URL;
  /** The fetch the transport uses (undefined: the global one); `stepUp` uses it too. */
  fetch?: FetchLike;
  /** Closes the MCP client (and its transport). */
  close(): Promise<void>;
}

/**
 * Connects an MCP client through the real OAuth flow, driven by the official SDK:
 * connect → 401 → protected resource metadata (RFC 9728) → authorization server metadata
 * (RFC 8414) → dynamic client registration → authorization code + PKCE + `resource` (RFC 8707),
 * with the development login completed over HTTP → `transport.finishAuth(code)` → reconnect.
 *
 * Meant for the development authorization server (its login page is walked automatically).
 */
export async function connectWithOAuth(options: ConnectWithOAuthOptions): Promise<OAuthConnection> {
  const mcpUrl = new URL(options.mcpUrl);
  // One jar for the whole connection, like one browser: a later step-up reuses the AS session.
  const cookieJar = new CookieJar();
  const provider = new InMemoryOAuthClientProvider({
    clientName: options.clientName,
    initialScope: options.scope,
    redirectUrl: options.redirectUrl,
    withholdRefreshToken: options.withholdRefreshToken,
    accumulateScopes: options.accumulateScopes,
    authorize: async (authorizationUrl) => {
      options.onAuthorizationUrl?.(authorizationUrl);
      if (options.authorize) return options.authorize(authorizationUrl);
      return completeDevLogin(authorizationUrl, { cookieJar, user: options.user });
    },
  });
  const clientInfo = options.clientInfo ?? { name: 'nest-mcp-auth-demo', version: '0.1.0' };
  const open = () => new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider, fetch: options.fetch });

  const firstTransport = open();
  const firstClient = new Client(clientInfo);
  try {
    await firstClient.connect(firstTransport);
    // Already authorized (e.g. the server does not require a token): nothing more to do.
    return connection(firstClient, firstTransport, provider, mcpUrl, options.fetch);
  } catch (error) {
    await firstClient.close().catch(() => undefined);
    if (!(error instanceof UnauthorizedError)) throw error;
  }

  // The SDK ran discovery, registration and the authorization request, then reported REDIRECT.
  const code = provider.takeAuthorizationCode();
  if (!code) throw new Error('connectWithOAuth: the authorization did not produce a code');
  await firstTransport.finishAuth(code);

  // A transport cannot be restarted after a failed connect, so reconnect with a fresh one.
  const transport = open();
  const client = new Client(clientInfo);
  await client.connect(transport);
  return connection(client, transport, provider, mcpUrl, options.fetch);
}

/**
 * Runs an MCP call and completes a re-authorization the SDK started on the way.
 *
 * On a 403 `insufficient_scope` the SDK's transport re-runs `auth()` with the challenged scope;
 * the provider then completes the authorization at once (accumulating scopes), but the SDK can
 * only report `REDIRECT`, so the call fails with `UnauthorizedError`. This exchanges the code
 * the provider obtained (`transport.finishAuth`) and retries the call once.
 */
export async function withStepUp<T>(connection: OAuthConnection, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    const code = connection.provider.takeAuthorizationCode();
    if (!code) throw error;
    await connection.transport.finishAuth(code);
    return call();
  }
}

/**
 * Re-authorizes ahead of time for more scopes (kept together with the ones already granted),
 * e.g. before a batch of calls known to need them.
 */
export async function stepUp(connection: OAuthConnection, scopes: string | readonly string[]): Promise<void> {
  const { provider, transport, mcpUrl, fetch: fetchFn } = connection;
  const scope = unionScopes(provider.grantedScopes, typeof scopes === 'string' ? scopes : [...scopes]);
  const result = await auth(provider, { serverUrl: mcpUrl, scope, fetchFn });
  if (result === 'AUTHORIZED') return;
  const code = provider.takeAuthorizationCode();
  if (!code) throw new UnauthorizedError('stepUp: the authorization did not produce a code');
  await transport.finishAuth(code);
}

function connection(
  client: Client,
  transport: StreamableHTTPClientTransport,
  provider: InMemoryOAuthClientProvider,
  mcpUrl: URL,
  fetch: FetchLike | undefined,
): OAuthConnection {
  return { client, transport, provider, mcpUrl, fetch, close: () => client.close() };
}
