import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, hash, type KeyObject, randomUUID, sign } from 'node:crypto';
import { BearerAuthError } from '../../errors/mcp-auth.errors.js';
import type { ResolvedDpopOptions } from '../../options/resolved-options.js';
import { DpopProofVerifier, type DpopProofTarget } from './dpop-proof.verifier.js';
import { InMemoryDpopReplayStore } from './dpop-replay.store.js';
import { ProofKeys } from './proof-key.js';
import { recordingLogger } from '../../test-support/recording-logger.js';

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const HTU = 'https://api.example/mcp';
const TOKEN = 'the-access-token';
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A client key pair with its public JWK and RFC 7638 thumbprint. */
function clientKey(type: 'ec' | 'rsa' = 'ec') {
  const pair =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kty, crv, x, y, n, e } = pair.publicKey.export({ format: 'jwk' });
  const jwk = type === 'ec' ? { kty, crv, x, y } : { kty, n, e };
  const thumbprint = hash('sha256', JSON.stringify(type === 'ec' ? { crv, kty, x, y } : { e, kty, n }), 'base64url');
  return { privateKey: pair.privateKey, jwk, thumbprint };
}

function proof(
  privateKey: KeyObject,
  header: Record<string, unknown>,
  claims: Record<string, unknown> = {},
  tamper = false,
): string {
  const payload = {
    jti: randomUUID(),
    htm: 'POST',
    htu: HTU,
    iat: NOW,
    ath: hash('sha256', TOKEN, 'base64url'),
    ...claims,
  };
  const input = `${encode({ typ: 'dpop+jwt', alg: 'ES256', ...header })}.${encode(payload)}`;
  const ec = privateKey.asymmetricKeyType === 'ec';
  const signature = sign(
    'sha256',
    Buffer.from(input),
    ec ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey,
  );
  if (tamper) signature[0]! ^= 1;
  return `${input}.${signature.toString('base64url')}`;
}

const options: ResolvedDpopOptions = {
  enabled: true,
  algorithms: ['ES256', 'RS256'],
  proofMaxAgeSeconds: 60,
  replayStore: undefined,
  maxRememberedProofs: 1000,
  nonce: { required: false, secret: Buffer.alloc(32), lifetimeSeconds: 60 },
};

async function refusal(promise: Promise<void>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('accepted'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof BearerAuthError && error.bearerError === 'invalid_dpop_proof', String(error));
  return error.description;
}

