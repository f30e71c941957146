import { escapeHtml } from './html.js';

/** What the development login/consent page shows. */
export interface DevLoginPageModel {
  /** Interaction id; the form posts back to `/interaction/<uid>`. */
  uid: string;
  /** Client name, or its id when it registered none. */
  client: string;
  /** Resource indicators the client asked for. */
  resources: string[];
  /** Scopes the client asked for. */
  requestedScopes: string[];
  /** Scopes that will be granted (requested and allowed by the resource). */
  grantableScopes: string[];
  /** Pre-filled user id when a login is needed; undefined when the user is already signed in. */
  loginHint?: string;
  /** The signed-in account when only consent is needed. */
  signedInAs?: string;
  /** Users the server knows, listed as a hint. */
  knownUsers: Array<{ id: string; name: string }>;
  /** Message shown above the form after a failed submission. */
  error?: string;
}

const list = (values: string[]) => (values.length ? values.map(escapeHtml).join(' ') : '(none)');

/**
 * Renders the single development login + consent page. Deliberately tiny: a form with the user
 * pre-filled and an allow/deny choice. Every interpolated value is escaped.
 */
export function renderDevLoginPage(model: DevLoginPageModel): string {
  const action = `/interaction/${encodeURIComponent(model.uid)}`;
  const who =
    model.loginHint !== undefined
      ? `<p><label>User <input name="login" value="${escapeHtml(model.loginHint)}" autocomplete="username" required></label></p>`
      : `<p>Signed in as <strong>${escapeHtml(model.signedInAs ?? '')}</strong></p>`;
  const users = model.knownUsers.map((user) => `${escapeHtml(user.id)} (${escapeHtml(user.name)})`).join(', ');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development sign-in</title></head><body>',
    '<h1>Development sign-in</h1>',
    `<p><strong>${escapeHtml(model.client)}</strong> asks for access to <code>${list(model.resources)}</code>.</p>`,
    `<p>Requested scopes: <code>${list(model.requestedScopes)}</code><br>`,
    `Scopes that will be granted: <code>${list(model.grantableScopes)}</code></p>`,
    model.error ? `<p role="alert"><strong>${escapeHtml(model.error)}</strong></p>` : '',
    `<form method="post" action="${escapeHtml(action)}">`,
    who,
    '<button type="submit" name="decision" value="allow">Sign in and allow</button> ',
    '<button type="submit" name="decision" value="deny">Deny</button>',
    '</form>',
    `<p><small>Development server: no password is checked. Users: ${users}.</small></p>`,
    '</body></html>',
  ].join('\n');
}
