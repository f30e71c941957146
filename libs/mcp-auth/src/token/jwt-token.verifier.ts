import type { Logger } from '@nestjs/common';
import { errors, type JWSHeaderParameters } from 'jose';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { DistinctLog } from '../errors/distinct-log.js';
import { JwksUnavailableError, McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { ScopeClaimOption } from '../options/mcp-auth-options.interface.js';
import { ASYMMETRIC_ALGORITHMS } from '../options/resolved-options.js';
import { authInfoFor, type VerifiedToken, verifiedToken } from './auth-info.factory.js';
import { readAudience, readClientId } from './claim-readers.js';
import { type OrRefusal, valueOrThrow } from './refusal-outcome.js';
import { type CompactJwt, jwsHeaderProblem, parseCompactJwt } from './compact-jwt.js';
import { checkJwtClaims, type JwtClaimsPolicy } from './jwt-claims.js';
import { JWT_REJECTIONS, type JwtRejection } from './jwt-rejection.js';
import { UnusableKeyError, type VerificationKey, verifyJwsSignature } from './jws-signature.js';
import { readScopes } from './scope-claims.js';

/**
 * Finds the key a JWS header names (`JwksCache.keyFor`): synchronously when it can, so a token whose key is
 * known costs no extra turn of the event loop.
 */
export type JwtKeyResolver = (header: JWSHeaderParameters) => VerificationKey | Promise<VerificationKey>;

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
  /** Key resolver, normally `JwksCache.keyFor`. */
  getKey: JwtKeyResolver;
  /** Told once per distinct problem when a key of the issuer's set cannot be used (published private, broken...). */
  logger?: Pick<Logger, 'error'>;
  /** Clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Verifies JWT access tokens (RFC 9068) from one issuer for one resource: signature against the issuer's
 * keys, `iss` exact, `aud` (RFC 8707), `exp` required, `nbf` and `iat` within the clock tolerance, and
 * optionally `typ: at+jwt`. Only asymmetric algorithms from the allowed list; no `crit` extension but `b64`
 * (which must then be `true`: a JWT payload is always base64url-encoded, RFC 7797 §7).
 *
 * The token is parsed once and the signature checked synchronously with node:crypto (`verifyJwsSignature`);
 * jose finds the key in the issuer's JWKS (`JwksCache`). Every failure is a `BearerAuthError`
 * `invalid_token` whose description is a fixed sentence (`JWT_REJECTIONS`): nothing from the token reaches
 * the client.
 */
export class JwtTokenVerifier {
  readonly #options: JwtTokenVerifierOptions;
  readonly #algorithms: ReadonlySet<string>;
  readonly #claimsPolicy: JwtClaimsPolicy;
  /** Key problems, once each (bounded anyway: keys and algorithms come from the issuer's set and the options). */
  readonly #keyProblems: DistinctLog;

  constructor(options: JwtTokenVerifierOptions) {
    const algorithms = options.algorithms.filter((alg) => ASYMMETRIC_ALGORITHMS.includes(alg));
    if (algorithms.length === 0) {
      throw new McpAuthConfigurationError(
        `No asymmetric JWS algorithm allowed for ${options.issuer} (got ${JSON.stringify(options.algorithms)}); ` +
          `use some of ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
      );
    }
    this.#options = options;
    this.#keyProblems = new DistinctLog(options.logger, 32);
    this.#algorithms = new Set(algorithms);
    this.#claimsPolicy = {
      issuer: options.issuer,
      audience: options.audience === undefined ? undefined : [...options.audience],
      clockToleranceSeconds: options.clockToleranceSeconds,
      requireAccessTokenType: options.requireAccessTokenType,
    };
  }

  /**
   * Verifies `token` and describes it.
   *
   * @throws BearerAuthError `invalid_token` for any problem with the token or its issuer's keys.
   */
  async verify(token: string): Promise<AuthInfo> {
    return authInfoFor(token, valueOrThrow(await this.check(token)));
  }

  /**
   * Verifies `token` and freezes what it grants (what the token cache keeps; `authInfoFor` makes each
   * request's `AuthInfo` of it). Synchronous whenever the token's key is known (the usual case: keys are
   * fetched once per rotation), so that a token costs its signature check and no turn of the event loop.
   *
   * @param jwt the token already parsed (`parseCompactJwt`), to parse it once per request.
   * @returns a `BearerAuthError` `invalid_token` for any problem with the token or its issuer's keys found
   *   synchronously; the returned promise rejects with it.
   */
  check(
    token: string,
    jwt: CompactJwt | undefined = parseCompactJwt(token),
  ): OrRefusal<VerifiedToken> | Promise<VerifiedToken> {
    if (jwt === undefined) return JWT_REJECTIONS.malformed.error;
    const problem = jwsHeaderProblem(jwt, this.#algorithms);
    if (problem !== undefined) {
      return (problem === 'malformed' ? JWT_REJECTIONS.malformed : JWT_REJECTIONS.algorithmNotAllowed).error;
    }
    const alg = jwt.header.alg as string;
    let resolved: VerificationKey | Promise<VerificationKey>;
    try {
      resolved = this.#options.getKey(jwt.header);
    } catch (error) {
      return this.#withCandidates(error, alg, jwt);
    }
    if (resolved instanceof Promise) {
      return resolved.then(
        (key) => valueOrThrow(this.#checkWith(key, alg, jwt)),
        (error: unknown) => this.#withCandidates(error, alg, jwt),
      );
    }
    return this.#checkWith(resolved, alg, jwt);
  }

  /** A key lookup that failed: a token without `kid` matching several keys is tried against each; else refused. */
  async #withCandidates(error: unknown, alg: string, jwt: CompactJwt): Promise<VerifiedToken> {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw this.#keyFailure(error, jwt).error;
    // jose hands back the candidates; try each (bounded by the size of the key set).
    if (!(await verifiesWithAny(error, alg, jwt))) throw JWT_REJECTIONS.badSignature.error;
    return valueOrThrow(this.#describe(jwt));
  }

  #checkWith(key: VerificationKey, alg: string, jwt: CompactJwt): OrRefusal<VerifiedToken> {
    let valid: boolean;
    try {
      valid = verifyJwsSignature(alg, key, jwt.signingInput, jwt.signature);
    } catch (error) {
      return this.#keyFailure(error, jwt).error;
    }
    if (!valid) return JWT_REJECTIONS.badSignature.error;
    return this.#describe(jwt);
  }

  /**
   * Why no key could check the token: unknown (a rotation, or a forgery), unavailable (the JWKS cache logs
   * outages), or unusable. An unusable key is logged once per problem: the issuer publishing a private or broken
   * key refuses every token it signed, which operators must hear of; a token naming a key of another type (any
   * client can send one) is refused without a word.
   */
  #keyFailure(error: unknown, jwt: CompactJwt): JwtRejection {
    if (error instanceof JwksUnavailableError) return JWT_REJECTIONS.keysUnavailable;
    if (error instanceof errors.JWKSNoMatchingKey) return JWT_REJECTIONS.unknownKey;
    if (!(error instanceof UnusableKeyError && error.tokenMismatch)) {
      const kid = typeof jwt.header.kid === 'string' ? `"${jwt.header.kid}" ` : '';
      const problem = `Key ${kid}of ${this.#options.issuer} cannot verify ${String(jwt.header.alg)} tokens: ${
        error instanceof Error ? error.message : String(error)
      }`;
      this.#keyProblems.error(`${problem}; the tokens it signed are refused`);
    }
    return JWT_REJECTIONS.unusableKey;
  }

  /** The claims rules, then what the token grants. */
  #describe({ header, payload }: CompactJwt): OrRefusal<VerifiedToken> {
    const broken = checkJwtClaims(header, payload, this.#claimsPolicy, (this.#options.now ?? Date.now)());
    if (broken) return broken.error;
    return verifiedToken({
      clientId: readClientId(payload),
      scopes: readScopes(payload, this.#options.scopeClaim),
      expiresAt: payload.exp as number,
      resource: this.#options.resource,
      issuer: this.#options.issuer,
      ...(typeof payload.sub === 'string' ? { subject: payload.sub } : {}),
      audience: readAudience(payload),
      claims: payload,
      claimsOwned: true,
    });
  }
}

async function verifiesWithAny(
  candidates: errors.JWKSMultipleMatchingKeys,
  alg: string,
  jwt: CompactJwt,
): Promise<boolean> {
  for await (const key of candidates) {
    try {
      if (verifyJwsSignature(alg, key, jwt.signingInput, jwt.signature)) return true;
    } catch (error) {
      if (!(error instanceof UnusableKeyError)) throw error;
    }
  }
  return false;
}
