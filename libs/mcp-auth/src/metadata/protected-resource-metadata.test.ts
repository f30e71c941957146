import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOptions } from '../options/resolve-options.js';
import { protectedResourceMetadata, protectedResourceMetadataUrl } from './protected-resource-metadata.js';

describe('protectedResourceMetadataUrl', () => {
  it('inserts the well-known segment between host and path (RFC 9728 §3.1)', () => {
    assert.equal(
      protectedResourceMetadataUrl('https://api.example.com/mcp'),
      'https://api.example.com/.well-known/oauth-protected-resource/mcp',
    );
    assert.equal(
      protectedResourceMetadataUrl('https://api.example.com/tenant/a/mcp'),
      'https://api.example.com/.well-known/oauth-protected-resource/tenant/a/mcp',
    );
  });

  it('uses the bare well-known URL for a resource without a path', () => {
    assert.equal(
      protectedResourceMetadataUrl('https://api.example.com'),
      'https://api.example.com/.well-known/oauth-protected-resource',
    );
    assert.equal(
      protectedResourceMetadataUrl('https://api.example.com/'),
      'https://api.example.com/.well-known/oauth-protected-resource',
    );
  });

  it('keeps the port and drops a trailing slash of the path', () => {
    assert.equal(
      protectedResourceMetadataUrl('http://127.0.0.1:3000/mcp/'),
      'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp',
    );
  });
});

describe('protectedResourceMetadata', () => {
  it('publishes the resource, its issuers, scopes, header-only bearer method and optional fields', () => {
    const [resource] = resolveOptions({
      resources: [
        {
          resource: 'https://api.example.com/mcp',
          authorizationServers: [
            { issuer: 'https://auth.example.com' },
            { issuer: 'https://login.example.org/tenant' },
          ],
          scopesSupported: ['notes:read'],
          resourceName: 'Notes',
          resourceDocumentation: 'https://docs.example.com',
        },
      ],
    }).resources;
    assert.deepEqual(protectedResourceMetadata(resource), {
      resource: 'https://api.example.com/mcp',
      authorization_servers: ['https://auth.example.com', 'https://login.example.org/tenant'],
      scopes_supported: ['notes:read'],
      bearer_methods_supported: ['header'],
      resource_name: 'Notes',
      resource_documentation: 'https://docs.example.com',
    });
  });
});
