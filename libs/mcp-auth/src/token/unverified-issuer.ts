import { decodeJwt, decodeProtectedHeader } from 'jose';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The `iss` of a JWT-shaped token, read WITHOUT verifying anything: only to pick which trusted
 * authorization server's verifier gets the token (never to trust it).
 *
 * JWT-shaped means three dot-separated base64url segments whose header and payload decode to JSON objects.
 * The signature segment may be empty, so an unsigned `alg: none` forgery is still routed as a JWT (and
 * refused there) rather than handed to introspection as if it were opaque.
 *
 * @returns `undefined` for opaque tokens and for JWTs without a string `iss`.
 */
export function unverifiedIssuer(token: string): string | undefined {
  const [header, payload, signature, extra] = token.split('.', 4);
  if (extra !== undefined || signature === undefined || !BASE64URL.test(header!) || !BASE64URL.test(payload!)) {
    return undefined;
  }
  try {
    decodeProtectedHeader(token);
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
