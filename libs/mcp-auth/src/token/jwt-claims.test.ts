import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkJwtClaims, type JwtClaimsPolicy } from './jwt-claims.js';

const NOW_MS = 1_800_000_000_500;
const NOW = Math.floor(NOW_MS / 1000);
const policy: JwtClaimsPolicy = {
  issuer: 'https://as',
  audience: ['https://rs/mcp'],
  clockToleranceSeconds: 5,
  requireAccessTokenType: false,
};
const valid = { iss: 'https://as', aud: 'https://rs/mcp', exp: NOW + 60, iat: NOW, nbf: NOW };
const refusal = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, rules = policy) =>
  checkJwtClaims(header, claims, rules, NOW_MS)?.description;

describe('checkJwtClaims', () => {
  it('accepts valid claims, an audience list containing the resource, and times within the tolerance', () => {
    assert.equal(refusal(valid), undefined);
    assert.equal(refusal({ ...valid, aud: ['https://other', 'https://rs/mcp'] }), undefined);
    assert.equal(refusal({ ...valid, exp: NOW - 4, iat: NOW + 5, nbf: NOW + 5 }), undefined);
    assert.equal(refusal({ iss: 'https://as', exp: NOW + 1 }, {}, { ...policy, audience: undefined }), undefined);
  });

  it('refuses each broken rule with its sentence', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, iss: undefined }, 'The access token issuer is not trusted'],
      [{ ...valid, iss: 'https://as/' }, 'The access token issuer is not trusted'],
      [{ ...valid, aud: undefined }, 'The access token has no audience'],
      [{ ...valid, aud: 'https://rs/mcp/' }, 'The access token audience is not this resource'],
      [{ ...valid, aud: [42] }, 'The access token audience is not this resource'],
      [{ ...valid, aud: { 0: 'https://rs/mcp' } }, 'The access token audience is not this resource'],
      [{ ...valid, exp: undefined }, 'The access token has no expiry'],
      [{ ...valid, exp: `${NOW + 60}` }, 'The access token expiry is invalid'],
      [{ ...valid, exp: null }, 'The access token expiry is invalid'],
      [{ ...valid, exp: NOW - 5 }, 'The access token expired'],
      [{ ...valid, nbf: NOW + 6 }, 'The access token is not valid yet'],
      [{ ...valid, nbf: 'now' }, 'The access token is not valid yet'],
      [{ ...valid, iat: 'yesterday' }, 'The access token issue time is invalid'],
      [{ ...valid, iat: NOW + 6 }, 'The access token was issued in the future'],
    ];
    for (const [claims, description] of cases) {
      // `undefined` members stand for absent claims.
      const present = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
      assert.equal(refusal(present), description, JSON.stringify(claims));
    }
  });

  it('checks presence of iss, aud and exp before their values', () => {
    assert.equal(refusal({ iss: 'https://evil', aud: 'https://rs/mcp' }), 'The access token has no expiry');
    assert.equal(refusal({ iss: 'https://as', aud: 'https://other' }), 'The access token has no expiry');
    assert.equal(refusal({ iss: 'https://as', exp: NOW + 60 }), 'The access token has no audience');
  });

  it('requires typ at+jwt, case-insensitively, with or without application/, when asked to', () => {
    const strict = { ...policy, requireAccessTokenType: true };
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt']) {
      assert.equal(refusal(valid, { typ }, strict), undefined, typ);
    }
    for (const typ of [undefined, 'JWT', 'jwt', 'at+jwt ', 'text/at+jwt', 42]) {
      assert.equal(refusal(valid, { typ }, strict), 'The access token type is not at+jwt', String(typ));
    }
    assert.equal(refusal(valid, { typ: 'JWT' }), undefined, 'not checked unless asked');
  });
});