describe('DpopProofVerifier', () => {
  const key = clientKey();
  const target: DpopProofTarget = { method: 'POST', htu: HTU, accessToken: TOKEN, jkt: key.thumbprint };
  const verifier = () => new DpopProofVerifier(options, 5, () => NOW_MS);
  const good = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    proof(key.privateKey, { jwk: key.jwk, ...header }, claims);

  it('accepts a proof once, and refuses its replay', async () => {
    const checker = verifier();
    const accepted = good();
    await checker.verify([accepted], target);
    await checker.verify([good()], target);
    assert.equal(await refusal(checker.verify([accepted], target)), 'The DPoP proof was already used');
  });

  it('refuses proofs while the replay store fails, logging the outage once and the recovery once', async () => {
    let down = true;
    const store = {
      remember: async () => {
        if (down) throw new Error('connection refused');
        return true;
      },
    };
    const { lines: logs, logger } = recordingLogger();
    const checker = new DpopProofVerifier({ ...options, replayStore: store }, 5, () => NOW_MS, logger);
    for (let i = 0; i < 3; i++) {
      assert.equal(await refusal(checker.verify([good()], target)), 'The DPoP proof could not be checked for replay');
    }
    down = false;
    await checker.verify([good()], target);
    await checker.verify([good()], target);
    assert.deepEqual(logs, [
      'error The DPoP replay store is unavailable (connection refused); DPoP proofs are refused until it recovers',
      'log The DPoP replay store is reachable again',
    ]);
  });

  it('accepts an RSA proof key and typ application/dpop+jwt', async () => {
    const rsa = clientKey('rsa');
    const rsaProof = proof(rsa.privateKey, { alg: 'RS256', jwk: rsa.jwk, typ: 'application/DPoP+JWT' });
    await verifier().verify([rsaProof], { ...target, jkt: rsa.thumbprint });
  });

  it('refuses each broken rule with its sentence', async () => {
    const other = clientKey();
    const rsa = clientKey('rsa');
    const cases: [string, string][] = [
      ['not.a.jwt', 'The DPoP proof is malformed'],
      [proof(key.privateKey, { jwk: key.jwk }, {}, true), 'The DPoP proof signature is invalid'],
      [`${good().slice(0, -4)}+/==`, 'The DPoP proof is malformed'],
      [good({}, { alg: 'ES384' }), 'The DPoP proof signing algorithm is not allowed'],
      [good({}, { alg: 'none' }), 'The DPoP proof signing algorithm is not allowed'],
      [good({}, { crit: ['x'] }), 'The DPoP proof is malformed'],
      [good({}, { jwk: undefined }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, d: 'AAAA' } }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, alg: 'ES384' } }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, use: 'enc' } }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, key_ops: ['sign'] } }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, x: 42 } }), 'The DPoP proof is malformed'],
      [good({}, { jwk: { ...key.jwk, kty: 'oct' } }), 'The DPoP proof signing algorithm is not allowed'],
      // Names of Object.prototype members are key types like any other unknown one.
      [good({}, { jwk: { ...key.jwk, kty: '__proto__' } }), 'The DPoP proof signing algorithm is not allowed'],
      [good({}, { jwk: { ...key.jwk, kty: 'constructor' } }), 'The DPoP proof signing algorithm is not allowed'],
      [good({}, { jwk: rsa.jwk }), 'The DPoP proof signing algorithm is not allowed'],
      [good({}, { typ: 'JWT' }), 'The DPoP proof type is not dpop+jwt'],
      [good({ jti: undefined }), 'The DPoP proof has no usable jti'],
      [good({ jti: '' }), 'The DPoP proof has no usable jti'],
      [good({ htu: undefined }), 'The DPoP proof has no usable htu'],
      [good({ iat: undefined }), 'The DPoP proof has no usable iat'],
      [good({ iat: 'now' }), 'The DPoP proof was issued in the future'],
      [good({ iat: NOW - 66 }), 'The DPoP proof is too old'],
      [good({ iat: NOW + 6 }), 'The DPoP proof was issued in the future'],
      [good({ exp: NOW - 5 }), 'The DPoP proof is too old'],
      [good({ nbf: NOW + 6 }), 'The DPoP proof has no usable nbf'],
      [good({ htm: 'GET' }), 'The DPoP proof is for another HTTP method'],
      [good({ htu: 'https://api.example/other' }), 'The DPoP proof is for another URI'],
      [good({ ath: hash('sha256', 'another', 'base64url') }), 'The DPoP proof is for another access token'],
      [proof(other.privateKey, { jwk: other.jwk }), 'The DPoP proof key is not the key the access token is bound to'],
    ];
    for (const [bad, description] of cases) {
      assert.equal(await refusal(verifier().verify([bad], target)), description, description);
    }
    // Within the tolerance, times are fine.
    await verifier().verify([good({ iat: NOW - 64 })], target);
    await verifier().verify([good({ iat: NOW + 5 })], target);
  });

  it('refuses no proof and two proofs', async () => {
    assert.equal(await refusal(verifier().verify([], target)), 'A DPoP proof is required');
    assert.equal(await refusal(verifier().verify([good(), good()], target)), 'Send exactly one DPoP header');
  });
});

describe('ProofKeys', () => {
  it('imports a bound key once, others every time', () => {
    const { jwk, thumbprint } = clientKey();
    const keys = new ProofKeys();
    const unbound = [keys.read(jwk, 'ES256', () => false), keys.read(jwk, 'ES256', () => false)];
    assert.ok('key' in unbound[0]! && 'key' in unbound[1]! && unbound[0].key !== unbound[1].key);
    const bound = [keys.read(jwk, 'ES256', () => true), keys.read({ ...jwk, kid: 'x' }, 'ES256', () => true)];
    assert.ok('key' in bound[0]! && 'key' in bound[1]!);
    assert.equal(bound[0].key, bound[1].key);
    assert.equal(bound[0].thumbprint, thumbprint);
  });
});

describe('InMemoryDpopReplayStore', () => {
  it('refuses a key within its window, frees room once windows end, and fails closed when full', async () => {
    let now = 0;
    const store = new InMemoryDpopReplayStore(2, () => now);
    assert.equal(await store.remember('a', 100), true);
    assert.equal(await store.remember('a', 100), false);
    assert.equal(await store.remember('b', 150), true);
    await assert.rejects(store.remember('c', 200), /2 DPoP proofs are still replayable/);
    now = 100;
    assert.equal(await store.remember('c', 200), true, 'a ended: room again');
    now = 151;
    assert.equal(await store.remember('a', 250), true, 'a may be used again after its window');
    await assert.rejects(store.remember('d', 300), /still replayable/);
    now = 200;
    assert.equal(await store.remember('d', 300), true);
    assert.equal(await store.remember('a', 300), false, "a's second window is still open");
  });

  it('stays bounded over many windows', async () => {
    let now = 0;
    const store = new InMemoryDpopReplayStore(10, () => now);
    for (let i = 0; i < 5000; i++) {
      now = i;
      assert.equal(await store.remember(`k${i}`, i + 5), true);
    }
  });
});
