/**
 * A deliberately small cookie jar for scripted walks through the development login pages.
 *
 * Cookies are kept per origin by name; `Path` and `Domain` are ignored (every cookie of an origin
 * is sent to all of its paths), which is enough for one authorization server on 127.0.0.1.
 * A cookie set with `Max-Age<=0` or an `Expires` in the past is removed, as browsers do.
 */
export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, string>>();

  /** Records the `Set-Cookie` headers of `response`, received for a request to `url`. */
  store(url: string | URL, response: Response): void {
    const origin = new URL(url).origin;
    let cookies = this.#byOrigin.get(origin);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      cookies ??= new Map();
      this.#byOrigin.set(origin, cookies);
      if (isExpired(attributes)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  /** The `Cookie` header value for a request to `url`, or undefined when there is nothing to send. */
  header(url: string | URL): string | undefined {
    const cookies = this.#byOrigin.get(new URL(url).origin);
    if (!cookies?.size) return undefined;
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function isExpired(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'max-age' && Number(value) <= 0) return true;
    if (key === 'expires' && Date.parse(value) <= Date.now()) return true;
  }
  return false;
}
