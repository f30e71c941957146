import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import type { ScopeClaimOption } from '../options/mcp-auth-options.interface.js';
import { createAuthInfo } from './auth-info.factory.js';
import { readAudience, readClientId } from './claim-readers.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { ExpiringCache } from './expiring.cache.js';
import { fetchJson } from './fetch-json.js';
import { OutageLog, type OutageLogger } from './outage-log.js';
import { readScopes } from './scope-claims.js';
import { tokenDigest } from './token-digest.js';

/** Introspection responses are small; anything bigger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

type Claims = Record<string, unknown>;

/** Options of {@link IntrospectionTokenVerifier}: one authorization server's introspection endpoint. */
export interface IntrospectionTokenVerifierOptions {
  /** The trusted issuer; an `iss` in the response must equal it. */
  issuer: string;
  /** The RFC 7662 introspection endpoint. */
  endpoint: string;
  clientId: string;
  clientSecret: string;
  clientAuthMethod: 'client_secret_basic' | 'client_secret_post';
  /** Longest reuse of a positive result, in ms (never past the token's `exp`). 0 disables the cache. */
  cacheTtlMs: number;
  /** How long an inactive result is reused, in ms. 0 disables it. */
  inactiveCacheTtlMs: number;
  /** Most cached results, active and inactive each; the oldest go first. */
  cacheMaxEntries: number;
  /** Most introspection requests in flight at once; further ones wait (at most `timeoutMs`). */
  maxConcurrentRequests: number;
  /** Per-request timeout, in ms. */
  timeoutMs: number;
  /** Leeway for `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /** Where scopes come from (see `readScopes`). */
  scopeClaim: ScopeClaimOption | undefined;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Where an outage of the endpoint is reported, and its recovery (once each). Default: not reported. */
  logger?: OutageLogger;
}

/** The resource a token is verified for. */
export interface IntrospectionTarget {
  /** The protected resource, reported as `AuthInfo.resource`. */
  resource: string;
  /** Accepted audiences; `undefined` disables the check (dangerous). */
  audience: readonly string[] | undefined;
}

/**
 * Verifies opaque access tokens with RFC 7662 token introspection.
 *
 * One instance per authorization server, shared by every resource that trusts it: results are cached per
 * token, and the audience is checked per call against the resource asking.
 *
 * - Only `active: true` counts. `exp`, `nbf` (with the clock tolerance), `iss` (when present: must be
 *   the issuer) and `aud` (required unless the audience check is disabled) are checked on every call,
 *   cached or not. A response with `token_type: refresh_token` is refused.
 * - A missing `exp` is accepted (RFC 7662 makes it optional); such results are cached for `cacheTtlMs` at
 *   most, so a revoked token stops working within that time.
 * - Results are cached under the SHA-256 of the token (the raw token is never a key), bounded: positive ones
 *   for `min(cacheTtlMs, exp - now)`, inactive ones briefly (`inactiveCacheTtlMs`, so a token that was not
 *   yet replicated is not refused for long, while a repeated junk token costs one request per period).
 *   The two are kept apart, so a flood of junk cannot evict valid tokens. Failures are not cached.
 * - Concurrent calls for the same token share one request, and at most `maxConcurrentRequests` requests
 *   are in flight: a flood of distinct junk tokens cannot turn into a flood on the authorization server.
 * - Every failure is a `BearerAuthError` `invalid_token`; an unreachable endpoint gives
 *   "Token could not be verified" (401, never 5xx).
 */
export class IntrospectionTokenVerifier {
  readonly #options: IntrospectionTokenVerifierOptions;
  readonly #now: () => number;
  readonly #active: ExpiringCache<Claims>;
  readonly #inactive: ExpiringCache<true>;
  readonly #inFlight = new Map<string, Promise<Claims | null>>();
  readonly #limit: ConcurrencyLimit;
  readonly #outages: OutageLog;
  #requestCount = 0;

  constructor(options: IntrospectionTokenVerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#active = new ExpiringCache(options.cacheTtlMs, options.cacheMaxEntries, this.#now);
    this.#inactive = new ExpiringCache(options.inactiveCacheTtlMs, options.cacheMaxEntries, this.#now);
    this.#limit = new ConcurrencyLimit(options.maxConcurrentRequests, options.timeoutMs);
    this.#outages = new OutageLog(options.logger, `Introspection endpoint ${options.endpoint}`);
  }

