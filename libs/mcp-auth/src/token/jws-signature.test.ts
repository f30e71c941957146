import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, type KeyObject, sign, webcrypto } from 'node:crypto';
import { UnusableKeyError, verifyJwsSignature } from './jws-signature.js';

const INPUT = 'eyJhbGciOiJ0ZXN0In0.eyJzdWIiOiJhbGljZSJ9';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const ed25519 = generateKeyPairSync('ed25519');

type Signer = (privateKey: KeyObject) => Buffer;
const pkcs1 =
  (hash: string): Signer =>
  (key) =>
    sign(hash, Buffer.from(INPUT), key);
const pss =
  (hash: string, saltLength: number): Signer =>
  (key) =>
    sign(hash, Buffer.from(INPUT), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
const ecdsa =
  (hash: string): Signer =>
  (key) =>
    sign(hash, Buffer.from(INPUT), { key, dsaEncoding: 'ieee-p1363' });
const b64 = (bytes: Buffer) => bytes.toString('base64url');

describe('verifyJwsSignature', () => {
  const cases: [string, { publicKey: KeyObject; privateKey: KeyObject }, Signer][] = [
    ['RS256', rsa, pkcs1('sha256')],
    ['RS384', rsa, pkcs1('sha384')],
    ['RS512', rsa, pkcs1('sha512')],
    ['PS256', rsa, pss('sha256', 32)],
    ['PS384', rsa, pss('sha384', 48)],
    ['PS512', rsa, pss('sha512', 64)],
    ['ES256', p256, ecdsa('sha256')],
    ['ES384', p384, ecdsa('sha384')],
    ['ES512', p521, ecdsa('sha512')],
    ['EdDSA', ed25519, (key) => sign(null, Buffer.from(INPUT), key)],
    ['Ed25519', ed25519, (key) => sign(null, Buffer.from(INPUT), key)],
  ];
  for (const [alg, pair, signer] of cases) {
    it(`${alg}: accepts its signature, refuses it over other bytes`, () => {
      const signature = b64(signer(pair.privateKey));
      assert.equal(verifyJwsSignature(alg, pair.publicKey, INPUT, signature), true);
      assert.equal(verifyJwsSignature(alg, pair.publicKey, `${INPUT}x`, signature), false);
    });
  }

  it('refuses a signature made with another hash, padding or salt length', () => {
    assert.equal(verifyJwsSignature('RS512', rsa.publicKey, INPUT, b64(pkcs1('sha256')(rsa.privateKey))), false);
    assert.equal(verifyJwsSignature('PS256', rsa.publicKey, INPUT, b64(pkcs1('sha256')(rsa.privateKey))), false);
    assert.equal(verifyJwsSignature('RS256', rsa.publicKey, INPUT, b64(pss('sha256', 32)(rsa.privateKey))), false);
    assert.equal(verifyJwsSignature('PS256', rsa.publicKey, INPUT, b64(pss('sha256', 0)(rsa.privateKey))), false);
  });

  it('answers false, never throws, for signatures of the wrong size or none', () => {
    const signature = ecdsa('sha256')(p256.privateKey);
    for (const bad of ['', 'AA', b64(signature.subarray(1)), b64(Buffer.concat([signature, Buffer.from([0])]))]) {
      assert.equal(verifyJwsSignature('ES256', p256.publicKey, INPUT, bad), false, bad);
      assert.equal(verifyJwsSignature('RS256', rsa.publicKey, INPUT, bad), false, bad);
    }
    // A DER signature is not a JWS ECDSA signature (RFC 7518 §3.4: R || S).
    const der = sign('sha256', Buffer.from(INPUT), p256.privateKey);
    assert.equal(verifyJwsSignature('ES256', p256.publicKey, INPUT, b64(der)), false);
  });

  it('refuses keys that cannot serve the algorithm', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const signature = b64(pkcs1('sha256')(weak.privateKey));
    assert.throws(() => verifyJwsSignature('RS256', weak.publicKey, INPUT, signature), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('ES256', p384.publicKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('ES256', rsa.publicKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('RS256', p256.publicKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('EdDSA', p256.publicKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('RS256', rsa.privateKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('HS256', rsa.publicKey, INPUT, 'AA'), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('none', rsa.publicKey, INPUT, ''), UnusableKeyError);
  });

  it('holds a WebCrypto key to the algorithm and usage it was imported for', async () => {
    const spki = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const rs256 = await webcrypto.subtle.importKey(
      'spki',
      spki,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    const signature = b64(pkcs1('sha256')(rsa.privateKey));
    assert.equal(verifyJwsSignature('RS256', rs256, INPUT, signature), true);
    assert.throws(() => verifyJwsSignature('RS512', rs256, INPUT, signature), UnusableKeyError);
    assert.throws(() => verifyJwsSignature('PS256', rs256, INPUT, signature), UnusableKeyError);
    const ps256 = await webcrypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    assert.equal(verifyJwsSignature('PS256', ps256, INPUT, b64(pss('sha256', 32)(rsa.privateKey))), true);
    const p384Key = await webcrypto.subtle.importKey(
      'spki',
      p384.publicKey.export({ type: 'spki', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-384' },
      false,
      ['verify'],
    );
    assert.throws(() => verifyJwsSignature('ES256', p384Key, INPUT, 'AA'), UnusableKeyError);
  });
});
