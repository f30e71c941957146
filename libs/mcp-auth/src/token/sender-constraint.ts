import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';

/**
 * Refuses a sender-constrained token presented as a plain bearer token. A token whose claims (or
 * introspection response) carry `cnf` is bound to a key (DPoP `jkt`, RFC 9449; mTLS `x5t#S256`, RFC 8705):
 * accepting it without a proof of that key would strip the protection the binding gives (RFC 9449 §7.2).
 *
 * @throws BearerAuthError `invalid_token`.
 */
export function refuseUnprovenBinding(auth: AuthInfo): void {
  if (auth.claims.cnf !== undefined) {
    throw BearerAuthError.invalidToken('The access token is bound to a key; present it with a proof of that key');
  }
}
