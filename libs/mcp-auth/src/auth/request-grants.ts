import type { AuthInfo } from './auth-info.interface.js';

// Per-request facts the library keeps on the request's own AuthInfo (a fresh object per request, handed to the
// guard, the MCP handlers and list filters alike), under symbols: never enumerable, never serialised.
const IMPLIED_SCOPES = Symbol('nest-mcp-auth:implied-scopes');
const VALIDATED_ARGUMENTS = Symbol('nest-mcp-auth:validated-arguments');

interface WithGrants {
  [IMPLIED_SCOPES]?: ReadonlySet<string>;
  [VALIDATED_ARGUMENTS]?: Map<unknown, unknown>;
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
 * Keeps the arguments of JSON-RPC request `id` as validated before the handler ran (to decide the scopes they
 * require), so the handler uses them instead of validating again.
 */
export function rememberValidatedArguments(auth: AuthInfo, id: unknown, args: unknown): void {
  let byId = (auth as WithGrants)[VALIDATED_ARGUMENTS];
  if (!byId) {
    byId = new Map();
    Object.defineProperty(auth, VALIDATED_ARGUMENTS, { value: byId, enumerable: false });
  }
  byId.set(id, args);
}

/** The arguments validated for request `id` before its handler ran, once; `undefined` when there are none. */
export function takeValidatedArguments(auth: AuthInfo | undefined, id: unknown): { value: unknown } | undefined {
  const byId = (auth as WithGrants | undefined)?.[VALIDATED_ARGUMENTS];
  if (!byId?.has(id)) return undefined;
  const value = byId.get(id);
  byId.delete(id);
  return { value };
}
