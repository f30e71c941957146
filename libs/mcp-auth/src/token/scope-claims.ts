import type { ScopeClaimOption } from '../options/mcp-auth-options.interface.js';
import { isScopeToken } from '../options/scope-syntax.js';

/**
 * Reads the scopes a verified token grants.
 *
 * - `undefined` (default): `scope` (RFC 9068 / RFC 7662, space-separated) and, only when it is absent,
 *   `scp` (Azure AD, Okta: an array of strings or a space-separated string).
 * - `'scope'` / `'scp'`: that claim only.
 * - a function: called with the claims; whatever it returns is cleaned the same way.
 *
 * RFC 6749 §3.3 is applied strictly: a scope string is split on the space character (0x20) only, and only
 * scope tokens (printable ASCII without space, `"` or `\`) count. Anything else is not a scope and is left
 * out: `"read\tadmin"` or `"read\u00a0admin"` grant nothing, never `admin`. Array members are each one scope
 * token. Claims of an unexpected type yield no scopes rather than an error: a token that grants nothing
 * readable is still a valid token, and operations that need scopes answer 403 with a step-up challenge.
 * The result has no duplicates.
 *
 * @example
 * ```ts
 * readScopes({ scope: 'notes:read notes:write' }, undefined); // ['notes:read', 'notes:write']
 * readScopes({ scp: ['notes:read'] }, 'scp');                 // ['notes:read']
 * ```
 */
export function readScopes(claims: Readonly<Record<string, unknown>>, option: ScopeClaimOption | undefined): string[] {
  if (typeof option === 'function') return clean(option(claims));
  if (option === 'scope' || option === 'scp') return clean(splitClaim(claims[option]));
  // "absent" means not present at all: an explicit empty `scope` grants nothing and must not fall back to `scp`.
  if (claims.scope !== undefined) return clean(splitClaim(claims.scope));
  return clean(splitClaim(claims.scp));
}

function splitClaim(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(' ');
  if (Array.isArray(value)) return value;
  return [];
}

function clean(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  const scopes = new Set<string>();
  // Empty strings (from doubled spaces) and anything that is not a scope token are not scopes.
  for (const value of values) if (isScopeToken(value)) scopes.add(value);
  return [...scopes];
}
