import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import type { CustomTokenVerifier } from '../options/mcp-auth-options.interface.js';
import { expectInvalid } from '../test-support/expect-invalid-token.js';
import { type CustomVerificationTarget, verifyWithCustomVerifier } from './custom-token.verifier.js';

const ISSUER = 'https://custom.example';
const RESOURCE = 'https://notes.example.com/mcp';
const target: CustomVerificationTarget = {
  issuer: ISSUER,
  resource: RESOURCE,
  audience: [RESOURCE],
  clockToleranceSeconds: 5,
  now: Date.now(),
};
const answering =
  (answer: unknown): CustomTokenVerifier =>
  async () =>
    answer as never;
const good = { clientId: 'c', scopes: ['notes:read'], audience: [RESOURCE] };

describe('verifyWithCustomVerifier', () => {
  it('passes the resource, audiences and issuer to the verifier', async () => {
    let seen: unknown;
    await verifyWithCustomVerifier(
      async (_token, context) => {
        seen = context;
        return good as never;
      },
      'opaque',
      target,
    );
    assert.deepEqual(seen, { resource: RESOURCE, audience: [RESOURCE], issuer: ISSUER });
  });

  it('keeps the description of an invalid_token the verifier throws on purpose', async () => {
    const verifier: CustomTokenVerifier = async () => {
      throw BearerAuthError.invalidToken('The access token was revoked');
    };
    await expectInvalid(verifyWithCustomVerifier(verifier, 'opaque', target), 'The access token was revoked');
  });

  it('turns any other refusal it throws (even a scope refusal) into a generic invalid_token', async () => {
    const verifier: CustomTokenVerifier = async () => {
      throw BearerAuthError.insufficientScope(['admin']);
    };
    await expectInvalid(verifyWithCustomVerifier(verifier, 'opaque', target), 'The access token is invalid');
  });

  it('refuses an answer that is not an object', async () => {
    for (const answer of [null, undefined, 'yes', true]) {
      await expectInvalid(verifyWithCustomVerifier(answering(answer), 'opaque', target), 'The access token is invalid');
    }
  });

  it('refuses an answer naming another issuer', async () => {
    await expectInvalid(
      verifyWithCustomVerifier(answering({ ...good, issuer: 'https://evil.example' }), 'opaque', target),
      'The access token issuer is not trusted',
    );
  });

  it('refuses an answer naming another resource, and accepts its own in any spelling URL parsing allows', async () => {
    await expectInvalid(
      verifyWithCustomVerifier(answering({ ...good, resource: 'https://other.example/mcp' }), 'opaque', target),
      'The access token audience is not this resource',
    );
    const auth = await verifyWithCustomVerifier(
      answering({ ...good, resource: new URL('HTTPS://NOTES.example.com/mcp') }),
      'opaque',
      target,
    );
    assert.equal(auth.resource?.href, RESOURCE);
  });

  it('refuses an expiry that is not a number of seconds', async () => {
    await expectInvalid(
      verifyWithCustomVerifier(answering({ ...good, expiresAt: '2099-01-01' }), 'opaque', target),
      'The access token expired',
    );
  });

  it('rebuilds the answer: wrong-typed fields dropped, token hidden, issuer and resource its own', async () => {
    const auth = await verifyWithCustomVerifier(
      answering({
        clientId: 42,
        scopes: ['notes:read', 7, ''],
        subject: { id: 'alice' },
        audience: [RESOURCE, null],
        claims: 'not an object',
        extra: null,
        issuer: '',
      }),
      'opaque-token',
      target,
    );
    assert.equal(auth.clientId, '');
    assert.deepEqual(auth.scopes, ['notes:read']);
    assert.equal(auth.subject, undefined);
    assert.deepEqual(auth.audience, [RESOURCE]);
    assert.deepEqual(auth.claims, {});
    assert.deepEqual(auth.extra, {});
    assert.equal(auth.issuer, ISSUER);
    assert.equal(auth.token, 'opaque-token');
    assert.ok(!JSON.stringify(auth).includes('opaque-token'));
  });

  it('skips the audience check only when it is disabled', async () => {
    const noAudience = { ...good, audience: undefined };
    await expectInvalid(
      verifyWithCustomVerifier(answering(noAudience), 'opaque', target),
      'The access token has no audience',
    );
    const auth = await verifyWithCustomVerifier(answering(noAudience), 'opaque', { ...target, audience: undefined });
    assert.deepEqual(auth.audience, []);
  });
});
