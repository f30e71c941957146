import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { VerificationResultCache } from './verification-result.cache.js';

const auth = { subject: 'alice' } as AuthInfo;

describe('VerificationResultCache', () => {
  it('returns a remembered outcome for the exact same token only', () => {
    const cache = new VerificationResultCache(1000, 10, () => 0);
    cache.remember('token-a', { auth });
    assert.equal(cache.get('token-a')?.auth, auth);
    assert.equal(cache.get('token-a '), undefined);
    assert.equal(cache.get('token-b'), undefined);
  });

  it('forgets outcomes after the TTL and never keeps one past the given deadline', () => {
    let now = 0;
    const cache = new VerificationResultCache(1000, 10, () => now);
    cache.remember('long', { auth });
    cache.remember('expiring', { auth }, 300);
    now = 299;
    assert.ok(cache.get('expiring'));
    now = 300;
    assert.equal(cache.get('expiring'), undefined);
    assert.ok(cache.get('long'));
    now = 1000;
    assert.equal(cache.get('long'), undefined);
    assert.equal(cache.size, 0);
  });

  it('does not store outcomes whose deadline has passed, nor anything with a zero TTL', () => {
    const cache = new VerificationResultCache(1000, 10, () => 500);
    cache.remember('expired', { auth }, 500);
    assert.equal(cache.size, 0);
    const disabled = new VerificationResultCache(0, 10, () => 0);
    disabled.remember('token', { auth });
    assert.equal(disabled.get('token'), undefined);
  });

  it('stays within maxEntries, dropping the oldest first', () => {
    const cache = new VerificationResultCache(1000, 3, () => 0);
    for (const token of ['t1', 't2', 't3', 't4']) cache.remember(token, { error: BearerAuthError.invalidToken('x') });
    assert.equal(cache.size, 3);
    assert.equal(cache.get('t1'), undefined);
    assert.ok(cache.get('t4')?.error);
  });
});
