import { createPublicKey, hash, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ExpiringCache } from '../expiring.cache.js';

/** Members that make a JWK private (or symmetric): a proof must carry a public key (RFC 9449 §4.2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/**
 * The RFC 7638 required members of each key type, in lexicographic order (the thumbprint's JSON). A `Map`:
 * `kty` comes from the proof, and an object would answer `__proto__` or `constructor` with its prototype's.
 */
const REQUIRED_MEMBERS: ReadonlyMap<unknown, readonly string[]> = new Map([
  ['EC', ['crv', 'kty', 'x', 'y']],
  ['OKP', ['crv', 'kty', 'x']],
  ['RSA', ['e', 'kty', 'n']],
]);

/** A proof key, or why the `jwk` header cannot be one. */
export type ProofKey = { key: KeyObject; thumbprint: string } | { invalid: string };

/**
 * The public keys of DPoP proofs (the `jwk` header, RFC 9449 §4.2), imported once per key: a client signs
 * every proof with the same key, and importing it is the most expensive step of checking a proof after the
 * signature itself. Only keys a token is bound to are remembered (`remember`), in a bounded LRU keyed by
 * RFC 7638 thumbprint, which identifies the key exactly (it hashes every member that defines it).
 */
export class ProofKeys {
  private readonly imported = new ExpiringCache<KeyObject>(10 * 60_000, 1000);

  /**
   * Reads the `jwk` header of a proof signed with `alg`: a public JWK whose optional `use`, `alg`, `ext` and
   * `key_ops` allow verifying `alg` signatures (the rules jose applies to an embedded JWK).
   *
   * @param remember called with the key's thumbprint: whether to keep the imported key for later proofs.
   */
  read(jwk: unknown, alg: string, remember: (thumbprint: string) => boolean): ProofKey {
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { invalid: 'malformed' };
    const members = jwk as Record<string, unknown>;
    if (PRIVATE_MEMBERS.some((member) => member in members)) return { invalid: 'malformed' };
    const { use, ext, key_ops: keyOps } = members;
    if ((use !== undefined && use !== 'sig') || (members.alg !== undefined && members.alg !== alg)) {
      return { invalid: 'malformed' };
    }
    if (ext !== undefined && typeof ext !== 'boolean') return { invalid: 'malformed' };
    // A public key imported for verification accepts exactly the `verify` usage.
    if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.length === 1 && keyOps[0] === 'verify')) {
      return { invalid: 'malformed' };
    }
    const required = REQUIRED_MEMBERS.get(members.kty);
    if (required === undefined) return { invalid: 'unsupported' };
    const defining: Record<string, string> = {};
    for (const member of required) {
      const value = members[member];
      if (typeof value !== 'string' || value === '') return { invalid: 'malformed' };
      defining[member] = value;
    }
    const digest = hash('sha256', JSON.stringify(defining), 'binary');
    const thumbprint = Buffer.from(digest, 'latin1').toString('base64url');
    const known = this.imported.get(digest);
    if (known !== undefined) return { key: known, thumbprint };
    let key: KeyObject;
    try {
      key = createPublicKey({ key: defining as JsonWebKey, format: 'jwk' });
    } catch {
      return { invalid: 'malformed' };
    }
    if (remember(thumbprint)) this.imported.set(digest, key);
    return { key, thumbprint };
  }
}
