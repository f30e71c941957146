import { randomBytes } from 'node:crypto';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { protectedResourceMetadataUrl } from '../metadata/protected-resource-metadata.js';
import { resolveScopeHierarchy } from './scope-hierarchy.js';
import { isScopeToken } from './scope-syntax.js';
import { resourcePathOf, trimTrailingSlashes } from './url-path.js';
import type {
  AuthorizationServerOptions,
  McpAuthModuleOptions,
  ProtectedResourceOptions,
} from './mcp-auth-options.interface.js';
import {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_DPOP_ALGORITHMS,
  type ResolvedDpopOptions,
  type ResolvedAuthorizationServer,
  type ResolvedMcpAuthOptions,
  type ResolvedResource,
} from './resolved-options.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The one place where defaults are computed and raw options validated.
 * Everything else injects the result (`MCP_AUTH_RESOLVED_OPTIONS`).
 *
 * @throws McpAuthConfigurationError naming the offending value.
 */
export function resolveOptions(options: McpAuthModuleOptions): ResolvedMcpAuthOptions {
  if (!options || !Array.isArray(options.resources) || options.resources.length === 0) {
    fail('`resources` must list at least one protected resource');
  }
  const resources = options.resources.map(resolveResource);
  const metadataPaths = new Set<string>();
  for (const { metadataPath, resource } of resources) {
    if (metadataPaths.has(metadataPath))
      fail(`Two resources share the metadata URL path ${metadataPath} (${resource})`);
    metadataPaths.add(metadataPath);
  }

  const algorithms = asymmetric('algorithms', options.algorithms ?? [...ASYMMETRIC_ALGORITHMS]);
  const dpop = resolveDpop(options.dpop);
  for (const resource of resources) {
    if (resource.dpopRequired && !dpop.enabled)
      fail(`Resource "${resource.resource}" requires DPoP, but dpop.enabled is false`);
  }

  const mcp = options.mcp ?? {};
  const path = mcp.path ?? '/mcp';
  if (!/^\/[A-Za-z0-9\-._~/]*$/.test(path)) fail(`\`mcp.path\` must be an absolute URL path, got "${path}"`);

  return {
    resources,
    algorithms,
    clockToleranceSeconds: nonNegative('clockToleranceSeconds', options.clockToleranceSeconds ?? 5),
    requireAccessTokenType: options.requireAccessTokenType ?? false,
    scopeClaim: options.scopeClaim,
    maxTokenLength: count('maxTokenLength', options.maxTokenLength ?? 8192),
    discovery: {
      mode: options.discovery?.mode ?? 'eager',
      timeoutMs: positive('discovery.timeoutMs', options.discovery?.timeoutMs ?? 5000),
      retryAfterMs: nonNegative('discovery.retryAfterMs', options.discovery?.retryAfterMs ?? 10_000),
    },
    jwks: {
      timeoutMs: positive('jwks.timeoutMs', options.jwks?.timeoutMs ?? 5000),
      cooldownMs: nonNegative('jwks.cooldownMs', options.jwks?.cooldownMs ?? 1000),
      maxAgeMs: positive('jwks.maxAgeMs', options.jwks?.maxAgeMs ?? 600_000),
    },
    tokenCache: {
      ttlMs: nonNegative('tokenCache.ttlMs', options.tokenCache?.ttlMs ?? 60_000),
      maxEntries: count('tokenCache.maxEntries', options.tokenCache?.maxEntries ?? 10_000),
    },
    dpop,
    challengeScopes: oneOf('challengeScopes', options.challengeScopes ?? 'by-protocol-version', [
      'by-protocol-version',
      'required',
      'required-and-granted',
    ]),
    mcp: {
      enabled: mcp.enabled ?? true,
      path: trimTrailingSlashes(path),
      mode: mcp.mode ?? 'stateless',
      serverInfo: mcp.serverInfo ?? { name: 'nest-mcp-auth', version: '0.1.0' },
      instructions: mcp.instructions,
      // The resources' own origins are always allowed (a page served by this app calling its own endpoint).
      allowedOrigins: [
        ...new Set([...(mcp.allowedOrigins ?? []), ...resources.map(({ resource }) => resource)].map(originOf)),
      ],
      allowedHosts: mcp.allowedHosts?.map(hostName),
      // `hideUnauthorizedTools` is the deprecated name; the new one wins when both are set.
      hideUnauthorized: mcp.hideUnauthorized ?? mcp.hideUnauthorizedTools ?? false,
      sessionIdleTimeoutMs: positive('mcp.sessionIdleTimeoutMs', mcp.sessionIdleTimeoutMs ?? 30 * 60_000),
      maxSessions: count('mcp.maxSessions', mcp.maxSessions ?? 10_000),
      maxSessionsPerSubject: count('mcp.maxSessionsPerSubject', mcp.maxSessionsPerSubject ?? 16),
      authenticationDisabled: mcp.dangerouslyDisableAuthentication ?? false,
    },
  };
}

