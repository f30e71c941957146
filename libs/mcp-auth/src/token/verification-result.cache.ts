import { BearerAuthError, sharedRefusal } from '../errors/mcp-auth.errors.js';
import type { VerifiedToken } from './auth-info.factory.js';
import type { ExpiringCache } from './expiring.cache.js';

/** What verifying one exact token string concluded. */
export type VerificationOutcome =
  { verified: VerifiedToken; error?: undefined } | { verified?: undefined; error: BearerAuthError };

/**
 * Outcomes of verifying JWTs, by token digest: a client reusing its access token (the normal case) costs a
 * lookup instead of a signature check, and a client retrying the same forged or expired token cannot make
 * the server redo the cryptography. Only definitive rejections are stored (`isDefinitiveRejection`), as
 * shared errors (`rejection()`).
 */
export type VerificationResultCache = ExpiringCache<VerificationOutcome>;

const rejections = new Map<string, { error: BearerAuthError }>();

/**
 * The outcome to remember for a refused token: one shared `invalid_token` error per description, without
 * the cause of the attempt (which can hold the token's parts). Descriptions are the verifiers' fixed
 * sentences, so this holds a handful of entries.
 */
export function rejection(error: BearerAuthError): { error: BearerAuthError } {
  let outcome = rejections.get(error.description);
  if (outcome === undefined) {
    outcome = Object.freeze({ error: sharedRefusal(BearerAuthError.invalidToken(error.description)) });
    // Bounded by the number of distinct descriptions.
    if (rejections.size < 100) rejections.set(error.description, outcome);
  }
  return outcome;
}
