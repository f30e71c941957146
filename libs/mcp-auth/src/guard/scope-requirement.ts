import type { AuthInfo } from '../auth/auth-info.interface.js';
import { grants } from '../auth/request-grants.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { isScopeToken, NO_SCOPES } from '../options/scope-syntax.js';

/**
 * Scopes a call needs beyond the fixed ones, from its arguments (an MCP tool's or prompt's validated
 * arguments, a resource template's variables, a route's `{ params, query, body }`) and the verified token.
 *
 * @example
 * ```ts
 * @RequireScopes('repo:read', (args: { visibility: string }) => (args.visibility === 'private' ? ['repo:private'] : []))
 * ```
 */
// `never`: any function of typed arguments fits (parameters are contravariant); it is called with the real ones.
export type ScopeFunction = (args: never, auth: AuthInfo) => string | readonly string[] | undefined;

/** Something that needs scopes: a route, an MCP primitive (tool, resource, template, prompt), a completion. */
export interface ScopeRequirement {
  /** `@RequireScopes` of the class and the method, merged: the fixed scopes. */
  readonly requiredScopes: readonly string[];
  /** `@RequireScopes` functions of the class and the method: scopes that depend on the call. */
  readonly computedScopes?: readonly ScopeFunction[];
}

/** The outcome of {@link checkScopes}: what the operation needs, and what of that the token lacks. */
export interface ScopeCheck {
  /** Every scope the operation needs: what a 403 challenge names. */
  readonly required: readonly string[];
  /** The needed scopes the token does not carry; empty when it may proceed. */
  readonly missing: readonly string[];
}

const NOTHING_REQUIRED: ScopeCheck = Object.freeze({ required: NO_SCOPES, missing: NO_SCOPES });

/** Splits what `@RequireScopes` declared (scopes and functions, class and method merged) into a requirement. */
export function toRequirement(declared: readonly (string | ScopeFunction)[]): ScopeRequirement {
  const scopes = declared.filter((entry): entry is string => typeof entry === 'string');
  const functions = declared.filter((entry): entry is ScopeFunction => typeof entry === 'function');
  return {
    requiredScopes: Object.freeze([...new Set(scopes)]),
    ...(functions.length > 0 && { computedScopes: Object.freeze(functions) }),
  };
}

/** One requirement that needs everything each of `requirements` needs (a completion: its target's and its own). */
export function mergeRequirements(...requirements: ScopeRequirement[]): ScopeRequirement {
  const functions = requirements.flatMap((requirement) => requirement.computedScopes ?? []);
  return {
    requiredScopes: Object.freeze([...new Set(requirements.flatMap((requirement) => requirement.requiredScopes))]),
    ...(functions.length > 0 && { computedScopes: Object.freeze(functions) }),
  };
}

/**
 * THE decision whether a token may use something. The guard (before a request reaches its handler), list
 * filtering (`mcp.hideUnauthorized`) and the handlers' own defensive check all call this one function, so they
 * can never disagree.
 *
 * - The token's scopes count with everything they imply through the resource's `scopeHierarchy` (attached to
 *   the request's `AuthInfo` when it was verified): `notes:admin` satisfies `notes:write`.
 * - Scope functions run when the call's arguments are known (`args`, already validated) and a token is
 *   there; without them (a list, a 401 challenge) only the fixed scopes count.
 *
 * @param requirement what is being used
 * @param auth the verified token (`undefined`: none, e.g. to name what a 401 challenge should ask for)
 * @param args the arguments of the call, when known
 * @throws McpAuthConfigurationError when a scope function throws or returns something that is not scopes
 */
export function checkScopes(requirement: ScopeRequirement, auth: AuthInfo | undefined, args?: unknown): ScopeCheck {
  const required = requiredScopes(requirement, auth, args);
  if (required.length === 0) return NOTHING_REQUIRED;
  let missing: string[] | undefined;
  for (const scope of required) {
    if (auth === undefined || !grants(auth, scope)) {
      missing ??= [];
      missing.push(scope);
    }
  }
  return { required, missing: missing ?? NO_SCOPES };
}

/** `checkScopes(...).missing.length === 0`, for filters. */
export function isAllowed(requirement: ScopeRequirement, auth: AuthInfo | undefined, args?: unknown): boolean {
  return checkScopes(requirement, auth, args).missing.length === 0;
}

function requiredScopes(requirement: ScopeRequirement, auth: AuthInfo | undefined, args: unknown): readonly string[] {
  const functions = requirement.computedScopes;
  if (functions === undefined || auth === undefined || args === undefined) return requirement.requiredScopes;
  const scopes = new Set(requirement.requiredScopes);
  for (const compute of functions) {
    let computed: ReturnType<ScopeFunction>;
    try {
      computed = compute(args as never, auth);
    } catch (error) {
      throw new McpAuthConfigurationError(`A @RequireScopes function threw: ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    }
    for (const scope of computed === undefined ? [] : typeof computed === 'string' ? [computed] : computed) {
      if (!isScopeToken(scope)) {
        throw new McpAuthConfigurationError(`A @RequireScopes function returned "${String(scope)}", not a scope`);
      }
      scopes.add(scope);
    }
  }
  return [...scopes];
}