function resolveResource(options: ProtectedResourceOptions): ResolvedResource {
  const url = parseServerUrl('resource', options?.resource);
  if (url.search) fail(`Resource "${options.resource}" must not have a query (RFC 8707 §2)`);
  if (!Array.isArray(options.authorizationServers) || options.authorizationServers.length === 0) {
    fail(`Resource "${options.resource}" needs at least one authorization server`);
  }
  const authorizationServers = options.authorizationServers.map(resolveAuthorizationServer);
  const issuers = new Set<string>();
  for (const { issuer } of authorizationServers) {
    if (issuers.has(issuer)) fail(`Issuer "${issuer}" is listed twice for resource "${options.resource}"`);
    issuers.add(issuer);
  }
  // An opaque token says nothing about who issued it, so it may go to one verifier only:
  // sending it to several would hand it to servers that did not issue it.
  const opaqueCapable = authorizationServers.filter((server) => server.verifier !== 'jwt');
  if (opaqueCapable.length > 1) {
    fail(
      `Resource "${options.resource}" has ${opaqueCapable.length} authorization servers with introspection or custom ` +
        'verifiers; at most one can receive opaque tokens',
    );
  }
  const scopesSupported = validScopes(`scopesSupported of "${options.resource}"`, options.scopesSupported ?? []);
  const audience = options.dangerouslyAcceptAnyAudience
    ? undefined
    : options.audience === undefined
      ? [options.resource]
      : [options.audience].flat();
  if (audience && audience.length === 0) fail(`\`audience\` of "${options.resource}" must not be empty`);
  const metadataUrl = protectedResourceMetadataUrl(options.resource);
  return {
    resource: options.resource,
    resourcePath: resourcePathOf(url),
    metadataUrl,
    metadataPath: new URL(metadataUrl).pathname,
    authorizationServers,
    scopesSupported,
    requiredScopes: Object.freeze(validScopes(`requiredScopes of "${options.resource}"`, options.requiredScopes ?? [])),
    resourceName: options.resourceName,
    resourceDocumentation: options.resourceDocumentation,
    metadataExtras: { ...options.metadataExtras },
    audience,
    dpopRequired: options.requireDpop ?? false,
    initialScopes: Object.freeze(validScopes(`initialScopes of "${options.resource}"`, options.initialScopes ?? [])),
    scopeHierarchy: resolveScopeHierarchy(options.scopeHierarchy, `"${options.resource}"`),
  };
}

function resolveDpop(options: McpAuthModuleOptions['dpop'] = {}): ResolvedDpopOptions {
  const nonce = options.nonce ?? {};
  const secret = nonce.secret === undefined ? randomBytes(32) : Buffer.from(nonce.secret);
  if (secret.length < 32) fail('`dpop.nonce.secret` must be at least 32 bytes');
  const replayStore = options.replayStore;
  if (replayStore !== undefined && typeof replayStore?.remember !== 'function') {
    fail('`dpop.replayStore` must have a remember(key, expiresAtMs) method');
  }
  return {
    enabled: options.enabled ?? true,
    algorithms: asymmetric('dpop.algorithms', options.algorithms ?? [...DEFAULT_DPOP_ALGORITHMS]),
    proofMaxAgeSeconds: positive('dpop.proofMaxAgeSeconds', options.proofMaxAgeSeconds ?? 60),
    replayStore,
    maxRememberedProofs: count('dpop.maxRememberedProofs', options.maxRememberedProofs ?? 100_000),
    nonce: {
      required: nonce.required ?? false,
      secret,
      lifetimeSeconds: positive('dpop.nonce.lifetimeSeconds', nonce.lifetimeSeconds ?? 60),
    },
  };
}

