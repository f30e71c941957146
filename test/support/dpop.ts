import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK, SignJWT } from 'jose';

/** A client's DPoP key pair (RFC 9449), and proofs signed with it. */
export interface DpopKey {
  publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint of the public key: what a bound token carries as `cnf.jkt`. */
  thumbprint: string;
  /** A DPoP proof JWT for one request; every field can be overridden to build a bad one. */
  proof(claims: DpopProofClaims, header?: Record<string, unknown>): Promise<string>;
}

/** The claims of a DPoP proof; `htm` and `htu` are required, the rest defaults sensibly. */
export interface DpopProofClaims {
  htm: string;
  htu: string;
  /** The access token the proof goes with: its `ath` is computed from it. */
  accessToken?: string;
  nonce?: string;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** A fresh ES256 DPoP key. */
export async function createDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
    proof: (claims, header) => signProof(privateKey, publicJwk, claims, header),
  };
}

async function signProof(
  privateKey: CryptoKey,
  publicJwk: JWK,
  { accessToken, iat, jti, ...claims }: DpopProofClaims,
  header: Record<string, unknown> = {},
): Promise<string> {
  const ath = accessToken === undefined ? undefined : createHash('sha256').update(accessToken).digest('base64url');
  return new SignJWT({ ...(ath === undefined ? {} : { ath }), ...claims, jti: jti ?? randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk, ...header })
    .setIssuedAt(iat ?? Math.floor(Date.now() / 1000))
    .sign(privateKey);
}
