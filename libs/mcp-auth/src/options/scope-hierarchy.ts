import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { ScopeHierarchyOption } from './mcp-auth-options.interface.js';
import { isScopeToken } from './scope-syntax.js';

/** Everything a set of granted scopes grants through a hierarchy (the granted ones included). */
export type ScopeExpansion = (granted: readonly string[]) => ReadonlySet<string>;

/** Most scopes whose implications a function hierarchy remembers (beyond, they are recomputed each time). */
const MAX_REMEMBERED = 1000;

/**
 * Resolves a `scopeHierarchy` option into the expansion the scope check applies to a token's scopes.
 *
 * - A map (`{ 'notes:admin': ['notes:write'], 'notes:write': ['notes:read'] }`) is closed transitively at
 *   boot; a cycle, or a value that is not a scope, fails the boot naming it.
 * - A function (`(scope) => scopes it directly implies`) is followed transitively on use, cycle-safe, and its
 *   answers are remembered (bounded).
 *
 * @throws McpAuthConfigurationError naming the cycle or the invalid scope.
 */
export function resolveScopeHierarchy(
  option: ScopeHierarchyOption | undefined,
  where: string,
): ScopeExpansion | undefined {
  if (option === undefined) return undefined;
  const closureOf = typeof option === 'function' ? functionClosure(option, where) : mapClosure(option, where);
  return (granted) => {
    const all = new Set(granted);
    for (const scope of granted) for (const implied of closureOf(scope)) all.add(implied);
    return all;
  };
}

function mapClosure(
  map: Readonly<Record<string, readonly string[]>>,
  where: string,
): (scope: string) => readonly string[] {
  const direct = new Map<string, readonly string[]>();
  for (const [broader, narrower] of Object.entries(map)) {
    if (!isScopeToken(broader) || !Array.isArray(narrower) || !narrower.every(isScopeToken)) {
      throw new McpAuthConfigurationError(`scopeHierarchy of ${where}: "${broader}" must map to an array of scopes`);
    }
    direct.set(broader, narrower);
  }
  const closures = new Map<string, readonly string[]>();
  const visit = (scope: string, path: string[]): readonly string[] => {
    const known = closures.get(scope);
    if (known) return known;
    if (path.includes(scope)) {
      throw new McpAuthConfigurationError(
        `scopeHierarchy of ${where} has a cycle: ${[...path.slice(path.indexOf(scope)), scope].join(' ⊇ ')}`,
      );
    }
    const implied = new Set<string>();
    for (const narrower of direct.get(scope) ?? []) {
      implied.add(narrower);
      for (const deeper of visit(narrower, [...path, scope])) implied.add(deeper);
    }
    const closure = Object.freeze([...implied]);
    closures.set(scope, closure);
    return closure;
  };
  for (const scope of direct.keys()) visit(scope, []);
  return (scope) => closures.get(scope) ?? [];
}

function functionClosure(
  implies: (scope: string) => readonly string[],
  where: string,
): (scope: string) => readonly string[] {
  const remembered = new Map<string, readonly string[]>();
  return (scope) => {
    const known = remembered.get(scope);
    if (known) return known;
    const implied = new Set<string>();
    const pending = [scope];
    // Bounded: each scope is expanded once (a cycle meets a scope already seen).
    while (pending.length > 0) {
      const current = pending.pop()!;
      for (const narrower of implies(current) ?? []) {
        if (!isScopeToken(narrower)) {
          throw new McpAuthConfigurationError(`scopeHierarchy of ${where} returned "${String(narrower)}", not a scope`);
        }
        if (narrower !== scope && !implied.has(narrower)) {
          implied.add(narrower);
          pending.push(narrower);
        }
      }
    }
    const closure = Object.freeze([...implied]);
    if (remembered.size < MAX_REMEMBERED) remembered.set(scope, closure);
    return closure;
  };
}
