import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError, JwksUnavailableError, McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { ScopeClaimOption } from '../options/mcp-auth-options.interface.js';
import { ASYMMETRIC_ALGORITHMS } from '../options/resolved-options.js';
import { createAuthInfo } from './auth-info.factory.js';
import { readAudience, readClientId } from './claim-readers.js';
import { readScopes } from './scope-claims.js';

/** Options of {@link JwtTokenVerifier}: one trusted issuer, as seen by one protected resource. */
export interface JwtTokenVerifierOptions {
  /** Expected `iss`, compared exactly. */
  issuer: string;
  /** Accepted audiences (`aud` must contain one); `undefined` disables the check (dangerous). */
  audience: readonly string[] | undefined;
  /** The protected resource, reported as `AuthInfo.resource`. */
  resource: string;
  /** Allowed JWS algorithms; anything not asymmetric is dropped (RFC 8725 §3.1-3.2). */
  algorithms: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** Require the RFC 9068 `typ` header `at+jwt` (or `application/at+jwt`). */
  requireAccessTokenType: boolean;
  /** Where scopes come from (see `readScopes`). */
  scopeClaim: ScopeClaimOption | undefined;
  /** Key resolver, normally `JwksCache.getKey`. */
  getKey: JWTVerifyGetKey;
  /** Clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Verifies JWT access tokens (RFC 9068) from one issuer for one resource: signature against the issuer's
 * keys, `iss` exact, `aud` (RFC 8707), `exp` required, `nbf` and `iat` within the clock tolerance, and
 * optionally `typ: at+jwt`.
 *
 * Every failure is a `BearerAuthError` `invalid_token` whose description is a fixed sentence: nothing
 * from the token reaches the client.
 */
export class JwtTokenVerifier {
  readonly #options: JwtTokenVerifierOptions;
  readonly #verifyOptions: JWTVerifyOptions;

  constructor(options: JwtTokenVerifierOptions) {
    const algorithms = options.algorithms.filter((alg) => ASYMMETRIC_ALGORITHMS.includes(alg));
    if (algorithms.length === 0) {
      throw new McpAuthConfigurationError(
        `No asymmetric JWS algorithm allowed for ${options.issuer} (got ${JSON.stringify(options.algorithms)}); ` +
          `use some of ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
      );
    }
    this.#options = options;
    this.#verifyOptions = {
      issuer: options.issuer,
      ...(options.audience === undefined ? {} : { audience: [...options.audience] }),
      algorithms,
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['exp'],
      // jose compares `typ` case-insensitively with the `application/` prefix optional, as RFC 7515 §4.1.9 says.
      ...(options.requireAccessTokenType ? { typ: 'at+jwt' } : {}),
    };
  }

  /**
   * Verifies `token` and describes it.
   *
   * @throws BearerAuthError `invalid_token` for any problem with the token or its issuer's keys.
   */
  async verify(token: string): Promise<AuthInfo> {
    const now = this.#options.now ?? Date.now;
    let payload: JWTPayload;
    try {
      payload = await this.#verifySignatureAndClaims(token);
    } catch (error) {
      throw BearerAuthError.invalidToken(describeFailure(error), error);
    }
    // jose checks `iat` only together with `maxTokenAge`; a token issued in the future is a clock problem
    // or a forgery attempt, so refuse it with the same leeway as `nbf`.
    if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + this.#options.clockToleranceSeconds) {
      throw BearerAuthError.invalidToken('The access token was issued in the future');
    }
    const claims = payload as Record<string, unknown>;
    return createAuthInfo({
      token,
      clientId: readClientId(claims),
      scopes: readScopes(claims, this.#options.scopeClaim),
      expiresAt: payload.exp,
      resource: this.#options.resource,
      issuer: this.#options.issuer,
      ...(typeof payload.sub === 'string' ? { subject: payload.sub } : {}),
      audience: readAudience(claims),
      claims,
      claimsOwned: true,
    });
  }

  async #verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    const currentDate = this.#options.now ? new Date(this.#options.now()) : undefined;
    const options = currentDate ? { ...this.#verifyOptions, currentDate } : this.#verifyOptions;
    try {
      return (await jwtVerify(token, this.#options.getKey, options)).payload;
    } catch (error) {
      // A token without `kid` matching several keys: jose hands back the candidates; try each (bounded by
      // the size of the key set), as jose itself did before v6.
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      for await (const key of error) {
        try {
          return (await jwtVerify(token, key, options)).payload;
        } catch (attempt) {
          if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
        }
      }
      throw new errors.JWSSignatureVerificationFailed();
    }
  }
}

/** A fixed, client-safe sentence for each way verification fails. */
/**
 * A rejection no later request can turn around for the same token string: a bad signature, a malformed
 * token, a disallowed algorithm, an expired token or a wrong issuer, audience or type. Not: unknown keys
 * and unavailable JWKS (rotation, outages), nor `nbf`/`iat` (time fixes those).
 */
export function isDefinitiveRejection(error: BearerAuthError): boolean {
  const cause = error.cause;
  if (cause instanceof errors.JWTClaimValidationFailed) return ['aud', 'iss', 'exp', 'typ'].includes(cause.claim);
  return (
    cause instanceof errors.JWSSignatureVerificationFailed ||
    cause instanceof errors.JWTExpired ||
    cause instanceof errors.JOSEAlgNotAllowed ||
    cause instanceof errors.JWSInvalid ||
    cause instanceof errors.JWTInvalid
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof JwksUnavailableError)
    return 'The access token could not be verified: signing keys are unavailable';
  if (error instanceof errors.JWTExpired) return 'The access token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const missing = error.reason === 'missing';
    switch (error.claim) {
      case 'aud':
        return missing ? 'The access token has no audience' : 'The access token audience is not this resource';
      case 'iss':
        return 'The access token issuer is not trusted';
      case 'exp':
        return missing ? 'The access token has no expiry' : 'The access token expiry is invalid';
      case 'nbf':
        return 'The access token is not valid yet';
      case 'iat':
        return 'The access token issue time is invalid';
      case 'typ':
        return 'The access token type is not at+jwt';
      default:
        return 'The access token claims are invalid';
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token was signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'The access token signing algorithm is not allowed';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'The access token is malformed';
  return 'The access token is invalid';
}
