import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalIssuer, type LocalIssuer } from '../testing/local-issuer.js';
import { expectInvalid } from '../test-support/expect-invalid-token.js';
import { JwksCache } from './jwks-cache.js';
import { JwtTokenVerifier } from './jwt-token.verifier.js';

const RESOURCE = 'http://localhost:3000/mcp';

describe('JwtTokenVerifier: tokens without kid after a key rotation', () => {
  let issuer: LocalIssuer;
  let forger: LocalIssuer;
  let verifier: JwtTokenVerifier;
  let signedBeforeRotation: string;

  before(async () => {
    [issuer, forger] = await Promise.all([startLocalIssuer(), startLocalIssuer()]);
    signedBeforeRotation = await issuer.mint({ sub: 'alice', aud: RESOURCE }, { kid: null });
    // The JWKS now publishes the previous key and the new one, both candidates for a token without kid.
    await issuer.rotateKey();
    const keys = new JwksCache(issuer.jwksUri, { timeoutMs: 1000, cooldownMs: 0, maxAgeMs: 60_000 });
    verifier = new JwtTokenVerifier({
      issuer: issuer.issuer,
      audience: [RESOURCE],
      resource: RESOURCE,
      algorithms: ['ES256'],
      clockToleranceSeconds: 5,
      requireAccessTokenType: false,
      scopeClaim: undefined,
      getKey: keys.getKey,
    });
  });
  after(() => Promise.all([issuer.close(), forger.close()]));

  it('accepts tokens signed by either published key, whichever candidate jose tries first', async () => {
    const signedAfterRotation = await issuer.mint({ sub: 'bob', aud: RESOURCE }, { kid: null });
    assert.equal((await verifier.verify(signedBeforeRotation)).subject, 'alice');
    assert.equal((await verifier.verify(signedAfterRotation)).subject, 'bob');
  });

  it('refuses a token signed by no published key once every candidate failed', async () => {
    const forged = await forger.mint({ iss: issuer.issuer, sub: 'mallory', aud: RESOURCE }, { kid: null });
    await expectInvalid(verifier.verify(forged), 'The access token signature is invalid', forged);
  });

  it('refuses an iat that is not a number with its own description', async () => {
    const token = await issuer.mint({ sub: 'alice', aud: RESOURCE, iat: 'yesterday' });
    await expectInvalid(verifier.verify(token), 'The access token issue time is invalid', token);
  });
});
