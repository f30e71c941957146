/** One protected resource (an MCP server) the development authorization server issues tokens for. */
export interface DevResource {
  /**
   * The resource indicator (RFC 8707), exactly as clients send it and as the resource server
   * checks `aud`, e.g. `http://127.0.0.1:3000/mcp`. Compared as an exact string.
   */
  resource: string;
  /** Scopes this resource accepts; requested scopes outside this list are never granted for it. */
  scopes: string[];
  /** Name shown on the consent page next to the resource indicator, e.g. `Notes`. */
  name?: string;
  /**
   * What each scope lets a client do, in words a user understands; shown beside the scope's
   * checkbox on the consent page. Keys must be in `scopes`; a scope without one is shown bare.
   * @example { 'notes:read': 'Read your notes', 'notes:write': 'Add notes' }
   */
  scopeDescriptions?: Record<string, string>;
  /** `jwt` (default) or `opaque` (the resource server must introspect them). */
  accessTokenFormat?: 'jwt' | 'opaque';
}

/** A development user; there are no passwords, the login page only picks one of these. */
export interface DevUser {
  /** Account id, becomes the `sub` claim. */
  id: string;
  /** Display name shown on the login page. */
  name: string;
}

/** Options of {@link startDevAuthorizationServer}. */
export interface DevAuthorizationServerOptions {
  /** TCP port; `0` picks a free one (tests). Default `4000`. */
  port?: number;
  /** Interface to bind. Only loopback is supported: this server is for development. */
  host?: '127.0.0.1';
  /** Resources tokens can be issued for. The first one is the default when a request names none. */
  resources: DevResource[];
  /** Users the sign-in page accepts, by id or by display name. Default: one user `demo` ("Demo User"). */
  users?: DevUser[];
  /** Enable RFC 7662 token introspection (for opaque tokens). Default false. */
  enableIntrospection?: boolean;
  /** Enable the `client_credentials` grant (tests use it to get tokens without a login). Default false. */
  enableClientCredentials?: boolean;
  /**
   * Clients registered at start-up (oidc-provider client metadata, e.g. a confidential client with
   * `client_id`, `client_secret` and `grant_types: ['client_credentials']`). A `scope` in client
   * metadata (static or dynamically registered) is ignored: what a token may carry is limited by
   * the resource's `scopes` only.
   */
  staticClients?: Array<Record<string, unknown>>;
  /**
   * When true, an authorization or client-credentials request without a `resource` parameter is
   * refused with `invalid_target`. Default false: such requests get the first configured resource,
   * so that clients which predate RFC 8707 still receive a token the MCP server accepts.
   */
  requireResourceIndicator?: boolean;
  /** Lifetime of access tokens in seconds. Default 3600. */
  accessTokenTtlSeconds?: number;
}

/** A running development authorization server. */
export interface DevAuthorizationServer {
  /** Issuer identifier, e.g. `http://127.0.0.1:4000` (no trailing slash). */
  readonly issuer: string;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}
