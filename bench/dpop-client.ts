// A DPoP client (RFC 9449) for the DPoP row: one ES256 key, whose thumbprint the bench issuer binds
// tokens to (`cnf.jkt`), and a fresh proof per request.
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { compactJws } from './jws.js';

export interface DpopClient {
  /** RFC 7638 SHA-256 thumbprint of the client's public key: what a bound token's `cnf.jkt` holds. */
  readonly jkt: string;
  /** A proof for one `POST` to `htu` with `accessToken` (own `jti`, `iat` now, `ath` = the token's hash). */
  proof(htu: string, accessToken: string): string;
}

export async function createDpopClient(): Promise<DpopClient> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const jwk: JWK = { kty, crv, x, y };
  const header = { typ: 'dpop+jwt', alg: 'ES256' as const, jwk };
  return {
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
    proof(htu, accessToken) {
      const payload = {
        jti: randomUUID(),
        htm: 'POST',
        htu,
        iat: Math.floor(Date.now() / 1000),
        ath: createHash('sha256').update(accessToken).digest('base64url'),
      };
      return compactJws(header, payload, privateKey);
    },
  };
}
