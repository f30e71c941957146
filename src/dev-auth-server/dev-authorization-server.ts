import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DEV_USERS } from './accounts.js';
import { OIDC_SCOPE_DESCRIPTIONS } from './consent.js';
import { handleDevInteraction, type DevLoginContext } from './dev-login.js';
import { loadOidcProvider, withoutDevNotices } from './load-oidc-provider.js';
import { buildProviderConfiguration, errorPage } from './provider-config.js';
import { generateSigningJwks } from './signing-key.js';
import type { DevAuthorizationServer, DevAuthorizationServerOptions, DevResource } from './types.js';

const DEFAULT_PORT = 4000;
const LOOPBACK = '127.0.0.1';
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;

/**
 * Starts the embedded development OAuth 2.1 authorization server (oidc-provider) on 127.0.0.1.
 *
 * It offers what an MCP client needs: RFC 8414 and OpenID discovery, open dynamic client
 * registration, authorization code + PKCE (S256, required) with a development sign-in and consent
 * page (one checkbox per scope), refresh tokens for clients granted `offline_access`, and RFC 8707
 * resource indicators. Access tokens are RS256 JWTs (`typ: at+jwt`, RFC 9068) whose `aud` is the
 * requested resource and whose `scope` holds only scopes that resource allows. A request without
 * `resource` gets the first configured resource, unless `requireResourceIndicator` is set, in
 * which case it is refused with `invalid_target`.
 *
 * Development only: state lives in memory, the signing key is generated at start, and no
 * password is checked. Nothing it logs contains a token.
 */
export async function startDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  const resources = validateResources(options.resources);
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) throw new Error('The development authorization server only listens on 127.0.0.1');
  const users = options.users?.length ? options.users : DEFAULT_DEV_USERS;

  // Listen first: with port 0 the issuer URL (which embeds the port) is only known afterwards.
  // Until oidc-provider is ready, requests get a 503 rather than hanging.
  let handle = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '1' });
    res.end(errorPage('temporarily_unavailable', 'Starting up.'));
  };
  const server = createServer((req, res) => handle(req, res));
  await listen(server, options.port ?? DEFAULT_PORT, host);
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${LOOPBACK}:${port}`;

  try {
    const [{ Provider, errors, interactionPolicy }, jwks] = await Promise.all([
      loadOidcProvider(),
      generateSigningJwks(),
    ]);
    const configuration = buildProviderConfiguration({
      resources,
      users,
      jwks,
      // Random per run: interaction and session cookies are signed, nothing outlives a restart.
      cookieKeys: [randomBytes(32).toString('base64url')],
      enableClientCredentials: options.enableClientCredentials ?? false,
      enableIntrospection: options.enableIntrospection ?? false,
      staticClients: options.staticClients ?? [],
      requireResourceIndicator: options.requireResourceIndicator ?? false,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      InvalidTarget: errors.InvalidTarget,
      interactionPolicy,
    });
    const provider = await withoutDevNotices(() => new Provider(issuer, configuration));
    provider.on('server_error', (_ctx: unknown, error: unknown) => {
      // The message only: request details could carry credentials.
      console.error(`[dev-auth-server] server error: ${error instanceof Error ? error.message : 'unknown'}`);
    });

    const loginContext: DevLoginContext = {
      provider,
      users,
      resources: new Map(resources.map((resource) => [resource.resource, resource])),
    };
    const providerListener = provider.callback();
    handle = (req, res) => {
      route(req, res, providerListener, loginContext).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(errorPage('server_error', 'Unexpected error.'));
      });
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  return { issuer, close: () => closeServer(server) };
}

/** Sends each request to our routes (RFC 8414 alias, login page) or to oidc-provider. */
async function route(
  req: IncomingMessage,
  res: ServerResponse,
  providerListener: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  loginContext: DevLoginContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname === '/.well-known/oauth-authorization-server') {
    // MCP clients try RFC 8414 first; oidc-provider only serves OpenID discovery, whose document
    // is a valid RFC 8414 metadata document for an issuer without a path. Same answer, both URLs.
    req.url = `/.well-known/openid-configuration${url.search}`;
    return providerListener(req, res);
  }
  const interaction = INTERACTION_PATH.exec(url.pathname);
  if (interaction) return handleDevInteraction(req, res, interaction[1]!, loginContext);
  return providerListener(req, res);
}

function validateResources(resources: readonly DevResource[]): DevResource[] {
  if (!Array.isArray(resources) || resources.length === 0) {
    throw new Error('startDevAuthorizationServer: at least one resource is required');
  }
  const seen = new Set<string>();
  for (const { resource, scopes, scopeDescriptions = {} } of resources) {
    if (!URL.canParse(resource) || resource.includes('#')) {
      throw new Error(`startDevAuthorizationServer: resource must be an absolute URI without fragment: ${resource}`);
    }
    if (seen.has(resource)) throw new Error(`startDevAuthorizationServer: duplicate resource ${resource}`);
    seen.add(resource);
    if (!Array.isArray(scopes) || scopes.some((scope) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))) {
      throw new Error(`startDevAuthorizationServer: invalid scope list for ${resource}`);
    }
    const oidcScope = scopes.find((scope) => Object.hasOwn(OIDC_SCOPE_DESCRIPTIONS, scope));
    if (oidcScope) {
      throw new Error(
        `startDevAuthorizationServer: "${oidcScope}" is an OpenID scope of the server, not of ${resource}`,
      );
    }
    const stray = Object.keys(scopeDescriptions).find((scope) => !scopes.includes(scope));
    if (stray) throw new Error(`startDevAuthorizationServer: "${stray}" is described but not a scope of ${resource}`);
  }
  return resources.map((resource) => ({
    ...resource,
    scopes: [...resource.scopes],
    scopeDescriptions: { ...resource.scopeDescriptions },
  }));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections (Node's fetch keeps them) would otherwise hold close() open.
    server.closeAllConnections();
  });
}