function asymmetric(name: string, algorithms: string[]): string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) fail(`\`${name}\` must not be empty`);
  for (const alg of algorithms) {
    if (!ASYMMETRIC_ALGORITHMS.includes(alg)) {
      fail(`Algorithm "${alg}" is not allowed: only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')})`);
    }
  }
  return [...algorithms];
}

function resolveAuthorizationServer(options: AuthorizationServerOptions): ResolvedAuthorizationServer {
  parseServerUrl('issuer', options?.issuer);
  const verifier = options.verifier ?? 'jwt';
  // Inline metadata gets the checks discovered metadata gets, here at boot.
  const { metadata } = options;
  if (metadata) {
    if (metadata.issuer !== options.issuer) {
      fail(`Inline metadata issuer "${metadata.issuer}" differs from the configured issuer "${options.issuer}"`);
    }
    if (verifier === 'jwt' && typeof metadata.jwks_uri !== 'string') {
      fail(`Inline metadata of authorization server ${options.issuer} needs a jwks_uri to verify JWTs`);
    }
    if (typeof verifier === 'object' && !verifier.endpoint && typeof metadata.introspection_endpoint !== 'string') {
      fail(
        `Authorization server ${options.issuer}: set verifier.endpoint or introspection_endpoint in its inline metadata`,
      );
    }
  }
  if (typeof verifier === 'object') {
    if (verifier.type !== 'introspection') fail(`Unknown verifier type for issuer "${options.issuer}"`);
    if (!verifier.clientId || !verifier.clientSecret) {
      fail(`Introspection for issuer "${options.issuer}" needs clientId and clientSecret`);
    }
    return {
      issuer: options.issuer,
      type: options.type ?? 'oauth',
      metadata: options.metadata,
      verifier: {
        type: 'introspection',
        endpoint: verifier.endpoint ?? '',
        clientId: verifier.clientId,
        clientSecret: verifier.clientSecret,
        clientAuthMethod: verifier.clientAuthMethod ?? 'client_secret_basic',
        cacheTtlMs: nonNegative('cacheTtlMs', verifier.cacheTtlMs ?? 60_000),
        inactiveCacheTtlMs: nonNegative('inactiveCacheTtlMs', verifier.inactiveCacheTtlMs ?? 5000),
        cacheMaxEntries: count('cacheMaxEntries', verifier.cacheMaxEntries ?? 10_000),
        maxConcurrentRequests: count('maxConcurrentRequests', verifier.maxConcurrentRequests ?? 16),
      },
    };
  }
  if (verifier !== 'jwt' && typeof verifier !== 'function') fail(`Unknown verifier for issuer "${options.issuer}"`);
  return { issuer: options.issuer, type: options.type ?? 'oauth', metadata: options.metadata, verifier };
}

/** https everywhere, plain http only on loopback (OAuth 2.1 §1.5). */
function parseServerUrl(name: string, value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return fail(`\`${name}\` must be an absolute URL, got "${String(value)}"`);
  }
  if (url.hash || String(value).includes('#')) fail(`\`${name}\` "${String(value)}" must not have a fragment`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure) fail(`\`${name}\` "${String(value)}" must use https (plain http is allowed on loopback only)`);
  return url;
}

function validScopes(name: string, scopes: string[]): string[] {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) fail(`${name}: "${String(scope)}" is not a valid scope`);
    if (scope === 'offline_access' || scope.includes('*')) {
      fail(`${name}: "${scope}" must not be published (no offline_access, no wildcards)`);
    }
  }
  return [...new Set(scopes)];
}

function originOf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return fail(`\`mcp.allowedOrigins\`: "${value}" is not an origin such as https://app.example.com`);
  }
}

/** A host name as `Host` carries it without the port: `example.com`, `127.0.0.1`, `[::1]`. */
function hostName(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(`http://${value}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.host !== value.toLowerCase() || url.port !== '') {
    fail(`\`mcp.allowedHosts\`: "${value}" is not a host name such as mcp.example.com (no scheme, port or path)`);
  }
  return url.hostname;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) fail(`\`${name}\` must be one of ${allowed.join(', ')}, got "${value}"`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) fail(`\`${name}\` must be a positive number, got ${value}`);
  return value;
}

/** A number of things (entries, sessions, characters): a positive whole number, so arrays can be sized by it. */
function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) fail(`\`${name}\` must be a positive whole number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) fail(`\`${name}\` must be zero or more, got ${value}`);
  return value;
}

function fail(message: string): never {
  throw new McpAuthConfigurationError(message);
}
