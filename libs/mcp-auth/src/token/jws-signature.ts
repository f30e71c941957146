import { constants, KeyObject, verify, type webcrypto } from 'node:crypto';

/** What a JWS algorithm (RFC 7518 §3, RFC 8037) needs of its key and how node:crypto checks it. */
interface JwsAlgorithm {
  /** node:crypto digest; `null` for EdDSA (the hash is part of the scheme). */
  hash: string | null;
  keyType: 'rsa' | 'ec' | 'ed25519';
  /** For ECDSA: the curve the algorithm is defined on (OpenSSL name) and the WebCrypto one. */
  curve?: { openssl: string; webCrypto: string };
  /** For RSASSA-PSS: the salt length, which must equal the hash length (RFC 7518 §3.5). */
  pssSaltLength?: number;
  /** What a WebCrypto key must have been imported for to serve this algorithm. */
  webCrypto: { name: string; hash?: string };
}

const rsa = (bits: number, pss: boolean): JwsAlgorithm => ({
  hash: `sha${bits}`,
  keyType: 'rsa',
  ...(pss ? { pssSaltLength: bits / 8 } : {}),
  webCrypto: { name: pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${bits}` },
});
const ecdsa = (bits: number, openssl: string, webCrypto: string): JwsAlgorithm => ({
  hash: `sha${bits}`,
  keyType: 'ec',
  curve: { openssl, webCrypto },
  webCrypto: { name: 'ECDSA' },
});
const eddsa: JwsAlgorithm = { hash: null, keyType: 'ed25519', webCrypto: { name: 'Ed25519' } };

/** Every asymmetric algorithm the library can accept (`ASYMMETRIC_ALGORITHMS`); nothing symmetric, no `none`. */
const ALGORITHMS: Readonly<Record<string, JwsAlgorithm>> = {
  RS256: rsa(256, false),
  RS384: rsa(384, false),
  RS512: rsa(512, false),
  PS256: rsa(256, true),
  PS384: rsa(384, true),
  PS512: rsa(512, true),
  ES256: ecdsa(256, 'prime256v1', 'P-256'),
  ES384: ecdsa(384, 'secp384r1', 'P-384'),
  ES512: ecdsa(512, 'secp521r1', 'P-521'),
  EdDSA: eddsa,
  Ed25519: eddsa,
};

/** RSA keys below this size are refused whatever the algorithm (RFC 7518 §3.3, §3.5). */
const MIN_RSA_BITS = 2048;

/** A verification key as key resolvers hand it over: node's, or WebCrypto's (jose's JWKS sets). */
export type VerificationKey = KeyObject | webcrypto.CryptoKey;

/** The key cannot serve the token's algorithm (wrong type, curve, usage or size). */
export class UnusableKeyError extends Error {
  constructor(
    message: string,
    /** The token names an algorithm the key is not for (any client can send that), rather than a broken key. */
    readonly tokenMismatch = false,
  ) {
    super(message);
  }
}

/** Per key, the algorithms it was found fit for: the checks read key details from OpenSSL, so they run once. */
const checkedKeys = new WeakMap<object, Map<string, KeyObject>>();

/**
 * Verifies a JWS signature synchronously with node:crypto: on a busy core this is the cheapest way to run the
 * one public-key operation a token costs (WebCrypto would hand it to the thread pool and back, which costs
 * about as much again as the RSA check itself on a core that runs both).
 *
 * @param alg an algorithm already checked against the allowed list.
 * @param signature the signature segment, base64url.
 * @returns whether the signature is valid for `signingInput` under `key`.
 * @throws UnusableKeyError when `key` cannot serve `alg`.
 *
 * @example
 * ```ts
 * if (!verifyJwsSignature(jwt.header.alg, key, jwt.signingInput, jwt.signature)) refuse();
 * ```
 */
export function verifyJwsSignature(
  alg: string,
  key: VerificationKey,
  signingInput: string,
  signature: string,
): boolean {
  const algorithm = ALGORITHMS[alg];
  if (algorithm === undefined) throw new UnusableKeyError(`Unsupported JWS algorithm ${alg}`);
  const keyObject = usableKey(key, alg, algorithm);
  const data = Buffer.from(signingInput, 'latin1');
  const bytes = Buffer.from(signature, 'base64url');
  try {
    if (algorithm.keyType === 'ec') {
      return verify(algorithm.hash, data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, bytes);
    }
    if (algorithm.pssSaltLength !== undefined) {
      const pss = { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.pssSaltLength };
      return verify(algorithm.hash, data, pss, bytes);
    }
    return verify(algorithm.hash, data, keyObject, bytes);
  } catch {
    // OpenSSL refuses some malformed signatures (wrong length...) with an error instead of `false`.
    return false;
  }
}

function usableKey(key: VerificationKey, alg: string, algorithm: JwsAlgorithm): KeyObject {
  let byAlg = checkedKeys.get(key);
  const checked = byAlg?.get(alg);
  if (checked !== undefined) return checked;
  const keyObject = key instanceof KeyObject ? key : fromWebCrypto(key, algorithm);
  if (keyObject.type !== 'public') throw new UnusableKeyError('Verification keys must be public keys');
  if (keyObject.asymmetricKeyType !== algorithm.keyType) {
    throw new UnusableKeyError(`A ${keyObject.asymmetricKeyType} key cannot verify ${alg}`, true);
  }
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (algorithm.curve !== undefined && details.namedCurve !== algorithm.curve.openssl) {
    throw new UnusableKeyError(`${alg} needs a ${algorithm.curve.webCrypto} key`, true);
  }
  if (algorithm.keyType === 'rsa' && (details.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new UnusableKeyError(`${alg} needs an RSA key of at least ${MIN_RSA_BITS} bits`);
  }
  if (byAlg === undefined) {
    byAlg = new Map();
    checkedKeys.set(key, byAlg);
  }
  byAlg.set(alg, keyObject);
  return keyObject;
}

/** A WebCrypto key serves only the algorithm and usage it was imported for, as WebCrypto itself would insist. */
function fromWebCrypto(key: webcrypto.CryptoKey, algorithm: JwsAlgorithm): KeyObject {
  const imported = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  const expected = algorithm.webCrypto;
  if (!key.usages.includes('verify')) throw new UnusableKeyError('The key is not usable for verification');
  if (
    imported.name !== expected.name ||
    (expected.hash !== undefined && imported.hash?.name !== expected.hash) ||
    (algorithm.curve !== undefined && imported.namedCurve !== algorithm.curve.webCrypto)
  ) {
    throw new UnusableKeyError(`The key was imported for ${imported.name}, not for this algorithm`, true);
  }
  return KeyObject.from(key);
}
