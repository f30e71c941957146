import { CookieJar } from './cookie-jar.js';

/** Options of {@link completeDevLogin}. */
export interface CompleteDevLoginOptions {
  /** User typed into the sign-in form (id or display name). Default: whatever the page pre-fills. */
  user?: string;
  /** Scopes to uncheck on the consent page, i.e. to decline. Default: grant every scope offered. */
  uncheck?: readonly string[];
  /**
   * Cookie jar standing in for the browser. Pass the same jar across calls to keep the
   * authorization server session, so a later step-up only needs consent. Default: a new jar.
   */
  cookieJar?: CookieJar;
  /** Most HTTP requests to make before giving up. Default 10. */
  maxRequests?: number;
  /** Fetch implementation. Default: the global fetch. */
  fetch?: (url: string | URL, init?: RequestInit) => Promise<Response>;
  /** Called with the redirect to the client (all its parameters, e.g. RFC 9207 `iss`) before the code is read. */
  onCallback?: (callback: URL) => void;
}

/** The authorization server answered the client with an error instead of a code. */
export class DevLoginError extends Error {
  constructor(
    readonly error: string,
    readonly errorDescription?: string,
  ) {
    super(errorDescription ? `${error}: ${errorDescription}` : error);
    this.name = 'DevLoginError';
  }
}

type Step = { url: URL; method: 'GET' } | { url: URL; method: 'POST'; body: URLSearchParams };

/**
 * Plays the browser for the development authorization server: opens `authorizationUrl`, follows
 * redirects by hand with a cookie jar, submits the login/consent form, and returns the
 * authorization code from the final redirect to the client's `redirect_uri`.
 *
 * Nothing needs to listen on the redirect URI: the code is read from the `Location` header. The
 * `state` sent in the authorization request must come back unchanged (CSRF protection).
 */
export async function completeDevLogin(
  authorizationUrl: string | URL,
  options: CompleteDevLoginOptions = {},
): Promise<string> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error('completeDevLogin: the authorization URL has no redirect_uri');
  const expectedState = start.searchParams.get('state');
  const jar = options.cookieJar ?? new CookieJar();
  const fetchFn = options.fetch ?? fetch;
  const maxRequests = options.maxRequests ?? 10;

  let step: Step = { url: start, method: 'GET' };
  for (let request = 0; request < maxRequests; request++) {
    const headers = new Headers();
    const cookie = jar.header(step.url);
    if (cookie) headers.set('Cookie', cookie);
    if (step.method === 'POST') headers.set('Content-Type', 'application/x-www-form-urlencoded');
    const response = await fetchFn(step.url, {
      method: step.method,
      headers,
      body: step.method === 'POST' ? step.body.toString() : undefined,
      redirect: 'manual',
    });
    jar.store(step.url, response);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const target = new URL(location, step.url);
      if (isRedirectUri(target, redirectUri)) {
        options.onCallback?.(target);
        return readCode(target, expectedState);
      }
      step = { url: target, method: 'GET' };
      continue;
    }

    const html = await response.text();
    if (!response.ok) {
      throw new Error(
        `completeDevLogin: ${step.method} ${step.url.pathname} answered ${response.status}: ${pageMessage(html)}`,
      );
    }
    const form = parseForm(html, step.url);
    if (!form) throw new Error(`completeDevLogin: no login form at ${step.url.pathname}`);
    if (options.user !== undefined) form.fields.set('login', options.user);
    for (const scope of options.uncheck ?? []) form.fields.delete('scope', scope);
    form.fields.set('decision', 'allow');
    step = { url: form.action, method: 'POST', body: form.fields };
  }
  throw new Error(`completeDevLogin: no authorization code after ${maxRequests} requests`);
}

function isRedirectUri(target: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  return target.origin === expected.origin && target.pathname === expected.pathname;
}

function readCode(target: URL, expectedState: string | null): string {
  const params = target.searchParams;
  if (params.get('state') !== expectedState) {
    throw new Error('completeDevLogin: the state returned by the authorization server does not match');
  }
  const error = params.get('error');
  if (error) throw new DevLoginError(error, params.get('error_description') ?? undefined);
  const code = params.get('code');
  if (!code) throw new Error('completeDevLogin: the redirect carries neither a code nor an error');
  return code;
}

/**
 * Reads the first `<form>` of the development login page: its action and the values a browser
 * would submit (checked boxes only, several values per name, nothing from disabled inputs).
 */
function parseForm(html: string, base: URL): { action: URL; fields: URLSearchParams } | undefined {
  const form = /<form\b[^>]*>/i.exec(html);
  if (!form) return undefined;
  const action = attribute(form[0], 'action') ?? base.pathname;
  const fields = new URLSearchParams();
  for (const [input] of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input, 'name');
    if (!name || flag(input, 'disabled')) continue;
    const type = attribute(input, 'type')?.toLowerCase();
    if ((type === 'checkbox' || type === 'radio') && !flag(input, 'checked')) continue;
    fields.append(name, attribute(input, 'value') ?? (type === 'checkbox' ? 'on' : ''));
  }
  return { action: new URL(action, base), fields };
}

/** Whether a boolean attribute (`checked`, `disabled`) is present on the tag. */
function flag(tag: string, name: string): boolean {
  return new RegExp(`\\s${name}(?=[\\s>=/])`, 'i').test(tag);
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? unescapeHtml(match[1]!) : undefined;
}

/** The alert (form error) or else the heading and first paragraph of a page, as plain text. */
function pageMessage(html: string): string {
  const alertPattern = /<p\b[^>]*\srole="alert"[^>]*>([\s\S]*?)<\/p>/i;
  const patterns = alertPattern.test(html)
    ? [alertPattern]
    : [/<h1[^>]*>([\s\S]*?)<\/h1>/i, /<p[^>]*>([\s\S]*?)<\/p>/i];
  const text = patterns
    .map((pattern) =>
      pattern
        .exec(html)?.[1]
        ?.replace(/<[^>]+>/g, '')
        .trim(),
    )
    .filter(Boolean)
    .join(': ');
  return unescapeHtml(text).slice(0, 300) || 'no details';
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
