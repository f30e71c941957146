import type { DevResource } from './types.js';

/**
 * The OpenID Connect scopes oidc-provider itself knows (its default `scopes`), described in words.
 * They belong to the authorization server, not to a resource, so their descriptions live here;
 * resource scopes are described by the resource's own `scopeDescriptions`.
 */
export const OIDC_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Tell the client who you are (OpenID Connect sign-in)',
  offline_access: 'Stay connected: the client gets a refresh token to renew its access without asking you again',
};

/** One scope row of the consent page. */
export interface OfferedScope {
  scope: string;
  /** Words for the user; undefined when the configuration has none. */
  description?: string;
  /** Resources this scope is granted for; empty for the server's own OpenID scopes. */
  resources: string[];
  /**
   * `openid` cannot be declined: oidc-provider keeps it in a grant even when rejected, so the page
   * shows it fixed rather than offering a checkbox that would change nothing.
   */
  fixed: boolean;
}

/** What the consent page offers for one authorization request. */
export interface ConsentOffer {
  offered: OfferedScope[];
  /** Requested scopes that no requested resource accepts: never granted, listed so the page is honest. */
  unavailable: string[];
}

/** What the user chose: granted and declined scopes, for the OpenID part and per resource. */
export interface ConsentDecision {
  oidc: { granted: string[]; declined: string[] };
  resources: Map<string, { granted: string[]; declined: string[] }>;
}

/**
 * Sorts the requested scopes into what can be granted (OpenID scopes oidc-provider kept in the
 * request, and scopes a requested resource accepts) and what cannot. oidc-provider has already
 * dropped `offline_access` from the request unless the client may use refresh tokens and asked
 * with `prompt=consent`, so it is offered exactly when it can be granted.
 *
 * @example offerScopes(['notes:read', 'x'], [NOTES], resources) // offers notes:read, x unavailable
 */
export function offerScopes(
  requested: readonly string[],
  resources: readonly string[],
  configured: ReadonlyMap<string, DevResource>,
): ConsentOffer {
  const offered: OfferedScope[] = [];
  const unavailable: string[] = [];
  for (const scope of new Set(requested)) {
    if (Object.hasOwn(OIDC_SCOPE_DESCRIPTIONS, scope)) {
      offered.push({ scope, description: OIDC_SCOPE_DESCRIPTIONS[scope], resources: [], fixed: scope === 'openid' });
      continue;
    }
    const accepting = resources.filter((resource) => configured.get(resource)?.scopes.includes(scope));
    if (!accepting.length) {
      unavailable.push(scope);
      continue;
    }
    const description = accepting
      .map((resource) => configured.get(resource)?.scopeDescriptions?.[scope])
      .find((text) => text !== undefined);
    offered.push({ scope, description, resources: accepting, fixed: false });
  }
  return { offered, unavailable };
}

/**
 * Applies the checkboxes: an offered scope is granted when it is checked (or fixed) and declined
 * otherwise. Anything checked that was not offered is ignored, so a crafted form grants nothing more.
 */
export function decideConsent(offer: ConsentOffer, checked: ReadonlySet<string>): ConsentDecision {
  const decision: ConsentDecision = { oidc: { granted: [], declined: [] }, resources: new Map() };
  for (const { scope, resources, fixed } of offer.offered) {
    const outcome = fixed || checked.has(scope) ? 'granted' : 'declined';
    if (!resources.length) decision.oidc[outcome].push(scope);
    for (const resource of resources) {
      const entry = decision.resources.get(resource) ?? { granted: [], declined: [] };
      entry[outcome].push(scope);
      decision.resources.set(resource, entry);
    }
  }
  return decision;
}
