import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base64url } from 'jose';
import { unverifiedIssuer } from './unverified-issuer.js';

const part = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('unverifiedIssuer', () => {
  it('reads iss from a JWT-shaped token, signed or not', () => {
    assert.equal(unverifiedIssuer(`${part({ alg: 'ES256' })}.${part({ iss: 'https://as' })}.c2ln`), 'https://as');
    assert.equal(unverifiedIssuer(`${part({ alg: 'none' })}.${part({ iss: 'https://as' })}.`), 'https://as');
  });

  it('returns undefined for a JWT without a string iss', () => {
    assert.equal(unverifiedIssuer(`${part({ alg: 'ES256' })}.${part({ sub: 'a' })}.c2ln`), undefined);
    assert.equal(unverifiedIssuer(`${part({ alg: 'ES256' })}.${part({ iss: 42 })}.c2ln`), undefined);
  });

  it('returns undefined for opaque or malformed tokens', () => {
    const header = part({ alg: 'ES256' });
    const payload = part({ iss: 'https://as' });
    for (const token of [
      'opaque-token',
      `${header}.${payload}`,
      `${header}.${payload}.sig.extra`,
      `${part('not json')}.${payload}.sig`,
      `${header}.${part('not json')}.sig`,
      `${header}.${part([1, 2])}.sig`,
      `${header}+.${payload}.sig`,
      `.${payload}.sig`,
    ]) {
      assert.equal(unverifiedIssuer(token), undefined, token);
    }
  });
});
