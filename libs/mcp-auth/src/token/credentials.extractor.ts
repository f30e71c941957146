import type { IncomingMessage } from 'node:http';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';

// RFC 6750 §2.1 and RFC 9449 §7.1: credentials = ( "Bearer" / "DPoP" ) 1*SP token68.
const CREDENTIALS = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+\-.^_`|~]*(?: |$)/;

/** What the extractor reads of a request. */
export type CredentialsRequest = Pick<IncomingMessage, 'headers' | 'rawHeaders' | 'url'>;

/** An access token as the request presented it. */
export interface PresentedCredentials {
  /** `bearer` (RFC 6750) or `dpop` (RFC 9449: sender-constrained, with a proof). */
  scheme: 'bearer' | 'dpop';
  token: string;
  /** Every `DPoP` header value (RFC 9449 wants exactly one with the `dpop` scheme). */
  proofs: string[];
}

const NO_PROOFS: string[] = [];

/**
 * Reads the access token from the one place MCP allows it: a single `Authorization` header, scheme `Bearer`
 * or `DPoP` (with its `DPoP` proof headers).
 *
 * @returns the credentials, or `undefined` when the request carries none (no header, or another scheme such
 *   as Basic): the caller answers with a plain 401 challenge.
 * @throws BearerAuthError `invalid_request` for a malformed or repeated header, or a token in the URL.
 */
export function extractCredentials(request: CredentialsRequest): PresentedCredentials | undefined {
  // Node keeps only the first of repeated Authorization headers; rawHeaders shows them all.
  let count = 0;
  let proofs = NO_PROOFS;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const length = raw[i].length;
    if (length === 13 && raw[i].toLowerCase() === 'authorization') count++;
    else if (length === 4 && raw[i].toLowerCase() === 'dpop') proofs = [...proofs, raw[i + 1]];
  }
  if (count > 1) throw BearerAuthError.malformed('Send exactly one Authorization header');
  if (request.url?.includes('access_token=') && /[?&]access_token=/.test(request.url)) {
    throw BearerAuthError.malformed('Access tokens are accepted in the Authorization header only, never in the URL');
  }
  const header = request.headers.authorization;
  if (header === undefined || header === '') return undefined;

  const match = CREDENTIALS.exec(header);
  // Length is a verification matter (TokenVerificationService refuses over-long tokens before parsing).
  if (match) return { scheme: match[1].length === 4 ? 'dpop' : 'bearer', token: match[2], proofs };
  const scheme = SCHEME.exec(header)?.[0].trim().toLowerCase();
  if (scheme === undefined) throw BearerAuthError.malformed('The Authorization header is malformed');
  if (scheme === 'bearer' || scheme === 'dpop') {
    throw BearerAuthError.malformed(
      `The Authorization header must be "${scheme === 'dpop' ? 'DPoP' : 'Bearer'}" followed by one token`,
    );
  }
  return undefined;
}

/** The scheme a request's credentials use, for choosing the challenge to answer with; `undefined`: none. */
export function credentialsScheme(request: CredentialsRequest): 'bearer' | 'dpop' | undefined {
  const header = request.headers.authorization;
  const scheme = header?.slice(0, Math.max(0, header.indexOf(' '))).toLowerCase();
  return scheme === 'bearer' || scheme === 'dpop' ? scheme : undefined;
}
