/**
 * `path` without its trailing slashes (`'/'` stays `'/'`). A loop rather than `/\/+$/`: that regular
 * expression is quadratic on a long run of slashes followed by another character, and paths come from clients.
 */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** The path of a resource URL without trailing slashes, `''` for the root: what routes and metadata URLs use. */
export function resourcePathOf(url: URL): string {
  return url.pathname === '/' ? '' : trimTrailingSlashes(url.pathname);
}
