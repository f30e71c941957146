import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import type { CustomTokenVerifier } from '../options/mcp-auth-options.interface.js';
import { createAuthInfo } from './auth-info.factory.js';

/** What {@link verifyWithCustomVerifier} checks a custom verifier's answer against. */
export interface CustomVerificationTarget {
  /** The trusted issuer the verifier belongs to. */
  issuer: string;
  /** The protected resource (canonical URL). */
  resource: string;
  /** Accepted audiences; `undefined` disables the check (dangerous). */
  audience: readonly string[] | undefined;
  /** Leeway for `expiresAt`, in seconds. */
  clockToleranceSeconds: number;
  /** Current time, in ms since the epoch. */
  now: number;
}

/**
 * Runs an application-supplied verifier and holds its answer to the same rules as the built-in ones.
 *
 * - Anything it throws becomes 401 `invalid_token` with a generic description (its message could contain
 *   anything); a `BearerAuthError` `invalid_token` it throws on purpose is passed through.
 * - The returned `audience` must contain an accepted audience, `expiresAt` (when given) must not be past,
 *   and `issuer` / `resource` (when given) must be this verifier's.
 * - The result is rebuilt with `createAuthInfo`, so the token is non-enumerable and the claims frozen
 *   whatever the verifier returned.
 */
export async function verifyWithCustomVerifier(
  verifier: CustomTokenVerifier,
  token: string,
  target: CustomVerificationTarget,
): Promise<AuthInfo> {
  let result: Partial<AuthInfo> | null | undefined;
  try {
    result = await verifier(token, {
      resource: target.resource,
      audience: target.audience ?? [],
      issuer: target.issuer,
    });
  } catch (error) {
    if (error instanceof BearerAuthError && error.bearerError === 'invalid_token') throw error;
    throw BearerAuthError.invalidToken('The access token is invalid', error);
  }
  if (typeof result !== 'object' || result === null) throw BearerAuthError.invalidToken('The access token is invalid');

  const audience = strings(result.audience);
  if (target.audience !== undefined && !audience.some((aud) => target.audience!.includes(aud))) {
    throw BearerAuthError.invalidToken(
      audience.length === 0 ? 'The access token has no audience' : 'The access token audience is not this resource',
    );
  }
  const { expiresAt } = result;
  if (
    expiresAt !== undefined &&
    (typeof expiresAt !== 'number' || expiresAt <= target.now / 1000 - target.clockToleranceSeconds)
  ) {
    throw BearerAuthError.invalidToken('The access token expired');
  }
  if (typeof result.issuer === 'string' && result.issuer !== '' && result.issuer !== target.issuer) {
    throw BearerAuthError.invalidToken('The access token issuer is not trusted');
  }
  if (result.resource !== undefined && String(result.resource) !== new URL(target.resource).href) {
    throw BearerAuthError.invalidToken('The access token audience is not this resource');
  }
  return createAuthInfo({
    token,
    clientId: typeof result.clientId === 'string' ? result.clientId : '',
    scopes: strings(result.scopes),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    resource: target.resource,
    issuer: target.issuer,
    ...(typeof result.subject === 'string' ? { subject: result.subject } : {}),
    audience,
    claims: typeof result.claims === 'object' && result.claims !== null ? result.claims : {},
    extra: typeof result.extra === 'object' && result.extra !== null ? result.extra : {},
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}
