import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base64url } from 'jose';
import { hasType, jwsHeaderProblem, parseCompactJwt } from './compact-jwt.js';

const part = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseCompactJwt', () => {
  it('reads header, claims, signing input and signature of a JWT-shaped token, signed or not', () => {
    const header = part({ alg: 'ES256' });
    const payload = part({ iss: 'https://as' });
    assert.deepEqual(parseCompactJwt(`${header}.${payload}.c2ln`), {
      header: { alg: 'ES256' },
      payload: { iss: 'https://as' },
      signingInput: `${header}.${payload}`,
      signature: 'c2ln',
    });
    assert.equal(parseCompactJwt(`${part({ alg: 'none' })}.${payload}.`)?.payload.iss, 'https://as');
  });

  it('gives a fresh claims object per parse', () => {
    const token = `${part({ alg: 'ES256' })}.${part({ iss: 'https://as' })}.c2ln`;
    assert.notEqual(parseCompactJwt(token)!.payload, parseCompactJwt(token)!.payload);
  });

  it('returns undefined for opaque or malformed tokens', () => {
    const header = part({ alg: 'ES256' });
    const payload = part({ iss: 'https://as' });
    for (const token of [
      '',
      'opaque-token',
      `${header}.${payload}`,
      `${header}.${payload}.sig.extra`,
      `${part('not json')}.${payload}.sig`,
      `${header}.${part('not json')}.sig`,
      `${header}.${part([1, 2])}.sig`,
      `${header}.${part('null')}.sig`,
      `${header}+.${payload}.sig`,
      `${header}.${payload}=.sig`,
      `.${payload}.sig`,
      `${header}..sig`,
      // Valid base64url, but the bytes are not UTF-8 (a lone 0xff inside the JSON string).
      `${header}.${Buffer.concat([Buffer.from('{"iss":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString('base64url')}.sig`,
    ]) {
      assert.equal(parseCompactJwt(token), undefined, token);
    }
  });
});

describe('jwsHeaderProblem', () => {
  const jwt = (header: Record<string, unknown>, signature = 'AAAA') =>
    parseCompactJwt(`${part(header)}.${part({})}.${signature}`)!;
  const allowed = new Set(['ES256']);

  it('takes a signature segment in base64url without padding, of any length an encoding can have', () => {
    for (const signature of ['', 'AA', 'AAA', 'AAAA', 'a-_Z09AA']) {
      assert.equal(jwsHeaderProblem(jwt({ alg: 'ES256' }, signature), allowed), undefined, signature);
    }
    for (const signature of ['A', 'AAAAA', 'AA==', 'AA+/', 'AA AA']) {
      assert.equal(jwsHeaderProblem(jwt({ alg: 'ES256' }, signature), allowed), 'malformed', signature);
    }
  });

  it('needs an allowed alg, and no critical extension but b64: true', () => {
    assert.equal(jwsHeaderProblem(jwt({ alg: 'ES256', crit: ['b64'], b64: true }), allowed), undefined);
    for (const header of [{}, { alg: '' }, { alg: 1 }, { alg: 'ES256', crit: ['b64'] }, { alg: 'ES256', crit: [] }]) {
      assert.equal(jwsHeaderProblem(jwt(header), allowed), 'malformed', JSON.stringify(header));
    }
    assert.equal(jwsHeaderProblem(jwt({ alg: 'RS256' }), allowed), 'algorithm');
    assert.equal(jwsHeaderProblem(jwt({ alg: 'none' }), allowed), 'algorithm');
  });
});

describe('hasType', () => {
  it('compares the media type with or without application/, in any case', () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+JWT']) {
      assert.equal(hasType({ typ }, 'at+jwt'), true, typ);
    }
    for (const typ of [undefined, 1, 'jwt', 'dpop+jwt', 'text/at+jwt', 'application/at+jwt+x']) {
      assert.equal(hasType({ typ }, 'at+jwt'), false, String(typ));
    }
  });
});
