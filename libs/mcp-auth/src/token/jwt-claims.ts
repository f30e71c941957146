import { hasType } from './compact-jwt.js';
import { JWT_REJECTIONS, type JwtRejection } from './jwt-rejection.js';

/** What a resource asks of an access token's claims (RFC 9068 §4, RFC 7519 §4.1). */
export interface JwtClaimsPolicy {
  /** `iss` must equal it exactly. */
  issuer: string;
  /** `aud` must contain one of them; `undefined` disables the check (dangerous). */
  audience: readonly string[] | undefined;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** Require the `typ` header `at+jwt` (or `application/at+jwt`, compared case-insensitively: RFC 7515 §4.1.9). */
  requireAccessTokenType: boolean;
}

/**
 * Checks the header `typ` and the registered claims of a verified JWT, in this order (the first rule broken
 * names the refusal): `typ`; `iss`, `aud` and `exp` present; `iss` exact; `aud` contains an accepted
 * audience; `iat`, `nbf`, `exp` numbers; `nbf` reached; `exp` not passed; `iat` not in the future. Times
 * with the clock tolerance; `nbf` and `exp` against the current whole second, as JWT times are.
 *
 * @param nowMs the current time, in ms since the epoch.
 * @returns the first rule broken, or `undefined` when every one holds.
 *
 * @example
 * ```ts
 * const broken = checkJwtClaims(jwt.header, jwt.payload, policy, Date.now());
 * if (broken) throw broken.error;
 * ```
 */
export function checkJwtClaims(
  header: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>>,
  policy: JwtClaimsPolicy,
  nowMs: number,
): JwtRejection | undefined {
  if (policy.requireAccessTokenType && !hasType(header, 'at+jwt')) return JWT_REJECTIONS.wrongType;
  if (!Object.hasOwn(claims, 'iss')) return JWT_REJECTIONS.untrustedIssuer;
  const checkAudience = policy.audience !== undefined;
  if (checkAudience && !Object.hasOwn(claims, 'aud')) return JWT_REJECTIONS.noAudience;
  if (!Object.hasOwn(claims, 'exp')) return JWT_REJECTIONS.noExpiry;
  if (claims.iss !== policy.issuer) return JWT_REJECTIONS.untrustedIssuer;
  if (checkAudience && !hasAudience(claims.aud, policy.audience!)) return JWT_REJECTIONS.wrongAudience;
  const { iat, nbf, exp } = claims;
  const tolerance = policy.clockToleranceSeconds;
  const nowSeconds = Math.floor(nowMs / 1000);
  if (iat !== undefined && !isNumericDate(iat)) return JWT_REJECTIONS.invalidIssueTime;
  if (nbf !== undefined && (!isNumericDate(nbf) || nbf > nowSeconds + tolerance)) return JWT_REJECTIONS.notYetValid;
  if (!isNumericDate(exp)) return JWT_REJECTIONS.invalidExpiry;
  if (exp <= nowSeconds - tolerance) return JWT_REJECTIONS.expired;
  // A token issued in the future is a clock problem or a forgery attempt: refused with the same leeway as `nbf`.
  if (typeof iat === 'number' && iat > nowMs / 1000 + tolerance) return JWT_REJECTIONS.issuedInFuture;
  return undefined;
}

function hasAudience(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && accepted.some((audience) => aud.includes(audience));
}

/** A JSON number (JSON has no NaN or infinities, but a claims object may come from elsewhere). */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
