import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthInfo } from './auth-info.interface.js';
import { forgetValidatedArguments, rememberValidatedArguments, takeValidatedArguments } from './request-grants.js';

function auth(): AuthInfo {
  return {
    token: 't',
    clientId: 'c',
    scopes: [],
    issuer: 'https://issuer',
    resource: new URL('https://rs/mcp'),
    audience: [],
    claims: {},
  };
}

describe('validated arguments handed from the guard to the handler', () => {
  const strict = { name: 'strict' };
  const lenient = { name: 'lenient' };

  it('go to the primitive they were validated for, once', () => {
    const grants = auth();
    rememberValidatedArguments(grants, 1, strict, { limit: 10 });
    assert.deepEqual(takeValidatedArguments(grants, 1, strict), { value: { limit: 10 } });
    assert.equal(takeValidatedArguments(grants, 1, strict), undefined);
  });

  it('never to another primitive under the same request id: that handler validates them itself', () => {
    const grants = auth();
    rememberValidatedArguments(grants, 7, lenient, { limit: 1000 });
    assert.equal(takeValidatedArguments(grants, 7, strict), undefined);
    // Spent: not handed to the lenient one later either (its own handler validates).
    assert.equal(takeValidatedArguments(grants, 7, lenient), undefined);
  });

  it('are kept apart per request id, and undefined values count', () => {
    const grants = auth();
    rememberValidatedArguments(grants, 'a', strict, undefined);
    rememberValidatedArguments(grants, 'b', lenient, { x: 1 });
    assert.deepEqual(takeValidatedArguments(grants, 'a', strict), { value: undefined });
    assert.deepEqual(takeValidatedArguments(grants, 'b', lenient), { value: { x: 1 } });
    assert.equal(takeValidatedArguments(undefined, 'a', strict), undefined);
  });

  it('are forgotten when the next request on the same AuthInfo starts deciding its scopes', () => {
    const grants = auth();
    rememberValidatedArguments(grants, 1, strict, { limit: 10 });
    forgetValidatedArguments(grants);
    assert.equal(takeValidatedArguments(grants, 1, strict), undefined);
  });
});
