import { NO_SCOPES } from '../options/scope-syntax.js';
/**
 * Base class of every error this library throws. `code` is stable across releases,
 * so callers can switch on it instead of parsing messages.
 */
export class McpAuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The module was configured with a value that cannot work; thrown at bootstrap. */
export class McpAuthConfigurationError extends McpAuthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MCP_AUTH_CONFIGURATION', message, options);
  }
}

/** Authorization-server metadata could not be discovered; the message names the URL(s) and the reason. */
export class AuthorizationServerDiscoveryError extends McpAuthError {
  constructor(
    readonly issuer: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_MCP_AUTH_DISCOVERY', message, options);
  }
}

/** No signing keys could be obtained for an issuer; the verifier answers 401 `invalid_token`. */
export class JwksUnavailableError extends McpAuthError {
  constructor(
    readonly jwksUri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_MCP_AUTH_JWKS_UNAVAILABLE', message, options);
  }
}

/**
 * A handler asked the client for something (`elicit()`, `createMessage()`) in stateless mode, where the
 * client's answer would arrive in another HTTP request, possibly at another replica. Needs `mcp.mode: 'stateful'`.
 */
export class McpSessionRequiredError extends McpAuthError {
  constructor(readonly feature: string) {
    super(
      'ERR_MCP_SESSION_REQUIRED',
      `${feature} needs a stateful MCP session (mcp.mode: 'stateful'): in stateless mode the client's answer ` +
        'would arrive in another HTTP request',
    );
  }
}

/**
 * The RFC 6750 error codes a protected resource answers with.
 * `undefined` stands for "no credentials were sent" (a challenge without an error code).
 */
export type BearerErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  /** RFC 9449 §7.1: the DPoP proof is missing, malformed or does not match the request or the token. */
  | 'invalid_dpop_proof'
  /** RFC 9449 §9: the proof must carry the nonce this server hands out (in `dpopNonce`). */
  | 'use_dpop_nonce';

/**
 * A request was refused. The one place that turns it into a status code and a
 * `WWW-Authenticate` challenge is `challenge.ts`; everything else only throws.
 *
 * `description` goes to the client: never put a token, a key or a stack trace in it.
 */
export class BearerAuthError extends McpAuthError {
  constructor(
    readonly bearerError: BearerErrorCode | undefined,
    readonly description: string,
    /** For `insufficient_scope` (and the no-credentials challenge): every scope the operation needs. */
    readonly requiredScopes: readonly string[] = [],
    options?: { cause?: unknown },
    /** For `use_dpop_nonce`: the nonce to send back in `DPoP-Nonce`. */
    readonly dpopNonce?: string,
  ) {
    super(`ERR_MCP_AUTH_${(bearerError ?? 'unauthorized').toUpperCase()}`, description, options);
  }

  /**
   * No credentials at all: 401 without an error code (RFC 6750 §3.1). For a frozen list of scopes (what a route,
   * a primitive or a resource declares, frozen at bootstrap) the error is built once and shared, frozen too: a
   * request without a token then allocates no error, and its answer is rendered once (`challenge-answers.ts`).
   */
  static missing(requiredScopes: readonly string[] = NO_SCOPES): BearerAuthError {
    if (!Object.isFrozen(requiredScopes)) {
      return withoutStack(() => new BearerAuthError(undefined, 'Authorization required', requiredScopes));
    }
    let error = missingByScopes.get(requiredScopes);
    if (error === undefined) {
      error = sharedRefusal(
        withoutStack(() => new BearerAuthError(undefined, 'Authorization required', requiredScopes)),
      );
      missingByScopes.set(requiredScopes, error);
    }
    return error;
  }

  /** The Authorization header is there but not a well-formed single bearer credential. */
  static malformed(description: string): BearerAuthError {
    return withoutStack(() => new BearerAuthError('invalid_request', description));
  }

  /** The token is expired, forged, for another audience or issuer, or otherwise unusable. */
  static invalidToken(description: string, cause?: unknown): BearerAuthError {
    return withoutStack(() => new BearerAuthError('invalid_token', description, [], { cause }));
  }

  /** The DPoP proof is missing, malformed, replayed or does not match the request or the token (RFC 9449 §4.3). */
  static invalidDpopProof(description: string, cause?: unknown): BearerAuthError {
    return withoutStack(() => new BearerAuthError('invalid_dpop_proof', description, [], { cause }));
  }

  /** The proof lacks the current server nonce: the client retries with `nonce` (RFC 9449 §9). */
  static useDpopNonce(nonce: string): BearerAuthError {
    return withoutStack(
      () =>
        new BearerAuthError(
          'use_dpop_nonce',
          'The DPoP proof must carry the nonce this server provides',
          [],
          {},
          nonce,
        ),
    );
  }

  /** A valid token that lacks scopes the operation needs. */
  static insufficientScope(requiredScopes: readonly string[]): BearerAuthError {
    return withoutStack(
      () => new BearerAuthError('insufficient_scope', 'The access token lacks a required scope', requiredScopes),
    );
  }
}

/**
 * A request to the MCP endpoint refused before authentication, for where it comes from (a disallowed `Origin`
 * or `Host`: DNS rebinding defences). Answered as the Streamable HTTP transport words its refusals: a
 * JSON-RPC error body. `message` goes to the client.
 */
export class McpRequestRefusedError extends McpAuthError {
  constructor(
    readonly status: 403,
    message: string,
  ) {
    super('ERR_MCP_AUTH_REQUEST_REFUSED', message);
  }

  /** 403 with `Forbidden: <reason>`. */
  static forbidden(reason: string): McpRequestRefusedError {
    return withoutStack(() => new McpRequestRefusedError(403, `Forbidden: ${reason}`));
  }
}

/** Weak: keyed by the frozen scope lists of the application's routes and primitives (none from clients). */
const missingByScopes = new WeakMap<readonly string[], BearerAuthError>();

/**
 * Marks `error` as the same refusal every time it is thrown, by freezing it: nothing can alter it between
 * requests, so its HTTP answer may be rendered once and reused (`challenge-answers.ts` only remembers frozen
 * refusals). For errors that are built once and thrown for many requests.
 */
export function sharedRefusal<T extends BearerAuthError>(error: T): T {
  return Object.freeze(error);
}

/**
 * Refusals are answers, not bugs: their stack is never shown or logged, and capturing it was the single
 * most expensive step of answering a bad request (an attacker's cheapest lever).
 */
function withoutStack<T>(create: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
