import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createAuthInfo, type AuthInfoInput } from './auth-info.factory.js';
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
