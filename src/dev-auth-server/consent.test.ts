import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DEV_USERS, findDevUser } from './accounts.js';
import { decideConsent, offerScopes } from './consent.js';
import { startDevAuthorizationServer } from './dev-authorization-server.js';
import type { DevResource } from './types.js';

const NOTES = 'http://127.0.0.1:3000/mcp';
const OTHER = 'http://127.0.0.1:3999/other';
const resources = new Map<string, DevResource>([
  [NOTES, { resource: NOTES, scopes: ['notes:read', 'notes:write', 'shared'], scopeDescriptions: { shared: 'S' } }],
  [OTHER, { resource: OTHER, scopes: ['other:read', 'shared'] }],
]);

describe('findDevUser', () => {
  const users = [...DEFAULT_DEV_USERS, { id: 'alice', name: 'Alice Smith' }, { id: 'al', name: 'Alice Smith' }];

  it('accepts the id or the display name, ignoring case and extra spaces', () => {
    for (const typed of ['demo', 'Demo User', ' demo  user ', 'DEMO', 'alice']) {
      assert.ok(findDevUser(users, typed), typed);
    }
    assert.equal(findDevUser(users, 'Demo User')?.id, 'demo');
    assert.equal(findDevUser(users, 'ALICE')?.id, 'alice');
  });

  it('picks nobody for an unknown, empty or shared name', () => {
    for (const typed of ['mallory', '', '   ', 'Demo Use', 'Alice Smith']) {
      assert.equal(findDevUser(users, typed), undefined, typed);
    }
  });
});

describe('offerScopes and decideConsent', () => {
  it('offers requested scopes the requested resources accept, and lists the others as unavailable', () => {
    const offer = offerScopes(['notes:read', 'other:read', 'made:up', 'notes:read'], [NOTES], resources);
    assert.deepEqual(
      offer.offered.map((row) => row.scope),
      ['notes:read'],
    );
    assert.deepEqual(offer.unavailable, ['other:read', 'made:up']);
  });

  it("takes descriptions from the resource's configuration and the OpenID ones from the server", () => {
    const offer = offerScopes(['shared', 'notes:write', 'offline_access', 'openid'], [OTHER, NOTES], resources);
    const [shared, write, offline, openid] = offer.offered;
    assert.deepEqual(shared, { scope: 'shared', description: 'S', resources: [OTHER, NOTES], fixed: false });
    assert.equal(write!.description, undefined);
    assert.match(offline!.description!, /refresh token/);
    assert.deepEqual([offline!.resources, offline!.fixed, openid!.fixed], [[], false, true]);
  });

  it('grants what is checked (and openid), declines the rest, ignores anything not offered', () => {
    const offer = offerScopes(['openid', 'offline_access', 'notes:read', 'notes:write', 'shared'], [NOTES], resources);
    const decision = decideConsent(offer, new Set(['notes:read', 'shared', 'other:read', 'made:up']));
    assert.deepEqual(decision.oidc, { granted: ['openid'], declined: ['offline_access'] });
    assert.deepEqual(
      [...decision.resources],
      [[NOTES, { granted: ['notes:read', 'shared'], declined: ['notes:write'] }]],
    );
  });

  it('applies one checkbox to every resource that accepts the scope', () => {
    const decision = decideConsent(offerScopes(['shared'], [NOTES, OTHER], resources), new Set());
    assert.deepEqual(decision.resources.get(OTHER), { granted: [], declined: ['shared'] });
    assert.deepEqual(decision.resources.get(NOTES), { granted: [], declined: ['shared'] });
  });
});

describe('scope configuration of startDevAuthorizationServer', () => {
  it('refuses a description for a scope the resource does not have, and OpenID scopes as resource scopes', async () => {
    const start = (resource: DevResource) => startDevAuthorizationServer({ port: 0, resources: [resource] });
    await assert.rejects(
      start({ resource: NOTES, scopes: ['notes:read'], scopeDescriptions: { 'notes:raed': 'typo' } }),
      /"notes:raed" is described but not a scope of http:\/\/127\.0\.0\.1:3000\/mcp/,
    );
    await assert.rejects(
      start({ resource: NOTES, scopes: ['notes:read', 'offline_access'] }),
      /"offline_access" is an OpenID scope of the server/,
    );
  });
});
