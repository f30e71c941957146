import type { AuthInfo } from './auth-info.interface.js';

// Per-request facts the library keeps on the request's own AuthInfo (a fresh object per request, handed to the
// guard, the MCP handlers and list filters alike), under symbols: never enumerable, never serialised.
const IMPLIED_SCOPES = Symbol('nest-mcp-auth:implied-scopes');
const VALIDATED_ARGUMENTS = Symbol('nest-mcp-auth:validated-arguments');

interface WithGrants {
  [IMPLIED_SCOPES]?: ReadonlySet<string>;
  [VALIDATED_ARGUMENTS]?: Map<unknown, { target: object; value: unknown }>;
}

/** Records every scope `auth` grants through its resource's scope hierarchy (its own scopes included). */
export function setImpliedScopes(auth: AuthInfo, scopes: ReadonlySet<string>): void {
  Object.defineProperty(auth, IMPLIED_SCOPES, { value: scopes, enumerable: false });
}

/** Whether `auth` grants `scope`, directly or through the scope hierarchy. */
export function grants(auth: AuthInfo, scope: string): boolean {
  const implied = (auth as WithGrants)[IMPLIED_SCOPES];
  return implied ? implied.has(scope) : auth.scopes.includes(scope);
}

/**
 * Forgets what an earlier request left on `auth` (arguments validated for a call the guard then refused): an
 * `AuthInfo` is meant to be fresh per request, but a `verify` override could hand the same one out twice.
 */
export function forgetValidatedArguments(auth: AuthInfo): void {
  (auth as WithGrants)[VALIDATED_ARGUMENTS]?.clear();
}

/**
 * Keeps the arguments of JSON-RPC request `id` as validated against `target`'s schema before the handler ran (to
 * decide the scopes they require), so the handler uses them instead of validating again.
 */
export function rememberValidatedArguments(auth: AuthInfo, id: unknown, target: object, args: unknown): void {
  let byId = (auth as WithGrants)[VALIDATED_ARGUMENTS];
  if (!byId) {
    byId = new Map();
    Object.defineProperty(auth, VALIDATED_ARGUMENTS, { value: byId, enumerable: false });
  }
  byId.set(id, { target, value: args });
}

/**
 * The arguments validated for request `id` before its handler ran, once, if they were validated for `target`
 * (the tool or prompt about to run); `undefined` otherwise, and the handler validates them itself. The id alone
 * would hand one primitive's arguments to another if two messages of a batch shared it (the transports refuse
 * such batches; this does not rely on it).
 */
export function takeValidatedArguments(
  auth: AuthInfo | undefined,
  id: unknown,
  target: object,
): { value: unknown } | undefined {
  const byId = (auth as WithGrants | undefined)?.[VALIDATED_ARGUMENTS];
  const entry = byId?.get(id);
  if (byId === undefined || entry === undefined) return undefined;
  byId.delete(id);
  return entry.target === target ? { value: entry.value } : undefined;
}
