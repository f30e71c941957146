import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, formatChallenge, quote } from './challenge.js';
import { BearerAuthError } from './mcp-auth.errors.js';

const PRM = 'https://api.example.com/.well-known/oauth-protected-resource/mcp';
const BEARER_ONLY = { metadataUrl: PRM };

describe('bearerChallenge', () => {
  it('answers missing credentials with 401, no error code, the needed scopes and the metadata URL', () => {
    const challenge = bearerChallenge(BearerAuthError.missing(['notes:read']), BEARER_ONLY);
    assert.equal(challenge.status, 401);
    assert.equal(challenge.wwwAuthenticate, `Bearer scope="notes:read", resource_metadata="${PRM}"`);
    assert.doesNotMatch(challenge.wwwAuthenticate, /error=/);
  });

  it('leaves scope out of a no-credentials challenge when the operation needs none', () => {
    assert.equal(
      bearerChallenge(BearerAuthError.missing(), BEARER_ONLY).wwwAuthenticate,
      `Bearer resource_metadata="${PRM}"`,
    );
  });

  it('answers a bad token with 401 invalid_token and no scope', () => {
    const challenge = bearerChallenge(BearerAuthError.invalidToken('The access token expired'), BEARER_ONLY);
    assert.equal(challenge.status, 401);
    assert.equal(
      challenge.wwwAuthenticate,
      `Bearer error="invalid_token", error_description="The access token expired", resource_metadata="${PRM}"`,
    );
    assert.deepEqual(challenge.body, { error: 'invalid_token', error_description: 'The access token expired' });
  });

  it('answers missing scopes with 403 insufficient_scope listing every scope needed', () => {
    const challenge = bearerChallenge(BearerAuthError.insufficientScope(['notes:read', 'notes:write']), BEARER_ONLY);
    assert.equal(challenge.status, 403);
    assert.match(challenge.wwwAuthenticate, /^Bearer error="insufficient_scope", /);
    assert.match(challenge.wwwAuthenticate, /scope="notes:read notes:write"/);
    assert.match(challenge.wwwAuthenticate, /resource_metadata=/);
  });

  it('answers a malformed header with 400 invalid_request', () => {
    const challenge = bearerChallenge(BearerAuthError.malformed('Send exactly one Authorization header'), BEARER_ONLY);
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
    const header = formatChallenge('Bearer', [
      ['error_description', 'say "hi" \\ bye'],
      ['scope', 'a b'],
    ]);
    assert.equal(header, 'Bearer error_description="say \\"hi\\" \\\\ bye", scope="a b"');
  });
});

describe('bearerChallenge with DPoP (RFC 9449 §7)', () => {
  const DPOP = { metadataUrl: PRM, dpopAlgorithms: ['ES256', 'PS256'] };

  it('adds a DPoP challenge after the Bearer one on 401s, in the same header', () => {
    assert.equal(
      bearerChallenge(BearerAuthError.missing(['notes:read']), DPOP).wwwAuthenticate,
      `Bearer scope="notes:read", resource_metadata="${PRM}", DPoP algs="ES256 PS256"`,
    );
    assert.equal(
      bearerChallenge(BearerAuthError.insufficientScope(['a']), DPOP).wwwAuthenticate,
      `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="a", resource_metadata="${PRM}"`,
    );
  });

  it('answers a DPoP request in the DPoP scheme, errors included', () => {
    const challenge = bearerChallenge(BearerAuthError.invalidToken('The access token expired'), {
      ...DPOP,
      scheme: 'dpop',
    });
    assert.equal(
      challenge.wwwAuthenticate,
      `DPoP error="invalid_token", error_description="The access token expired", resource_metadata="${PRM}", algs="ES256 PS256"`,
    );
    assert.equal(bearerChallenge(BearerAuthError.insufficientScope(['a']), { ...DPOP, scheme: 'dpop' }).status, 403);
  });

  it('puts proof errors in the DPoP challenge with 401, and the nonce in DPoP-Nonce', () => {
    const proof = bearerChallenge(BearerAuthError.invalidDpopProof('The DPoP proof was already used'), DPOP);
    assert.equal(proof.status, 401);
    assert.match(
      proof.wwwAuthenticate,
      /^DPoP error="invalid_dpop_proof", error_description="The DPoP proof was already used"/,
    );
    const nonce = bearerChallenge(BearerAuthError.useDpopNonce('n-1'), DPOP);
    assert.equal(nonce.status, 401);
    assert.match(nonce.wwwAuthenticate, /^DPoP error="use_dpop_nonce"/);
    assert.deepEqual(nonce.headers, { 'DPoP-Nonce': 'n-1' });
  });

  it('challenges with DPoP only where the resource requires it', () => {
    assert.equal(
      bearerChallenge(BearerAuthError.missing(), { ...DPOP, dpopRequired: true }).wwwAuthenticate,
      `DPoP resource_metadata="${PRM}", algs="ES256 PS256"`,
    );
  });
});

describe('bearerChallenge: the scopes of a step-up challenge, per MCP revision', () => {
  const needed = BearerAuthError.insufficientScope(['notes:write']);
  const granted = ['notes:read', 'offline_access', 'other-api:read'];
  const base = { metadataUrl: PRM, grantedScopes: granted, scopesSupported: ['notes:read', 'notes:write'] };
  const scopeOf = (context: Parameters<typeof bearerChallenge>[1]) =>
    /scope="([^"]*)"/.exec(bearerChallenge(needed, context).wwwAuthenticate)?.[1];

  it('adds the relevant granted scopes for clients of 2025-11-25 and earlier (never offline_access)', () => {
    for (const protocolVersion of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      assert.equal(scopeOf({ ...base, protocolVersion }), 'notes:write notes:read', protocolVersion);
    }
  });

  it('names only what is needed for 2026-07-28 clients (SEP-2350) and for requests that are not MCP', () => {
    assert.equal(scopeOf({ ...base, protocolVersion: '2026-07-28' }), 'notes:write');
    assert.equal(scopeOf(base), 'notes:write');
  });

  it('follows the option when set', () => {
    assert.equal(scopeOf({ ...base, protocolVersion: '2025-11-25', challengeScopes: 'required' }), 'notes:write');
    assert.equal(scopeOf({ ...base, challengeScopes: 'required-and-granted' }), 'notes:write notes:read');
    assert.equal(
      scopeOf({ ...base, scopesSupported: [], challengeScopes: 'required-and-granted' }),
      'notes:write notes:read other-api:read',
    );
  });
});
