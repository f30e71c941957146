import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, InteractionResult, Provider } from 'oidc-provider';
import { renderDevLoginPage } from './dev-login-page.js';
import { errorPage } from './provider-config.js';
import type { DevResource, DevUser } from './types.js';

/** What the interaction routes need from the server. */
export interface DevLoginContext {
  provider: Provider;
  users: readonly DevUser[];
  resources: ReadonlyMap<string, DevResource>;
}

/** OpenID scopes oidc-provider tracks separately from resource scopes in a grant. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);
const MAX_FORM_BYTES = 16 * 1024;

/**
 * Handles `GET` and `POST /interaction/:uid`, the development login + consent step.
 *
 * GET renders a form with the first user pre-filled. POST signs that user in (no password: this
 * is a development server) and grants every requested scope the resource allows, in one step, so
 * both people and scripted clients (see `completeDevLogin`) get through with a single submission.
 */
export async function handleDevInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  context: DevLoginContext,
): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return send(res, 405, errorPage('method_not_allowed', 'Use GET or POST.'), { Allow: 'GET, POST' });
    }
    const details = await context.provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      return send(
        res,
        400,
        errorPage('invalid_request', 'This sign-in page belongs to another authorization request.'),
      );
    }
    if (req.method === 'GET') return await showPage(res, details, context);
    return await submit(req, res, details, context);
  } catch (error) {
    const oauthError = error as { error?: unknown; error_description?: unknown; statusCode?: unknown };
    if (typeof oauthError.error === 'string') {
      // oidc-provider errors (e.g. an expired interaction or missing cookie) are safe to show.
      const status = typeof oauthError.statusCode === 'number' ? oauthError.statusCode : 400;
      return send(res, status, errorPage(oauthError.error, String(oauthError.error_description ?? '')));
    }
    console.error(`[dev-auth-server] interaction failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    return send(res, 500, errorPage('server_error', 'The sign-in step failed.'));
  }
}

async function showPage(
  res: ServerResponse,
  details: InteractionDetails,
  context: DevLoginContext,
  error?: string,
  status = 200,
): Promise<void> {
  const clientId = String(details.params.client_id ?? '');
  const client = await context.provider.Client.find(clientId);
  const requested = requestedScopes(details);
  const resources = requestedResources(details);
  const needsLogin = details.prompt.name === 'login' || !details.session;
  const html = renderDevLoginPage({
    uid: details.uid,
    client: client?.clientName ?? clientId,
    resources,
    requestedScopes: requested,
    grantableScopes: [...new Set(resources.flatMap((resource) => grantableFor(resource, requested, context)))],
    loginHint: needsLogin ? (context.users[0]?.id ?? '') : undefined,
    signedInAs: details.session?.accountId,
    knownUsers: [...context.users],
    error,
  });
  return send(res, status, html);
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

  const needsLogin = details.prompt.name === 'login' || !details.session;
  let accountId: string;
  if (needsLogin) {
    const login = (form.get('login') ?? '').trim();
    if (!context.users.some((user) => user.id === login)) {
      return showPage(res, details, context, 'Unknown user.', 400);
    }
    accountId = login;
  } else {
    accountId = details.session!.accountId;
  }

  const { Grant } = context.provider;
  const clientId = String(details.params.client_id ?? '');
  // A fresh login starts a fresh grant; a consent-only step (e.g. step-up) extends the existing one.
  const existing = !needsLogin && details.grantId ? await Grant.find(details.grantId) : undefined;
  const grant = existing ?? new Grant({ accountId, clientId });

  const requested = requestedScopes(details);
  const oidcScopes = requested.filter((scope) => OIDC_SCOPES.has(scope));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  const missingClaims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(missingClaims) && missingClaims.length) grant.addOIDCClaims(missingClaims.map(String));
  for (const resource of requestedResources(details)) {
    const scopes = grantableFor(resource, requested, context);
    if (scopes.length) grant.addResourceScope(resource, scopes.join(' '));
  }

  const result: InteractionResult = { consent: { grantId: await grant.save() } };
  if (needsLogin) result.login = { accountId };
  return context.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

function requestedScopes(details: InteractionDetails): string[] {
  const scope = details.params.scope;
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : [];
}

function requestedResources(details: InteractionDetails): string[] {
  // oidc-provider has already applied the default resource to the stored parameters.
  const resource = details.params.resource;
  if (typeof resource === 'string') return [resource];
  return Array.isArray(resource) ? resource.map(String) : [];
}

/** Requested scopes the resource allows: nothing outside the resource's list is ever granted. */
function grantableFor(resource: string, requested: string[], context: DevLoginContext): string[] {
  const allowed = new Set(context.resources.get(resource)?.scopes ?? []);
  return requested.filter((scope) => allowed.has(scope));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES)
      throw Object.assign(new Error('form too large'), {
        error: 'invalid_request',
        error_description: 'Form too large.',
        statusCode: 413,
      });
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // A consent page must not be framed (clickjacking) and needs no scripts or external resources.
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(html);
}