  /** Introspection requests sent so far. For tests and benchmarks. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /**
   * Introspects `token` (or reuses a cached result) and checks it is usable for `target`.
   *
   * @throws BearerAuthError `invalid_token` for an inactive or unusable token, or an unreachable endpoint.
   */
  async verify(token: string, target: IntrospectionTarget): Promise<AuthInfo> {
    const key = tokenDigest(token);
    const claims = this.#inactive.get(key)
      ? null
      : (this.#active.get(key) ?? (await this.#introspectShared(token, key)));
    if (claims === null) throw BearerAuthError.invalidToken('The access token is not active');
    const audience = this.#check(claims, target);
    return createAuthInfo({
      token,
      clientId: readClientId(claims),
      scopes: readScopes(claims, this.#options.scopeClaim),
      ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
      resource: target.resource,
      issuer: this.#options.issuer,
      ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
      audience,
      // The parsed response, ours alone: frozen in place on its first use (later uses find it frozen), rather
      // than cloned and frozen again on every request that reuses the cached result.
      claims,
      claimsOwned: true,
    });
  }

  /** Introspects `token`, joining a request already in flight for it; `null` for an inactive token. */
  async #introspectShared(token: string, key: string): Promise<Claims | null> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#limit.run(() => this.#introspect(token, key)).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      throw BearerAuthError.invalidToken('Token could not be verified', error);
    }
  }

  /** Returns the token's audiences once every check passed. */
  #check(claims: Claims, target: IntrospectionTarget): string[] {
    const now = this.#now() / 1000;
    const tolerance = this.#options.clockToleranceSeconds;
    const { exp, nbf, iss } = claims;
    if (typeof claims.token_type === 'string' && claims.token_type.toLowerCase() === 'refresh_token') {
      throw BearerAuthError.invalidToken('The token is not an access token');
    }
    if (exp !== undefined && typeof exp !== 'number')
      throw BearerAuthError.invalidToken('The access token expiry is invalid');
    if (typeof exp === 'number' && exp <= now - tolerance)
      throw BearerAuthError.invalidToken('The access token expired');
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tolerance)) {
      throw BearerAuthError.invalidToken('The access token is not valid yet');
    }
    if (iss !== undefined && iss !== this.#options.issuer)
      throw BearerAuthError.invalidToken('The access token issuer is not trusted');
    const audience = readAudience(claims);
    if (target.audience !== undefined) {
      if (audience.length === 0) throw BearerAuthError.invalidToken('The access token has no audience');
      if (!audience.some((aud) => target.audience!.includes(aud))) {
        throw BearerAuthError.invalidToken('The access token audience is not this resource');
      }
    }
    return audience;
  }

  async #introspect(token: string, key: string): Promise<Claims | null> {
    const { clientId, clientSecret, clientAuthMethod } = this.#options;
    const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (clientAuthMethod === 'client_secret_post') {
      body.set('client_id', clientId);
      body.set('client_secret', clientSecret);
    } else {
      // RFC 6749 §2.3.1: id and secret are form-url-encoded before being joined and base64-encoded, so a
      // ':' in the id or non-ASCII in the secret survive.
      headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
    }
    this.#requestCount++;
    let response: unknown;
    try {
      response = await fetchJson(this.#options.endpoint, {
        timeoutMs: this.#options.timeoutMs,
        maxBytes: MAX_RESPONSE_BYTES,
        fetch: this.#options.fetch,
        init: { method: 'POST', headers, body: body.toString() },
      });
      if (typeof response !== 'object' || response === null || Array.isArray(response)) {
        throw new Error('the response is not a JSON object');
      }
    } catch (error) {
      this.#outages.failed(error, 'tokens it would vouch for are refused until it recovers');
      throw error;
    }
    this.#outages.succeeded();
    const claims = response as Claims;
    if (claims.active !== true) {
      this.#inactive.set(key, true);
      return null;
    }
    this.#active.set(key, claims, typeof claims.exp === 'number' ? claims.exp * 1000 : undefined);
    return claims;
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
