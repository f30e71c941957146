import type { Grant, Provider } from 'oidc-provider';
import type { ConsentDecision } from './consent.js';

/** Who consents, for which client, and what they decided. */
export interface ConsentGrantInput {
  accountId: string;
  clientId: string;
  decision: ConsentDecision;
  /** The client's current grant in this session, kept where this consent does not speak (step-up). */
  existing?: Grant;
  /** Every configured resource indicator, to carry over what `existing` granted for each. */
  knownResources: Iterable<string>;
  /** OpenID claims oidc-provider reported missing (claims parameter), granted with the consent. */
  missingClaims?: string[];
}

/**
 * Saves a new grant recording one consent and returns its id for the interaction result.
 *
 * A new grant rather than an edited one: oidc-provider's Grant can add and reject scopes but not
 * take a rejection back, so a scope declined earlier and allowed now would stay declined. What the
 * earlier grant allowed and this consent did not ask about is copied over, so a step-up that
 * requests only the missing scope keeps the rest. Declined scopes are recorded as rejected, which
 * tells oidc-provider the question was answered (it would otherwise ask again at once, in a loop);
 * the policy in consent-policy.ts asks again when a later request wants a declined scope.
 */
export async function saveConsentGrant(provider: Provider, input: ConsentGrantInput): Promise<string> {
  const { decision, existing } = input;
  const grant = new provider.Grant({ accountId: input.accountId, clientId: input.clientId });

  const keptOidc = scopes(existing?.getOIDCScope()).filter((scope) => !decision.oidc.declined.includes(scope));
  const oidcGranted = [...new Set([...keptOidc, ...decision.oidc.granted])];
  if (oidcGranted.length) grant.addOIDCScope(oidcGranted.join(' '));
  if (decision.oidc.declined.length) grant.rejectOIDCScope(decision.oidc.declined.join(' '));
  const claims = [...(existing?.getOIDCClaims() ?? []), ...(input.missingClaims ?? [])];
  if (claims.length) grant.addOIDCClaims([...new Set(claims)]);

  for (const resource of new Set([...input.knownResources, ...decision.resources.keys()])) {
    const { granted = [], declined = [] } = decision.resources.get(resource) ?? {};
    const kept = scopes(existing?.getResourceScope(resource)).filter((scope) => !declined.includes(scope));
    const all = [...new Set([...kept, ...granted])];
    if (all.length) grant.addResourceScope(resource, all.join(' '));
    if (declined.length) grant.rejectResourceScope(resource, declined.join(' '));
  }
  return grant.save();
}

function scopes(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}
