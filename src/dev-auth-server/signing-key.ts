import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * Generates the RS256 key pair that signs this run's tokens and returns it as a private JWKS for
 * oidc-provider. A fresh key per start means no private key is ever checked in, and tokens from a
 * previous run stop verifying after a restart, as they should.
 */
export async function generateSigningJwks(): Promise<{ keys: JWK[] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  // A thumbprint kid is stable for the key and lets resource servers pick it from the JWKS.
  const kid = await calculateJwkThumbprint(jwk);
  return { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
}
