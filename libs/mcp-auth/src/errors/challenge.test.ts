import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, formatBearerChallenge, quote } from './challenge.js';
import { BearerAuthError } from './mcp-auth.errors.js';

const PRM = 'https://api.example.com/.well-known/oauth-protected-resource/mcp';

describe('bearerChallenge', () => {
  it('answers missing credentials with 401, no error code, the needed scopes and the metadata URL', () => {
    const challenge = bearerChallenge(BearerAuthError.missing(['notes:read']), PRM);
    assert.equal(challenge.status, 401);
    assert.equal(challenge.wwwAuthenticate, `Bearer scope="notes:read", resource_metadata="${PRM}"`);
    assert.doesNotMatch(challenge.wwwAuthenticate, /error=/);
  });

  it('leaves scope out of a no-credentials challenge when the operation needs none', () => {
    assert.equal(bearerChallenge(BearerAuthError.missing(), PRM).wwwAuthenticate, `Bearer resource_metadata="${PRM}"`);
  });

  it('answers a bad token with 401 invalid_token and no scope', () => {
    const challenge = bearerChallenge(BearerAuthError.invalidToken('The access token expired'), PRM);
    assert.equal(challenge.status, 401);
    assert.equal(
      challenge.wwwAuthenticate,
      `Bearer error="invalid_token", error_description="The access token expired", resource_metadata="${PRM}"`,
    );
    assert.deepEqual(challenge.body, { error: 'invalid_token', error_description: 'The access token expired' });
  });

  it('answers missing scopes with 403 insufficient_scope listing every scope needed', () => {
    const challenge = bearerChallenge(BearerAuthError.insufficientScope(['notes:read', 'notes:write']), PRM);
    assert.equal(challenge.status, 403);
    assert.match(challenge.wwwAuthenticate, /^Bearer error="insufficient_scope", /);
    assert.match(challenge.wwwAuthenticate, /scope="notes:read notes:write"/);
    assert.match(challenge.wwwAuthenticate, /resource_metadata=/);
  });

  it('answers a malformed header with 400 invalid_request', () => {
    const challenge = bearerChallenge(BearerAuthError.malformed('Send exactly one Authorization header'), PRM);
    assert.equal(challenge.status, 400);
    assert.match(challenge.wwwAuthenticate, /^Bearer error="invalid_request"/);
  });
});

describe('quote', () => {
  it('escapes backslashes and double quotes', () => {
    assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
  });

  it('drops CR, LF and other control characters so the header cannot be split', () => {
    assert.equal(quote('evil\r\nSet-Cookie: x=1\u0000'), '"evilSet-Cookie: x=1"');
  });

  it('drops characters outside visible ASCII', () => {
    assert.equal(quote('café ☕'), '"caf "');
  });

  it('keeps an escaped value parseable as one quoted-string', () => {
    const header = formatBearerChallenge([
      ['error_description', 'say "hi" \\ bye'],
      ['scope', 'a b'],
    ]);
    assert.equal(header, 'Bearer error_description="say \\"hi\\" \\\\ bye", scope="a b"');
  });
});
