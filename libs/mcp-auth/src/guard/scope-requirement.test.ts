import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { checkScopes, isAllowed } from './scope-requirement.js';

const auth = (...scopes: string[]) => ({ scopes }) as unknown as AuthInfo;

describe('checkScopes', () => {
  it('names every needed scope, and those the token lacks', () => {
    const requirement = { requiredScopes: ['notes:read', 'notes:write'] };
    assert.deepEqual(checkScopes(requirement, auth('notes:read')), {
      required: ['notes:read', 'notes:write'],
      missing: ['notes:write'],
    });
    assert.deepEqual(checkScopes(requirement, auth('notes:write', 'notes:read', 'other')).missing, []);
    assert.deepEqual(checkScopes(requirement, undefined).missing, ['notes:read', 'notes:write']);
  });

  it('lets anything through what needs nothing, token or not', () => {
    assert.deepEqual(checkScopes({ requiredScopes: [] }, undefined), { required: [], missing: [] });
    assert.equal(isAllowed({ requiredScopes: [] }, undefined), true);
    assert.equal(isAllowed({ requiredScopes: ['a'] }, auth('b')), false);
  });

  it('compares whole scope tokens, never prefixes', () => {
    assert.deepEqual(checkScopes({ requiredScopes: ['notes:write'] }, auth('notes:writer', 'notes')).missing, [
      'notes:write',
    ]);
  });
});
