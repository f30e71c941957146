import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DEV_USERS } from './dev-auth-server/index.js';
import { findDevUser } from './dev-auth-server/accounts.js';
import { SCOPE_DESCRIPTIONS, SCOPES } from './example-config.js';
import { startBanner } from './start-banner.js';

const config = {
  resourceUrl: 'http://127.0.0.1:3000/mcp',
  mode: 'stateless' as const,
  issuer: 'http://127.0.0.1:4000',
};

describe('npm start banner', () => {
  it('says what to type on the sign-in page, and the page accepts both', () => {
    const banner = startBanner(config, DEFAULT_DEV_USERS[0]);
    const [, id, name] = /Sign in\s+type (\S+) \(or ([^)]+)\) on its sign-in page/.exec(banner) ?? [];
    assert.deepEqual([id, name], ['demo', 'Demo User']);
    assert.equal(findDevUser(DEFAULT_DEV_USERS, id!)?.id, 'demo');
    assert.equal(findDevUser(DEFAULT_DEV_USERS, name!)?.id, 'demo');
  });

  it('says how to try a step-up, with a tool that needs the scope to uncheck', () => {
    const banner = startBanner(config, DEFAULT_DEV_USERS[0]);
    assert.match(banner, /Step-up\s+on the consent page uncheck notes:admin, and offline_access if listed/);
    assert.match(banner, /Call delete_all_notes: 403\s+insufficient_scope/);
    assert.match(banner, /delete_all_notes \(notes:admin\)/, 'the tool list agrees');
  });

  it('leaves the sign-in and step-up lines out for an external issuer', () => {
    const banner = startBanner({ ...config, issuer: 'https://auth.example.com' });
    assert.doesNotMatch(banner, /Sign in|Step-up|embedded/);
    assert.match(banner, /Connect\s+npm run client/);
  });

  it('names the mode and the HTTP platform (HTTP_ADAPTER)', () => {
    assert.match(startBanner(config), /MCP server\s+http:\/\/127\.0\.0\.1:3000\/mcp\s+\(stateless, on express\)/);
    assert.match(startBanner({ ...config, httpAdapter: 'fastify' }), /\(stateless, on fastify\)/);
  });

  it('describes every example scope for the sign-in page', () => {
    assert.deepEqual(Object.keys(SCOPE_DESCRIPTIONS).sort(), [...SCOPES].sort());
  });
});
