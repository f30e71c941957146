import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { McpAuthModuleOptions, ProtectedResourceOptions } from './mcp-auth-options.interface.js';
import { resolveOptions } from './resolve-options.js';

const AS = { issuer: 'https://auth.example.com' };
const base = (resource: Partial<ProtectedResourceOptions> = {}, rest: Partial<McpAuthModuleOptions> = {}) =>
  resolveOptions({
    resources: [{ resource: 'https://api.example.com/mcp', authorizationServers: [AS], ...resource }],
    ...rest,
  });

function refused(build: () => unknown, pattern: RegExp): void {
  assert.throws(build, (error: unknown) => {
    assert.ok(error instanceof McpAuthConfigurationError);
    assert.equal(error.code, 'ERR_MCP_AUTH_CONFIGURATION');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('resolveOptions', () => {
  it('fills strict defaults: audience = resource, asymmetric algorithms, eager discovery, stateless /mcp', () => {
    const options = base();
    const [resource] = options.resources;
    assert.deepEqual(resource.audience, ['https://api.example.com/mcp']);
    assert.equal(resource.metadataUrl, 'https://api.example.com/.well-known/oauth-protected-resource/mcp');
    assert.equal(resource.metadataPath, '/.well-known/oauth-protected-resource/mcp');
    assert.equal(resource.resourcePath, '/mcp');
    assert.ok(!options.algorithms.some((alg) => alg.startsWith('HS') || alg === 'none'));
    assert.equal(options.discovery.mode, 'eager');
    assert.equal(options.clockToleranceSeconds, 5);
    assert.equal(options.mcp.path, '/mcp');
    assert.equal(options.mcp.mode, 'stateless');
    assert.deepEqual(options.mcp.allowedOrigins, ['https://api.example.com']);
    assert.equal(resource.authorizationServers[0].verifier, 'jwt');
  });

  it('hides nothing from the lists by default, and honours the deprecated hideUnauthorizedTools', () => {
    assert.equal(base().mcp.hideUnauthorized, false);
    assert.equal(base({}, { mcp: { hideUnauthorized: true } }).mcp.hideUnauthorized, true);
    assert.equal(base({}, { mcp: { hideUnauthorizedTools: true } }).mcp.hideUnauthorized, true);
    assert.equal(
      base({}, { mcp: { hideUnauthorized: false, hideUnauthorizedTools: true } }).mcp.hideUnauthorized,
      false,
      'the new name wins',
    );
  });

  it('keeps audience checking on unless dangerously disabled', () => {
    assert.deepEqual(base({ audience: 'api://notes' }).resources[0].audience, ['api://notes']);
    assert.equal(base({ dangerouslyAcceptAnyAudience: true }).resources[0].audience, undefined);
    refused(() => base({ audience: [] }), /audience/);
  });

  it('refuses symmetric and unknown algorithms', () => {
    refused(() => base({}, { algorithms: ['HS256'] }), /HS256.*asymmetric/);
    refused(() => base({}, { algorithms: ['none'] }), /none/);
    refused(() => base({}, { algorithms: [] }), /algorithms/);
  });

  it('refuses resources and issuers that are not https (except on loopback) or have a fragment or query', () => {
    refused(() => base({ resource: 'http://api.example.com/mcp' }), /https/);
    refused(() => base({ resource: 'https://api.example.com/mcp#x' }), /fragment/);
    refused(() => base({ resource: 'https://api.example.com/mcp?x=1' }), /query/);
    refused(() => base({ resource: 'not a url' }), /absolute URL/);
    refused(() => base({ authorizationServers: [{ issuer: 'http://auth.example.com' }] }), /https/);
    assert.doesNotThrow(() => base({ resource: 'http://127.0.0.1:3000/mcp' }));
    assert.doesNotThrow(() => base({ resource: 'http://localhost:3000/mcp' }));
  });

  it('refuses published scopes the spec forbids', () => {
    refused(() => base({ scopesSupported: ['offline_access'] }), /offline_access/);
    refused(() => base({ scopesSupported: ['notes:*'] }), /wildcard/);
    refused(() => base({ scopesSupported: ['two words'] }), /not a valid scope/);
  });

  it('refuses empty and ambiguous authorization-server lists', () => {
    refused(() => resolveOptions({ resources: [] }), /at least one/);
    refused(() => base({ authorizationServers: [] }), /at least one authorization server/);
    refused(() => base({ authorizationServers: [AS, AS] }), /listed twice/);
    const introspection = { type: 'introspection' as const, clientId: 'rs', clientSecret: 's' };
    refused(
      () =>
        base({
          authorizationServers: [
            { issuer: 'https://a.example', verifier: introspection },
            { issuer: 'https://b.example', verifier: introspection },
          ],
        }),
      /at most one can receive opaque tokens/,
    );
    refused(
      () =>
        base({ authorizationServers: [{ issuer: 'https://a.example', metadata: { issuer: 'https://b.example' } }] }),
      /differs/,
    );
    refused(
      () =>
        base({ authorizationServers: [{ issuer: 'https://a.example', metadata: { issuer: 'https://a.example' } }] }),
      /needs a jwks_uri/,
    );
    refused(
      () =>
        base({
          authorizationServers: [
            {
              issuer: 'https://a.example',
              metadata: { issuer: 'https://a.example' },
              verifier: { type: 'introspection', clientId: 'rs', clientSecret: 's' },
            },
          ],
        }),
      /introspection_endpoint/,
    );
  });

  it('refuses two resources with the same metadata URL', () => {
    refused(
      () =>
        resolveOptions({
          resources: [
            { resource: 'https://api.example.com/mcp', authorizationServers: [AS] },
            { resource: 'https://api.example.com/mcp/', authorizationServers: [AS] },
          ],
        }),
      /share the metadata URL/,
    );
  });

  it('refuses nonsense numbers and paths', () => {
    refused(() => base({}, { clockToleranceSeconds: -1 }), /clockToleranceSeconds/);
    refused(() => base({}, { jwks: { cooldownMs: Number.NaN } }), /cooldownMs/);
    refused(() => base({}, { mcp: { path: 'mcp' } }), /mcp.path/);
    // Counts size arrays (the token caches): a fraction would fail on the cache's first growth, not at boot.
    refused(() => base({}, { tokenCache: { maxEntries: 300.5 } }), /tokenCache.maxEntries.*whole number/);
    refused(() => base({}, { mcp: { maxSessionsPerSubject: 1.5 } }), /maxSessionsPerSubject/);
    refused(() => base({}, { dpop: { maxRememberedProofs: 2 ** 60 } }), /maxRememberedProofs/);
  });
});
