// What each row's requests present: the same credentials every time, or different ones per request (the
// paths a token cache cannot help). Shared by `npm run bench` and `npm run bench:instructions`.
import { bearer, type Credentials } from './common.js';
import { createDpopClient } from './dpop-client.js';
import type { BenchIssuer } from './issuer.js';

export type CredentialsKind =
  /** One valid token, reused (what a well-behaved client does). */
  | 'valid'
  | 'none'
  /** One forged token (right iss, aud, kid; signed by another key), reused. */
  | 'bad-signature'
  /** One DPoP-bound token, reused, with a fresh proof per request (a proof is accepted once). */
  | 'dpop'
  /** A different valid token on every request (many users; a cache never hits). */
  | 'distinct-valid'
  /** A different forgery on every request (an attacker defeating the cache). */
  | 'distinct-forged';

/**
 * How a row's requests get credentials.
 * - `fixed`: the same on every request (`sample`, possibly none).
 * - `fresh`: `batch(n)` mints n new ones, each for one request; cheap, so minted for every load run.
 * - `pool`: `batch(n)` mints n new valid tokens (RSA signing, ~0.25 ms each), so the throughput harness mints
 *   one pool per row and cycles through it (bench/token-pools.ts says why no token can hit a cache).
 */
export interface CredentialSource {
  readonly reuse: 'fixed' | 'fresh' | 'pool';
  /** The credentials of the row's sample request (`undefined`: none). */
  readonly sample: Credentials | undefined;
  batch(count: number): Credentials[];
}

const fixed = (sample: Credentials | undefined): CredentialSource => ({
  reuse: 'fixed',
  sample,
  batch: () => {
    throw new Error('fixed credentials: use `sample`');
  },
});

/** The source for `kind` against the resource `resource` (its URL is also every token's `aud` and proof's `htu`). */
export async function credentialSource(
  kind: CredentialsKind,
  issuer: BenchIssuer,
  resource: string,
): Promise<CredentialSource> {
  switch (kind) {
    case 'none':
      return fixed(undefined);
    case 'valid':
      return fixed(bearer(await issuer.mint(resource)));
    case 'bad-signature':
      return fixed(bearer(await issuer.mintBadSignature(resource)));
    case 'dpop': {
      const client = await createDpopClient();
      const token = await issuer.mintDpopBound(resource, client.jkt);
      const proven = (): Credentials => ({ authorization: `DPoP ${token}`, dpop: client.proof(resource, token) });
      return { reuse: 'fresh', sample: proven(), batch: (count) => Array.from({ length: count }, proven) };
    }
    case 'distinct-valid':
      return {
        reuse: 'pool',
        sample: bearer(await issuer.mint(resource)),
        batch: (count) => issuer.mintMany(resource, count).map(bearer),
      };
    case 'distinct-forged':
      return {
        reuse: 'fresh',
        sample: bearer(issuer.forge(resource, 1)[0]!),
        batch: (count) => issuer.forge(resource, count).map(bearer),
      };
  }
}
