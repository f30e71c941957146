import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { authInfoFor, createAuthInfo, type AuthInfoInput, verifiedToken } from './auth-info.factory.js';
import { readAudience, readClientId } from './claim-readers.js';

const TOKEN = 'secret-token-3b9f';
const input = (overrides: Partial<AuthInfoInput> = {}): AuthInfoInput => ({
  token: TOKEN,
  clientId: 'app',
  scopes: ['a'],
  expiresAt: 2_000_000_000,
  resource: 'https://api.example/mcp',
  issuer: 'https://as.example',
  subject: 'alice',
  audience: ['https://api.example/mcp'],
  claims: { nested: { list: [1] } },
  ...overrides,
});

describe('createAuthInfo', () => {
  it('keeps the token readable but out of JSON, inspect and spreads', () => {
    const auth = createAuthInfo(input());
    assert.equal(auth.token, TOKEN);
    for (const text of [JSON.stringify(auth), inspect(auth, { depth: 10 }), JSON.stringify({ ...auth })]) {
      assert.ok(!text.includes(TOKEN), text);
    }
    assert.equal(Object.getOwnPropertyDescriptor(auth, 'token')?.writable, false);
  });

  it('deep-freezes a copy of the claims', () => {
    const claims = { nested: { list: [1] } };
    const auth = createAuthInfo(input({ claims }));
    assert.ok(Object.isFrozen(auth.claims) && Object.isFrozen((auth.claims.nested as { list: number[] }).list));
    assert.ok(!Object.isFrozen(claims), "the caller's object is left alone");
    claims.nested.list.push(2);
    assert.deepEqual(auth.claims.nested, { list: [1] });
  });

  it('falls back to a shallow frozen copy for claims structuredClone refuses', () => {
    const auth = createAuthInfo(input({ claims: { fn: () => 1 } }));
    assert.ok(Object.isFrozen(auth.claims));
    assert.equal(typeof auth.claims.fn, 'function');
  });

  it('converts the resource to a URL and omits absent optional fields', () => {
    const auth = createAuthInfo(input({ subject: undefined, expiresAt: undefined }));
    assert.ok(auth.resource instanceof URL);
    assert.ok(!('subject' in auth) && !('expiresAt' in auth));
    assert.deepEqual(auth.extra, {});
  });
});

describe('verifiedToken and authInfoFor', () => {
  it('freeze what a token grants once, and give each request its own AuthInfo of it', () => {
    const { token, ...rest } = input();
    const verified = verifiedToken({ ...rest, claims: { nested: { list: [1] } }, claimsOwned: true });
    assert.ok(Object.isFrozen(verified) && Object.isFrozen(verified.scopes) && Object.isFrozen(verified.audience));
    assert.ok(Object.isFrozen((verified.claims.nested as { list: number[] }).list));
    assert.ok(!Object.values(verified).includes(token), 'the snapshot never holds the token');
    const [first, second] = [authInfoFor(token, verified), authInfoFor(token, verified)];
    assert.notEqual(first, second);
    assert.notEqual(first.scopes, second.scopes);
    assert.notEqual(first.resource, second.resource);
    assert.notEqual(first.extra, second.extra);
    assert.equal(first.claims, verified.claims, 'claims are shared, frozen');
    first.scopes.push('admin');
    first.resource!.pathname = '/elsewhere';
    first.extra!.note = 1;
    assert.deepEqual(second.scopes, ['a']);
    assert.equal(second.resource!.href, 'https://api.example/mcp');
    assert.deepEqual(second.extra, {});
    assert.deepEqual(authInfoFor(token, verified).scopes, ['a']);
    assert.equal(second.token, token);
    assert.ok(!Object.keys(second).includes('token'));
  });
});

describe('claim readers', () => {
  it('reads client_id, else azp, else an empty string', () => {
    assert.equal(readClientId({ client_id: 'c', azp: 'a' }), 'c');
    assert.equal(readClientId({ client_id: '', azp: 'a' }), 'a');
    assert.equal(readClientId({ client_id: 7 }), '');
  });

  it('reads aud as an array of strings', () => {
    assert.deepEqual(readAudience({ aud: 'x' }), ['x']);
    assert.deepEqual(readAudience({ aud: ['x', 1, 'y'] }), ['x', 'y']);
    assert.deepEqual(readAudience({ aud: { x: 1 } }), []);
    assert.deepEqual(readAudience({}), []);
  });
});
