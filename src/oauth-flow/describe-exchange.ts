import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { HttpExchange } from './tracing-fetch.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => (Array.isArray(value) ? value.join(' ') : String(value));

/**
 * Describes an OAuth-related HTTP exchange in a few human-readable lines, or returns undefined for
 * exchanges that are not part of the OAuth flow (ordinary MCP traffic).
 *
 * Never includes a credential: token responses are summarised by their scope, lifetime and
 * audience only, and the request bodies (codes, verifiers, refresh tokens) are not echoed.
 */
export async function describeOAuthExchange(exchange: HttpExchange): Promise<string[] | undefined> {
  const { method, url, status, headers } = exchange;
  const challenge = headers.get('www-authenticate');
  if ((status === 401 || status === 403) && challenge) {
    return [`${status} from ${method} ${url.href}`, `  WWW-Authenticate: ${challenge}`];
  }

  const path = url.pathname;
  if (path.startsWith('/.well-known/oauth-protected-resource')) {
    const body = status === 200 ? await exchange.json() : undefined;
    if (!isObject(body)) return [`Protected resource metadata: ${status} at ${url.href}`];
    return [
      `Protected resource metadata (RFC 9728) from ${url.href}`,
      `  resource=${show(body.resource)}  authorization_servers=${show(body.authorization_servers)}`,
      `  scopes_supported=${show(body.scopes_supported ?? '(none)')}`,
    ];
  }
  if (
    path.startsWith('/.well-known/oauth-authorization-server') ||
    path.includes('/.well-known/openid-configuration')
  ) {
    const body = status === 200 ? await exchange.json() : undefined;
    if (!isObject(body))
      return [`Authorization server metadata: ${status} at ${url.href} (the SDK tries the next URL)`];
    return [
      `Authorization server metadata from ${url.href}`,
      `  issuer=${show(body.issuer)}  registration_endpoint=${show(body.registration_endpoint ?? '(none)')}`,
      `  code_challenge_methods_supported=${show(body.code_challenge_methods_supported ?? '(none)')}`,
    ];
  }

  if (method !== 'POST') return undefined;
  const body = await exchange.json();
  if (!isObject(body)) return undefined;
  if (typeof body.client_id === 'string' && Array.isArray(body.redirect_uris)) {
    return [
      `Dynamic client registration (RFC 7591): ${status} from ${url.href}`,
      `  client_id=${body.client_id}  token_endpoint_auth_method=${show(body.token_endpoint_auth_method)}`,
    ];
  }
  if (typeof body.access_token === 'string') return describeTokenResponse(exchange, body);
  if (typeof body.error === 'string') {
    return [
      `OAuth error from ${url.href}: ${body.error}${body.error_description ? ` (${show(body.error_description)})` : ''}`,
    ];
  }
  return undefined;
}

function describeTokenResponse(exchange: HttpExchange, body: Json): string[] {
  const grantType = new URLSearchParams(exchange.requestBody ?? '').get('grant_type') ?? 'unknown grant';
  const lines = [
    `Token response (${grantType}) from ${exchange.url.href}`,
    `  token_type=${show(body.token_type)}  scope=${show(body.scope ?? '(not stated)')}  expires_in=${show(body.expires_in ?? '?')}s  refresh_token=${body.refresh_token ? 'yes' : 'no'}`,
  ];
  try {
    // Decoding (not verifying) only to show what the token is for; the token itself is never printed.
    const token = body.access_token as string;
    const claims = decodeJwt(token);
    const header = decodeProtectedHeader(token);
    lines.push(
      `  JWT access token: typ=${show(header.typ)} alg=${show(header.alg)} iss=${show(claims.iss)} aud=${show(claims.aud)} sub=${show(claims.sub)}`,
    );
  } catch {
    lines.push('  opaque access token');
  }
  return lines;
}
