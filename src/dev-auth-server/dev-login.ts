import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, InteractionResult, Provider } from 'oidc-provider';
import { findDevUser } from './accounts.js';
import { decideConsent, offerScopes, type ConsentOffer } from './consent.js';
import { saveConsentGrant } from './consent-grant.js';
import { renderDevLoginPage } from './dev-login-page.js';
import { readForm, sendPage } from './http-page.js';
import { errorPage } from './provider-config.js';
import type { DevResource, DevUser } from './types.js';

/** What the interaction routes need from the server. */
export interface DevLoginContext {
  provider: Provider;
  users: readonly DevUser[];
  resources: ReadonlyMap<string, DevResource>;
}

/** What the user submitted, shown again when the submission is refused (nothing they typed is lost). */
interface Submitted {
  error: string;
  typed: string;
  checked: ReadonlySet<string>;
}

/**
 * Handles `GET` and `POST /interaction/:uid`, the development sign-in + consent step.
 *
 * GET renders the page: a sign-in (user id or display name, no password) when needed, and one
 * pre-checked box per requested scope. POST with `decision=deny` answers the client
 * `access_denied`; otherwise it signs the user in if needed and grants the checked scopes, in one
 * step, so people and scripted clients (see `completeDevLogin`) get through with one submission.
 */
export async function handleDevInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  context: DevLoginContext,
): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendPage(res, 405, { html: errorPage('method_not_allowed', 'Use GET or POST.') }, { Allow: 'GET, POST' });
    }
    const details = await context.provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      const html = errorPage('invalid_request', 'This sign-in page belongs to another authorization request.');
      return sendPage(res, 400, { html });
    }
    if (req.method === 'GET') return await showPage(res, details, context);
    return await submit(req, res, details, context);
  } catch (error) {
    const oauthError = error as { error?: unknown; error_description?: unknown; statusCode?: unknown };
    if (typeof oauthError.error === 'string') {
      // oidc-provider errors (e.g. an expired interaction or missing cookie) are safe to show.
      const status = typeof oauthError.statusCode === 'number' ? oauthError.statusCode : 400;
      return sendPage(res, status, { html: errorPage(oauthError.error, String(oauthError.error_description ?? '')) });
    }
    console.error(`[dev-auth-server] interaction failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    return sendPage(res, 500, { html: errorPage('server_error', 'The sign-in step failed.') });
  }
}

async function showPage(
  res: ServerResponse,
  details: InteractionDetails,
  context: DevLoginContext,
  submitted?: Submitted,
): Promise<void> {
  const clientId = String(details.params.client_id ?? '');
  const client = await context.provider.Client.find(clientId);
  const offer = offerFor(details, context);
  const accountId = details.session?.accountId;
  const page = renderDevLoginPage({
    uid: details.uid,
    client: client?.clientName ?? clientId,
    resources: requestedResources(details).map((indicator) => ({
      indicator,
      name: context.resources.get(indicator)?.name,
    })),
    offer,
    checked: submitted?.checked ?? new Set(offer.offered.map((row) => row.scope)),
    signIn: needsLogin(details) ? { value: submitted?.typed ?? context.users[0]?.id ?? '' } : undefined,
    signedInAs: accountId
      ? (context.users.find((user) => user.id === accountId) ?? { id: accountId, name: accountId })
      : undefined,
    users: context.users,
    error: submitted?.error,
  });
  return sendPage(res, submitted ? 400 : 200, page);
}

async function submit(
  req: IncomingMessage,
  res: ServerResponse,
  details: InteractionDetails,
  context: DevLoginContext,
): Promise<void> {
  const form = await readForm(req);
  if (form.get('decision') === 'deny') {
    return context.provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user denied the request' },
      { mergeWithLastSubmission: false },
    );
  }

  const checked = new Set(form.getAll('scope'));
  const login = needsLogin(details);
  let accountId = details.session?.accountId ?? '';
  if (login) {
    const typed = form.get('login') ?? '';
    const user = findDevUser(context.users, typed);
    if (!user) {
      const known = context.users.map((entry) => `${entry.id} or ${entry.name}`).join('; ');
      const error = `Unknown user "${typed.trim().slice(0, 100)}". Type ${known}.`;
      return showPage(res, details, context, { error, typed, checked });
    }
    accountId = user.id;
  }

  // A fresh sign-in starts from nothing; a consent-only step (e.g. step-up) builds on the grant
  // this session already holds for the client.
  const existing = !login && details.grantId ? await context.provider.Grant.find(details.grantId) : undefined;
  const missingClaims = details.prompt.details.missingOIDCClaims;
  const grantId = await saveConsentGrant(context.provider, {
    accountId,
    clientId: String(details.params.client_id ?? ''),
    decision: decideConsent(offerFor(details, context), checked),
    existing,
    knownResources: context.resources.keys(),
    missingClaims: Array.isArray(missingClaims) ? missingClaims.map(String) : undefined,
  });

  const result: InteractionResult = { consent: { grantId } };
  if (login) result.login = { accountId };
  return context.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

function needsLogin(details: InteractionDetails): boolean {
  return details.prompt.name === 'login' || !details.session;
}

function offerFor(details: InteractionDetails, context: DevLoginContext): ConsentOffer {
  const scope = details.params.scope;
  const requested = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return offerScopes(requested, requestedResources(details), context.resources);
}

function requestedResources(details: InteractionDetails): string[] {
  // oidc-provider has already applied the default resource to the stored parameters.
  const resource = details.params.resource;
  if (typeof resource === 'string') return [resource];
  return Array.isArray(resource) ? resource.map(String) : [];
}
