import type { AuthInfo } from '../auth/auth-info.interface.js';

/**
 * RFC 8414 authorization-server metadata (the fields this library reads; others are kept).
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  token_endpoint?: string;
  authorization_endpoint?: string;
  registration_endpoint?: string;
  scopes_supported?: string[];
  [field: string]: unknown;
}

/** What a custom token verifier is told about the request it verifies for. */
export interface TokenVerificationContext {
  /** The protected resource (canonical URL) the request is for. */
  resource: string;
  /** The audiences a token must carry one of. */
  audience: readonly string[];
  /** The trusted issuer this verifier belongs to. */
  issuer: string;
}

/**
 * Verifies a token your own way (an opaque-token store, a vendor SDK...).
 * Throw (anything) to reject; the caller answers 401 `invalid_token` without leaking the error.
 * The returned `audience` is still checked against the resource: return what the token was issued for.
 */
export type CustomTokenVerifier = (token: string, context: TokenVerificationContext) => Promise<AuthInfo>;

/**
 * RFC 7662 token introspection, for opaque access tokens.
 *
 * @example
 * ```ts
 * { type: 'introspection', clientId: 'mcp-server', clientSecret: process.env.INTROSPECTION_SECRET }
 * ```
 */
export interface IntrospectionVerifierOptions {
  type: 'introspection';
  /** Defaults to the discovered `introspection_endpoint`. */
  endpoint?: string;
  /** Client credentials the resource server authenticates with. */
  clientId: string;
  clientSecret: string;
  /** `client_secret_basic` (default) or `client_secret_post`. */
  clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** How long an introspection result is reused, in ms; never past the token's `exp`. Default 60 000. */
  cacheTtlMs?: number;
  /** Most results kept in the cache (least recently used go first). Default 10 000. */
  cacheMaxEntries?: number;
}

/** How tokens from one authorization server are verified. */
export type TokenVerifierOption = 'jwt' | IntrospectionVerifierOptions | CustomTokenVerifier;

/**
 * One authorization server trusted to issue tokens for a resource.
 *
 * @example
 * ```ts
 * { issuer: 'https://tenant.eu.auth0.com/', type: 'oidc' }
 * ```
 */
export interface AuthorizationServerOptions {
  /** The issuer identifier, exactly as the server puts it in `iss` (trailing slash matters). */
  issuer: string;
  /**
   * Which discovery document to try first: `oauth` (RFC 8414, default) or `oidc` (OpenID Connect Discovery).
   * Both are tried, in the order SPEC.md gives; the returned `issuer` must equal `issuer`.
   */
  type?: 'oauth' | 'oidc';
  /** Inline metadata: no discovery request is made. Its `issuer` must equal `issuer`. */
  metadata?: AuthorizationServerMetadata;
  /** `jwt` (default), token introspection, or your own function. */
  verifier?: TokenVerifierOption;
}

/** How scopes are read from a verified token. */
export type ScopeClaimOption = 'scope' | 'scp' | ((claims: Readonly<Record<string, unknown>>) => string[]);

/**
 * One protected resource: the canonical URL clients connect to and who may issue tokens for it.
 *
 * @example
 * ```ts
 * {
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: [{ issuer: 'https://auth.example.com' }],
 *   scopesSupported: ['notes:read', 'notes:write'],
 *   resourceName: 'Notes MCP server',
 * }
 * ```
 */
export interface ProtectedResourceOptions {
  /** Canonical resource URL (no fragment). Tokens must carry it in `aud` unless `audience` says otherwise. */
  resource: string;
  /** At least one trusted authorization server. */
  authorizationServers: AuthorizationServerOptions[];
  /** Published in the metadata and in the 401 challenge's `scope`. Never `offline_access`, no wildcards. */
  scopesSupported?: string[];
  /** Scopes every request to this resource needs (added to each operation's own scopes). Default none. */
  requiredScopes?: string[];
  /** Human-readable name (`resource_name`). */
  resourceName?: string;
  /** URL of human-readable documentation (`resource_documentation`). */
  resourceDocumentation?: string;
  /** Extra RFC 9728 fields to publish as they are (e.g. `resource_policy_uri`). */
  metadataExtras?: Record<string, unknown>;
  /**
   * Accepted audiences. Default: `[resource]`. Audience checking cannot be turned off here:
   * see `dangerouslyAcceptAnyAudience`.
   */
  audience?: string | string[];
  /**
   * Accept tokens whatever their audience (a token minted for another API works here too).
   * Logged as a warning at every boot. Only for authorization servers that cannot set `aud`.
   */
  dangerouslyAcceptAnyAudience?: boolean;
}

