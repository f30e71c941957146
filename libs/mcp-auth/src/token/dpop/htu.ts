const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * An `htu` (or the request's own URI) in the form compared: scheme and host lower case, default port
 * dropped, percent-encoded unreserved characters decoded and other escapes upper case (RFC 3986 §6.2.2,
 * §6.2.3, as RFC 9449 §4.3 asks), query and fragment dropped.
 *
 * @returns `undefined` when `value` is not an absolute http(s) URI.
 */
export function normalizeHtu(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = url.pathname.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
  return `${url.protocol}//${url.host}${path}`;
}
