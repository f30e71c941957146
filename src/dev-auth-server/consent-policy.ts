import type { InteractionPolicyModule, PolicyContext } from 'oidc-provider';

/**
 * oidc-provider's default interaction policy plus one consent check: a request for a scope the
 * user declined earlier (an unchecked box on the consent page) shows the consent page again.
 *
 * oidc-provider's own checks count a declined scope as "answered" and would issue the next token
 * without it, silently: a client stepping up after a 403 `insufficient_scope` would get the same
 * token forever. Asking again is what lets anyone try the step-up from a real client: uncheck a
 * scope, call a tool that needs it, get the 403, and allow it on the page that follows.
 *
 * @param policyModule oidc-provider's `interactionPolicy` export (the module is loaded lazily).
 */
export function buildInteractionPolicy(policyModule: InteractionPolicyModule): unknown[] {
  const { base, Check } = policyModule;
  const policy = base();
  const check = new Check(
    'declined_scopes_requested',
    'scopes the user declined earlier are requested again',
    'consent_required',
    (ctx: PolicyContext) => {
      const { oidc } = ctx;
      // On the way back from the consent page the user has just answered: do not ask twice.
      if (oidc.result?.consent) return Check.NO_NEED_TO_PROMPT;
      const requested = oidc.requestParamScopes;
      const declined = [
        oidc.grant?.getRejectedOIDCScope(),
        ...Object.keys(oidc.resourceServers ?? {}).map((resource) => oidc.grant?.getRejectedResourceScope(resource)),
      ].flatMap((scopes) => (scopes ?? '').split(' '));
      return declined.some((scope) => scope && requested.has(scope)) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    },
  );
  policy.get('consent')!.checks.add(check);
  return policy;
}
