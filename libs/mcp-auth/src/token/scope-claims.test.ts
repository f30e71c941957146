import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readScopes } from './scope-claims.js';

describe('readScopes', () => {
  it('reads a space-separated scope claim by default', () => {
    assert.deepEqual(readScopes({ scope: 'notes:read notes:write' }, undefined), ['notes:read', 'notes:write']);
  });

  it('falls back to scp (array) only when scope is absent', () => {
    assert.deepEqual(readScopes({ scp: ['a', 'b'] }, undefined), ['a', 'b']);
    assert.deepEqual(readScopes({ scope: 'x', scp: ['a'] }, undefined), ['x']);
  });

  it('does not fall back to scp when scope is present but empty', () => {
    assert.deepEqual(readScopes({ scope: '', scp: ['a'] }, undefined), []);
  });

  it('reads scp as a space-separated string too', () => {
    assert.deepEqual(readScopes({ scp: 'a b' }, undefined), ['a', 'b']);
  });

  it("reads only the named claim with 'scope' or 'scp'", () => {
    const claims = { scope: 'from-scope', scp: ['from-scp'] };
    assert.deepEqual(readScopes(claims, 'scope'), ['from-scope']);
    assert.deepEqual(readScopes(claims, 'scp'), ['from-scp']);
    assert.deepEqual(readScopes({ scp: ['only-scp'] }, 'scope'), []);
  });

  it('calls a function option and cleans its result', () => {
    const mapper = (claims: Readonly<Record<string, unknown>>) =>
      (claims.roles as string[]).map((role) => role.toLowerCase());
    assert.deepEqual(readScopes({ roles: ['Admin', 'admin', ''], scope: 'ignored' }, mapper), ['admin']);
  });

  it('deduplicates and drops empty strings (doubled spaces)', () => {
    assert.deepEqual(readScopes({ scope: ' a  a b ' }, undefined), ['a', 'b']);
    assert.deepEqual(readScopes({ scp: ['a', '', 'a', 'b'] }, undefined), ['a', 'b']);
  });

  it('splits on the space character only: other whitespace never separates scopes (RFC 6749 §3.3)', () => {
    assert.deepEqual(readScopes({ scope: 'read\u00a0admin' }, undefined), []);
    assert.deepEqual(readScopes({ scope: 'read\tadmin' }, undefined), []);
    assert.deepEqual(readScopes({ scope: 'read\nadmin notes' }, undefined), ['notes']);
    assert.deepEqual(readScopes({ scope: 'read\u2003admin' }, undefined), []);
  });

  it('keeps only scope tokens from arrays and mappers: one member is one scope', () => {
    assert.deepEqual(readScopes({ scp: ['read admin', 'notes', 'caf\u00e9', 'a"b', 'a\\b'] }, undefined), ['notes']);
    assert.deepEqual(
      readScopes({}, () => ['read\tadmin', 'ok']),
      ['ok'],
    );
  });

  it('returns [] for claims of the wrong type', () => {
    for (const value of [42, true, null, { a: 1 }, [1, 2]]) {
      assert.deepEqual(readScopes({ scope: value }, 'scope'), [], `scope: ${JSON.stringify(value)}`);
      assert.deepEqual(readScopes({ scp: value }, 'scp'), [], `scp: ${JSON.stringify(value)}`);
    }
    assert.deepEqual(readScopes({ scp: ['ok', 7, null] }, undefined), ['ok']);
    assert.deepEqual(
      readScopes({}, () => 'not-an-array' as unknown as string[]),
      [],
    );
  });

  it('returns [] when there is no scope claim at all', () => {
    assert.deepEqual(readScopes({ sub: 'alice' }, undefined), []);
  });
});
