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
 * Whether the signature segment is base64url without padding (RFC 7515 §2); empty is allowed (and never
 * verifies). A length of 4n + 1 is no encoding of any bytes: `Buffer` would drop the last character, so one
 * valid signature (ES384, ES512, RSA-3072) would verify under 64 different token strings; jose refuses it too.
 */
export function isBase64UrlSignature(signature: string): boolean {
  return signature.length % 4 !== 1 && SIGNATURE.test(signature);
}

/**
 * Whether every critical header extension (`crit`) is understood. The only one is `b64`, and a JWT must not
 * turn payload encoding off (RFC 7797 §7), so: no `crit`, or exactly `["b64"]` with `b64: true`.
 */
export function criticalHeadersUnderstood(header: Readonly<Record<string, unknown>>): boolean {
  const { crit } = header;
  return crit === undefined || (Array.isArray(crit) && crit.length === 1 && crit[0] === 'b64' && header.b64 === true);
}
