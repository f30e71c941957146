import type { IncomingMessage } from 'node:http';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+\-.^_`|~]*(?: |$)/;

/** What the extractor reads of a request. */
export type BearerRequest = Pick<IncomingMessage, 'headers' | 'rawHeaders' | 'url'>;

/**
 * Reads the access token from the one place MCP allows it: a single `Authorization: Bearer` header.
 *
 * @returns the token, or `undefined` when the request carries no bearer credentials at all
 *   (no header, or another scheme such as Basic): the caller answers with a plain 401 challenge.
 * @throws BearerAuthError `invalid_request` for a malformed or repeated header, or a token in the URL.
 */
export function extractBearerToken(request: BearerRequest): string | undefined {
  // Node keeps only the first of repeated Authorization headers; rawHeaders shows them all.
  let count = 0;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') count++;
  }
  if (count > 1) throw BearerAuthError.malformed('Send exactly one Authorization header');
  if (request.url?.includes('access_token=') && /[?&]access_token=/.test(request.url)) {
    throw BearerAuthError.malformed('Access tokens are accepted in the Authorization header only, never in the URL');
  }
  const header = request.headers.authorization;
  if (header === undefined || header === '') return undefined;

  const match = BEARER.exec(header);
  // Length is a verification matter (TokenVerificationService refuses over-long tokens before parsing).
  if (match) return match[1];
  const scheme = SCHEME.exec(header)?.[0].trim();
  if (scheme === undefined) throw BearerAuthError.malformed('The Authorization header is malformed');
  if (scheme.toLowerCase() === 'bearer') {
    throw BearerAuthError.malformed('The Authorization header must be "Bearer" followed by one token');
  }
  return undefined;
}
