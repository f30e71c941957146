import type { ConsentOffer } from './consent.js';
import { devLoginStyles } from './dev-login-style.js';
import { escapeHtml } from './html.js';
import type { DevUser } from './types.js';

/** What the development sign-in and consent page shows. */
export interface DevLoginPageModel {
  /** Interaction id; the form posts back to `/interaction/<uid>`. */
  uid: string;
  /** Client name, or its id when it registered none. */
  client: string;
  /** Resources the client asks for, with their configured names. */
  resources: Array<{ indicator: string; name?: string }>;
  /** Scopes offered (one row each) and requested scopes that cannot be granted. */
  offer: ConsentOffer;
  /** Offered scopes whose box is checked: all on first display, the user's choice after an error. */
  checked: ReadonlySet<string>;
  /** Set when a sign-in is needed: what the user field holds. */
  signIn?: { value: string };
  /** The signed-in user when only consent is needed. */
  signedInAs?: DevUser;
  /** Users the server knows, offered in the user field and named in the hint. */
  users: readonly DevUser[];
  /** Message shown above the form after a failed submission. */
  error?: string;
}

/** A rendered page and the inline style sheet it carries (the CSP must allow exactly that one). */
export interface RenderedPage {
  html: string;
  css: string;
}

/**
 * Renders the development sign-in + consent page: who asks for what, one pre-checked box per scope
 * (unchecking grants less), the list of what will be granted, the user field (id or display name)
 * when a sign-in is needed, and Allow / Deny. Self-contained: inline CSS, no script, no external
 * resource. Every interpolated value is escaped.
 */
export function renderDevLoginPage(model: DevLoginPageModel): RenderedPage {
  const { offer, signIn } = model;
  const css = devLoginStyles(offer.offered.flatMap((row, index) => (row.fixed ? [] : [index])));
  const title = signIn ? 'Sign in and allow access' : 'Allow access?';
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${title} · development sign-in</title><style>${css}</style></head><body><main>`,
    '<span class="badge">Development authorization server</span>',
    `<h1>${title}</h1>`,
    `<p class="lead"><strong>${escapeHtml(model.client)}</strong> asks for access to</p>`,
    resources(model.resources),
    model.error ? `<p class="alert" role="alert">${escapeHtml(model.error)}</p>` : '',
    `<form method="post" action="/interaction/${escapeHtml(encodeURIComponent(model.uid))}">`,
    scopeRows(offer, model.checked),
    grantedSummary(offer),
    signIn ? userField(signIn.value, model.users) : signedIn(model.signedInAs),
    '<div class="actions">',
    `<button class="primary" type="submit" name="decision" value="allow">${signIn ? 'Sign in and allow' : 'Allow'}</button>`,
    '<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>',
    '</div></form></main></body></html>',
  ].join('\n');
  return { html, css };
}

function resources(list: DevLoginPageModel['resources']): string {
  const items = list.map(({ indicator, name }) => {
    const url = `<code>${escapeHtml(indicator)}</code>`;
    return `<li>${name ? `<strong>${escapeHtml(name)}</strong>` : ''}${url}</li>`;
  });
  return `<ul class="resources">${items.length ? items.join('') : '<li>this server</li>'}</ul>`;
}

function scopeRows(offer: ConsentOffer, checked: ReadonlySet<string>): string {
  const rows = offer.offered.map(({ scope, description, fixed }, index) => {
    const text = (note = '') =>
      `<span><code>${escapeHtml(scope)}</code>${description ? `<small>${escapeHtml(description)}</small>` : ''}${note}</span>`;
    if (fixed) {
      // Shown, not offered: oidc-provider always keeps openid once asked (see consent.ts).
      const box = `<input type="checkbox" checked disabled aria-label="${escapeHtml(scope)}">`;
      return `<div class="scope">${box}${text('<small>Always granted when asked.</small>')}</div>`;
    }
    const box = `<input type="checkbox" id="scope-${index}" name="scope" value="${escapeHtml(scope)}"${checked.has(scope) ? ' checked' : ''}>`;
    return `<label class="scope" for="scope-${index}">${box}${text()}</label>`;
  });
  const unavailable = offer.unavailable.length
    ? `<p class="muted">Also asked for, but not offered by this server: ${offer.unavailable.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ')}</p>`
    : '';
  if (!rows.length) return `<p>It asks for no particular scope.</p>${unavailable}`;
  return [
    '<fieldset><legend>Requested permissions</legend>',
    ...rows,
    '</fieldset>',
    '<p class="muted">Uncheck a permission to grant less. A tool that needs it then answers 403 and the client asks again (step-up).</p>',
    unavailable,
  ].join('\n');
}

/** "Will be granted": every offered scope, each hidden by CSS while its box is unchecked. */
function grantedSummary(offer: ConsentOffer): string {
  const chips = offer.offered.map(({ scope, fixed }, index) =>
    fixed ? `<code>${escapeHtml(scope)}</code>` : `<code class="g-${index}">${escapeHtml(scope)}</code>`,
  );
  return `<p class="granted">Will be granted: ${chips.join(' ')}<span class="nothing">no scopes</span></p>`;
}

function userField(value: string, users: readonly DevUser[]): string {
  const options = users.map((user) => `<option value="${escapeHtml(user.id)}">${escapeHtml(user.name)}</option>`);
  const names = users.map((user) => `<code>${escapeHtml(user.id)}</code> or <code>${escapeHtml(user.name)}</code>`);
  return [
    '<label class="field">User',
    `<input name="login" value="${escapeHtml(value)}" list="dev-users" autocomplete="username" required></label>`,
    `<datalist id="dev-users">${options.join('')}</datalist>`,
    `<p class="muted">Type ${names.join('; ')}. No password: this is a development server.</p>`,
  ].join('\n');
}

function signedIn(user: DevUser | undefined): string {
  if (!user) return '';
  return `<p>Signed in as <strong>${escapeHtml(user.name)}</strong> (<code>${escapeHtml(user.id)}</code>).</p>`;
}
