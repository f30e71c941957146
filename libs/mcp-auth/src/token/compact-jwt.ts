import { isUtf8 } from 'node:buffer';

/** A JWT in JWS compact serialization, read but NOT verified: its parts, decoded once for every later step. */
export interface CompactJwt {
  /** The JOSE header (a JSON object). */
  readonly header: Readonly<Record<string, unknown>>;
  /** The claims (a JSON object), a fresh object per parse: the caller may freeze it. */
  readonly payload: Record<string, unknown>;
  /** `header.payload` exactly as sent: what the signature covers. */
  readonly signingInput: string;
  /** The signature segment, still base64url (possibly empty, or not base64url at all: the verifier checks). */
  readonly signature: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE = /^[A-Za-z0-9_-]*$/;

/**
 * Reads a JWT-shaped token: three dot-separated segments, the first two base64url (no padding) and decoding
 * to UTF-8 JSON objects. The signature segment is not looked at, so an unsigned `alg: none` forgery is still
 * read as a JWT (and refused by the verifier) rather than taken for an opaque token.
 *
 * One parse serves both routing (the unverified `iss` picks the trusted issuer's verifier) and verification.
 *
 * @example
 * ```ts
 * const jwt = parseCompactJwt(token);
 * if (jwt === undefined) { ... } // opaque: introspection or a custom verifier
 * ```
 * @returns `undefined` when the token is not JWT-shaped.
 */
export function parseCompactJwt(token: string): CompactJwt | undefined {
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (second === -1 || token.includes('.', second + 1)) return undefined;
  const encodedHeader = token.slice(0, first);
  const encodedPayload = token.slice(first + 1, second);
  if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload)) return undefined;
  const header = jsonObject(encodedHeader);
  if (header === undefined) return undefined;
  const payload = jsonObject(encodedPayload);
  if (payload === undefined) return undefined;
  return { header, payload, signingInput: token.slice(0, second), signature: token.slice(second + 1) };
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  // JOSE text is UTF-8 (RFC 7515 §5.2): bytes that are not are refused, never patched with U+FFFD.
  if (!isUtf8(bytes)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * What keeps a JWS from being checked against a key, in the order jose reports it: a signature segment that
 * is not base64url, a critical extension not understood or no `alg` (`'malformed'`), then an `alg` not in
 * `allowed` (`'algorithm'`). The rules access tokens and DPoP proofs share.
 *
 * @returns `undefined` when the signature can be checked (`header.alg` is then one of `allowed`).
 *
 * @example
 * ```ts
 * const problem = jwsHeaderProblem(jwt, allowedAlgorithms);
 * if (problem !== undefined) refuse(problem === 'malformed' ? 'malformed' : 'algorithm not allowed');
 * ```
 */
export function jwsHeaderProblem(jwt: CompactJwt, allowed: ReadonlySet<string>): 'malformed' | 'algorithm' | undefined {
  if (!isBase64UrlSignature(jwt.signature) || !criticalHeadersUnderstood(jwt.header)) return 'malformed';
  const { alg } = jwt.header;
  if (typeof alg !== 'string' || alg === '') return 'malformed';
  return allowed.has(alg) ? undefined : 'algorithm';
}

/**
 * Whether the `typ` header names the media type `type`, with or without `application/`, in any case
 * (RFC 7515 §4.1.9), as jose compares it.
 */
export function hasType(header: Readonly<Record<string, unknown>>, type: string): boolean {
  const { typ } = header;
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === type || lower === `application/${type}`;
}

/**
 * Whether the signature segment is base64url without padding (RFC 7515 §2); empty is allowed (and never
 * verifies). A length of 4n + 1 is no encoding of any bytes: `Buffer` would drop the last character, so one
 * valid signature (ES384, ES512, RSA-3072) would verify under 64 different token strings; jose refuses it too.
 */
function isBase64UrlSignature(signature: string): boolean {
  return signature.length % 4 !== 1 && SIGNATURE.test(signature);
}

/**
 * Whether every critical header extension (`crit`) is understood. The only one is `b64`, and a JWT must not
 * turn payload encoding off (RFC 7797 §7), so: no `crit`, or exactly `["b64"]` with `b64: true`.
 */
function criticalHeadersUnderstood(header: Readonly<Record<string, unknown>>): boolean {
  const { crit } = header;
  return crit === undefined || (Array.isArray(crit) && crit.length === 1 && crit[0] === 'b64' && header.b64 === true);
}
