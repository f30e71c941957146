import type { AuthInfo } from '../auth/auth-info.interface.js';

/** Something that needs scopes: a route, an MCP primitive (tool, resource, template, prompt), a completion. */
export interface ScopeRequirement {
  /** `@RequireScopes` of the class and the method, merged. */
  readonly requiredScopes: readonly string[];
}

/** The outcome of {@link checkScopes}: what the operation needs, and what of that the token lacks. */
export interface ScopeCheck {
  /** Every scope the operation needs: what a 403 challenge names. */
  readonly required: readonly string[];
  /** The needed scopes the token does not carry; empty when it may proceed. */
  readonly missing: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);
const NOTHING_REQUIRED: ScopeCheck = Object.freeze({ required: NONE, missing: NONE });

/**
 * THE decision whether a token may use something. The guard (before a request reaches its handler), list
 * filtering (`mcp.hideUnauthorized`) and the handlers' own defensive check all call this one function, so they
 * can never disagree; scope hierarchies and argument-dependent scopes belong here.
 *
 * @param requirement what is being used
 * @param auth the verified token (`undefined`: none, e.g. to name what a 401 challenge should ask for)
 * @param _args the arguments of the call, when known (reserved for argument-dependent requirements)
 */
export function checkScopes(requirement: ScopeRequirement, auth: AuthInfo | undefined, _args?: unknown): ScopeCheck {
  const required = requirement.requiredScopes;
  if (required.length === 0) return NOTHING_REQUIRED;
  const granted = auth?.scopes;
  let missing: string[] | undefined;
  for (const scope of required) {
    if (granted === undefined || !granted.includes(scope)) {
      missing ??= [];
      missing.push(scope);
    }
  }
  return { required, missing: missing ?? NONE };
}

/** `checkScopes(...).missing.length === 0`, for filters. */
export function isAllowed(requirement: ScopeRequirement, auth: AuthInfo | undefined, args?: unknown): boolean {
  return checkScopes(requirement, auth, args).missing.length === 0;
}
