import type { ChallengeScopes } from '../errors/challenge.js';
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
  /**
   * How long an inactive result is reused, in ms: a repeated junk token costs one introspection per period.
   * Short, so a token not yet replicated to the authorization server's introspection is not refused for
   * long. 0 turns it off. Default 5000.
   */
  inactiveCacheTtlMs?: number;
  /** Most results kept, active and inactive each (the oldest go first). Default 10 000. */
  cacheMaxEntries?: number;
  /**
   * Most introspection requests in flight at once; more wait for a free slot (at most `discovery.timeoutMs`,
   * then the token is refused as unverifiable). Default 16.
   */
  maxConcurrentRequests?: number;
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
  /**
   * Published in the metadata (`scopes_supported`); a step-up challenge repeats only granted scopes listed here.
   * Never `offline_access`, no wildcards.
   */
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
  /**
   * Accept only DPoP-bound tokens presented with a proof (RFC 9449): plain bearer tokens get 401. Published
   * as `dpop_bound_access_tokens_required`. Default false (both are accepted; bound tokens always need
   * their proof).
   */
  requireDpop?: boolean;
  /**
   * Scopes named in the 401 challenge of an operation that needs none in particular (e.g. `initialize`), so
   * that clients ask for a small set at first sign-in and step up when a tool needs more; without it, such a
   * challenge names no scope and spec-following clients ask for every `scopes_supported`. Default none.
   *
   * @example ['notes:read']
   */
  initialScopes?: string[];
  /**
   * Which scopes imply others (the 2026-07-28 MCP revision asks servers to account for scope hierarchies):
   * a token granted a broader scope may do everything the narrower ones allow, wherever a scope is checked
   * (tools, resources, prompts, routes, list filtering). Challenges still name the scope an operation needs.
   * A map of direct implications (closed transitively; a cycle fails the boot) or a function giving the
   * scopes one scope directly implies.
   *
   * @example { 'notes:admin': ['notes:write'], 'notes:write': ['notes:read'] }
   */
  scopeHierarchy?: ScopeHierarchyOption;
}

/** Direct implications of broader scopes: a map, or a function of one scope. */
export type ScopeHierarchyOption = Readonly<Record<string, readonly string[]>> | ((scope: string) => readonly string[]);

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
  /** Allowed JWS algorithms (asymmetric only). Default: RS/PS/ES 256, 384 and 512, EdDSA, Ed25519. */
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
    /**
     * Shortest time between two fetches of one issuer's key set, in ms: a token signed with an unknown `kid`
     * triggers a refetch (a key rotation) at most this often, however many such tokens arrive, and a newly
     * published key is accepted within this time of its first use. After a failed fetch, the next one waits
     * this long too (at most one second while no key is cached). Default 1000.
     */
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
  /**
   * What a 403 `insufficient_scope` challenge names: `by-protocol-version` (default: for MCP requests up to
   * 2025-11-25 the scopes needed plus the relevant scopes already granted, as that revision recommends, so
   * clients that replace their scopes on a step-up keep what the user granted; for 2026-07-28 and non-MCP
   * routes only what is needed, SEP-2350), `required` or `required-and-granted` everywhere.
   */
  challengeScopes?: ChallengeScopes;
  /** DPoP (RFC 9449): sender-constrained tokens presented as `Authorization: DPoP` with a `DPoP` proof. */
  dpop?: DpopOptions;
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
   * Requests without `Origin` (non-browser clients) are allowed. The resources' own origins are always allowed.
   * Default: none besides those.
   */
  allowedOrigins?: string[];
  /**
   * Host names (the `Host` header without its port) the MCP endpoint answers to, against DNS rebinding;
   * any other gets 403. The resources' own host names are always allowed. Default: checked only for requests
   * that arrived on a loopback address, which must name `localhost`, `127.0.0.1` or `[::1]` (what the MCP SDK
   * does for local servers); elsewhere a reverse proxy usually rewrites `Host`, so list your names to opt in.
   *
   * @example ['mcp.example.com']
   */
  allowedHosts?: string[];
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
   * In stateful mode: most concurrent sessions of one owner (issuer + subject + client). Opening one more
   * closes that owner's least recently used session (its client gets 404 and starts a new one), so no token
   * can fill `maxSessions` and lock other users out. Default 16.
   */
  maxSessionsPerSubject?: number;
  /**
   * Serve the MCP endpoint without tokens (primitives needing scopes then always refuse). For measurements and
   * local experiments only; logged as a warning at every boot. Default false.
   */
  dangerouslyDisableAuthentication?: boolean;
}

/**
 * Remembers the `jti` of every accepted DPoP proof for as long as the proof could be replayed, so a proof
 * is accepted once. Shared by every replica when it is shared storage (`RedisDpopReplayStore`).
 */
export interface DpopReplayStore {
  /**
   * Records `key` until `expiresAtMs` (ms since the epoch).
   *
   * @returns `true` when the key was new, `false` when it was already there (a replay).
   */
  remember(key: string, expiresAtMs: number): Promise<boolean>;
}

/**
 * DPoP proof checking (RFC 9449 §4.3, §7, §9).
 *
 * @example
 * ```ts
 * dpop: { replayStore: new RedisDpopReplayStore(new Redis(process.env.REDIS_URL)), nonce: { required: true, secret: process.env.DPOP_NONCE_SECRET } }
 * ```
 */
export interface DpopOptions {
  /** Accept the `DPoP` scheme at all. Default true (a bound token sent as `Bearer` is refused either way). */
  enabled?: boolean;
  /** Proof signing algorithms (asymmetric only). Default: ES256/384/512, PS256/384/512, RS256, EdDSA, Ed25519. */
  algorithms?: string[];
  /** How old a proof's `iat` may be, in seconds (plus `clockToleranceSeconds`). Default 60. */
  proofMaxAgeSeconds?: number;
  /**
   * Where proof `jti`s are remembered. Default: in memory, bounded (enough for one replica; several replicas
   * behind a load balancer need a shared store such as `RedisDpopReplayStore`).
   */
  replayStore?: DpopReplayStore;
  /** Most proofs the default in-memory store remembers at once; beyond, new proofs are refused. Default 100 000. */
  maxRememberedProofs?: number;
  /** Server-issued nonces (RFC 9449 §9): proofs must carry a recent `nonce` this server handed out. */
  nonce?: {
    /** Require them. Default false. */
    required?: boolean;
    /**
     * Secret the nonces are derived from (HMAC), at least 32 bytes; replicas that share it accept each other's
     * nonces. Default: random per process.
     */
    secret?: string;
    /** How long one nonce is current, in seconds (the previous one stays accepted as long again). Default 60. */
    lifetimeSeconds?: number;
  };
}