/**
 * Options of `McpAuthModule.forRoot()`.
 *
 * @example
 * ```ts
 * McpAuthModule.forRoot({
 *   resources: [{
 *     resource: 'http://localhost:3000/mcp',
 *     authorizationServers: [{ issuer: 'http://localhost:4000' }],
 *     scopesSupported: ['notes:read', 'notes:write'],
 *   }],
 * })
 * ```
 */
export interface McpAuthModuleOptions {
  /** The protected resources this server hosts; the first is the default for routes no resource path matches. */
  resources: ProtectedResourceOptions[];
  /** Allowed JWS algorithms (asymmetric only). Default: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA. */
  algorithms?: string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Require the RFC 9068 `typ: at+jwt` header. Default false (many providers do not set it). */
  requireAccessTokenType?: boolean;
  /** Where scopes come from. Default: `scope` (space-separated) and, if absent, `scp` (array or string). */
  scopeClaim?: ScopeClaimOption;
  /** Longest accepted token, in characters. Default 8192. */
  maxTokenLength?: number;
  /** Authorization-server discovery. */
  discovery?: {
    /**
     * `eager` (default): discover every issuer while the app boots and fail the boot with a clear error.
     * `lazy`: boot anyway; discover on first use and retry after `retryAfterMs` on failure.
     */
    mode?: 'eager' | 'lazy';
    /** Per-request timeout, in ms. Default 5000. */
    timeoutMs?: number;
    /** In lazy mode, how long a failure is remembered before the next try, in ms. Default 10 000. */
    retryAfterMs?: number;
  };
  /** JSON Web Key Set caching. */
  jwks?: {
    /** Fetch timeout, in ms. Default 5000. */
    timeoutMs?: number;
    /** Shortest time between two refetches (e.g. for unknown `kid`s), in ms. Default 30 000. */
    cooldownMs?: number;
    /** Age after which keys are refreshed in the background of the next request, in ms. Default 600 000. */
    maxAgeMs?: number;
  };
  /**
   * Outcomes of JWT verification, by exact token string: a reused token costs a lookup, a retried forged
   * or expired one no cryptography. Never kept past the token's `exp`.
   */
  tokenCache?: {
    /** How long an outcome is kept, in ms; 0 turns the cache off. Default 60 000. */
    ttlMs?: number;
    /** Most tokens remembered per resource. Default 10 000. */
    maxEntries?: number;
  };
  /** The MCP endpoint, serving the `@McpTool`, `@McpResource`, `@McpResourceTemplate` and `@McpPrompt` methods. */
  mcp?: McpEndpointOptions;
}

/** Options of the MCP endpoint. */
export interface McpEndpointOptions {
  /** Serve MCP at all. Default true. */
  enabled?: boolean;
  /** HTTP path. Default `/mcp`. */
  path?: string;
  /** `stateless` (default; scales horizontally, no sessions) or `stateful` (sessions bound to the token's subject). */
  mode?: 'stateless' | 'stateful';
  /** Name and version announced in `initialize`. */
  serverInfo?: { name: string; version: string; title?: string };
  /** Instructions announced in `initialize`. */
  instructions?: string;
  /**
   * Origins browsers may call from. A request with an `Origin` not in this list gets 403.
   * Requests without `Origin` (non-browser clients) are allowed. Default: none (only same-origin-less clients).
   */
  allowedOrigins?: string[];
  /**
   * Hide what the token lacks scopes for from every list (`tools/list`, `resources/list`,
   * `resources/templates/list`, `prompts/list`). Default false: clients see everything and step up on the 403
   * challenge, which is how they learn which scopes to ask for.
   */
  hideUnauthorized?: boolean;
  /** @deprecated The earlier name of `hideUnauthorized` (which now covers every list); still honoured. */
  hideUnauthorizedTools?: boolean;
  /** In stateful mode: sessions idle longer than this are closed, in ms. Default 30 minutes. */
  sessionIdleTimeoutMs?: number;
  /** In stateful mode: most concurrent sessions. Default 10 000. */
  maxSessions?: number;
  /**
   * Serve the MCP endpoint without tokens (primitives needing scopes then always refuse). For measurements and
   * local experiments only; logged as a warning at every boot. Default false.
   */
  dangerouslyDisableAuthentication?: boolean;
}
