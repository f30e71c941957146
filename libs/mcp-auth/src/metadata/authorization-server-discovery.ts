import { AuthorizationServerDiscoveryError } from '../errors/mcp-auth.errors.js';
import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import { DEFAULT_MAX_JSON_BYTES, FetchJsonError, fetchJson } from '../token/fetch-json.js';

const OAUTH_WELL_KNOWN = '/.well-known/oauth-authorization-server';
const OIDC_WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * The metadata URLs to try for an issuer, in order.
 *
 * RFC 8414 §3.1 inserts the well-known segment between host and path; OpenID Connect Discovery appends it
 * to the path, and many providers also answer the RFC 8414-style inserted form. With a path
 * (`https://as/tenant`), `oauth` gives: inserted OAuth, inserted OIDC, appended OIDC; `oidc` gives the
 * reverse (appended OIDC, inserted OIDC, inserted OAuth). Without a path: OAuth then OIDC, or the reverse.
 * A terminating `/` is removed first (RFC 8414 §3.1), so `https://x.auth0.com/` has no path.
 *
 * @throws AuthorizationServerDiscoveryError when the issuer is not an http(s) URL without query or fragment
 *   (RFC 8414 §2).
 */
export function discoveryUrls(issuer: string, type: 'oauth' | 'oidc'): string[] {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch (error) {
    throw new AuthorizationServerDiscoveryError(issuer, `Authorization server issuer "${issuer}" is not a URL`, {
      cause: error,
    });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || issuer.includes('#')) {
    throw new AuthorizationServerDiscoveryError(
      issuer,
      `Authorization server issuer "${issuer}" must be an http(s) URL without query or fragment (RFC 8414 §2)`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  if (path === '') {
    const urls = [origin + OAUTH_WELL_KNOWN, origin + OIDC_WELL_KNOWN];
    return type === 'oidc' ? urls.reverse() : urls;
  }
  const urls = [origin + OAUTH_WELL_KNOWN + path, origin + OIDC_WELL_KNOWN + path, origin + path + OIDC_WELL_KNOWN];
  return type === 'oidc' ? urls.reverse() : urls;
}

/** Options of {@link discoverAuthorizationServer}. */
export interface DiscoveryOptions {
  /** Which document family to try first. */
  type: 'oauth' | 'oidc';
  /** Per-request timeout, in ms (so the whole discovery takes at most `urls × timeoutMs`). */
  timeoutMs: number;
  /** Refuse metadata without a usable `jwks_uri` (the issuer's tokens are verified as JWTs). */
  requireJwksUri: boolean;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Largest accepted document, in bytes. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * Fetches an authorization server's metadata (RFC 8414 / OpenID Connect Discovery).
 *
 * The URLs of {@link discoveryUrls} are tried in order. A URL that fails (network error, timeout, non-2xx,
 * not a JSON object) is skipped and its reason kept. A document whose `issuer` is not exactly `issuer` is
 * never used (RFC 8414 §3.3) and is reported, but the remaining URLs are still tried: nothing from the
 * mismatching document is used, and hosts that ignore the path suffix can serve another tenant's document at
 * an inserted URL while the appended one is right. The first matching document wins; if it lacks a
 * required `jwks_uri`, discovery fails at once, because it is the issuer's authoritative answer.
 *
 * @throws AuthorizationServerDiscoveryError naming every URL tried and why each failed.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: DiscoveryOptions,
): Promise<AuthorizationServerMetadata> {
  const failures: string[] = [];
  for (const url of discoveryUrls(issuer, options.type)) {
    let document: unknown;
    try {
      document = await fetchJson(url, {
        timeoutMs: options.timeoutMs,
        maxBytes: options.maxBytes ?? DEFAULT_MAX_JSON_BYTES,
        fetch: options.fetch,
        init: { method: 'GET', headers: { accept: 'application/json' } },
      });
    } catch (error) {
      if (!(error instanceof FetchJsonError)) throw error;
      failures.push(`${url}: ${error.reason}`);
      continue;
    }
    if (!isObject(document)) {
      failures.push(`${url}: the response is not a JSON object`);
      continue;
    }
    if (document.issuer !== issuer) {
      failures.push(`${url}: ${issuerMismatch(issuer, document.issuer)}`);
      continue;
    }
    if (options.requireJwksUri && !isHttpUrl(document.jwks_uri)) {
      throw new AuthorizationServerDiscoveryError(
        issuer,
        `Authorization server metadata at ${url} has no usable jwks_uri, which is needed to verify JWT access tokens ` +
          `from ${issuer}; configure an introspection or custom verifier for this issuer, or fix its metadata`,
      );
    }
    return document as AuthorizationServerMetadata;
  }
  throw new AuthorizationServerDiscoveryError(
    issuer,
    `Could not discover the metadata of authorization server ${issuer}. Tried:\n` +
      failures.map((failure) => `  - ${failure}`).join('\n'),
  );
}

function issuerMismatch(configured: string, returned: unknown): string {
  const hint =
    typeof returned === 'string' && returned.replace(/\/$/, '') === configured.replace(/\/$/, '')
      ? ' (the trailing slash matters: configure the issuer exactly as the server spells it)'
      : '';
  return (
    `the document's issuer ${JSON.stringify(returned ?? null)} does not equal the configured issuer ` +
    `${JSON.stringify(configured)}, so it is not used (RFC 8414 §3.3)${hint}`
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
