import type { ResolvedResource } from '../options/resolved-options.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * RFC 9728 §3.1: the well-known segment goes between the host and the resource's path.
 * `https://host/mcp` → `https://host/.well-known/oauth-protected-resource/mcp`;
 * `https://host/` → `https://host/.well-known/oauth-protected-resource`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}${WELL_KNOWN}${path}`;
}

/** The metadata document (RFC 9728 §2) of one resource. */
export function protectedResourceMetadata(resource: ResolvedResource): Record<string, unknown> {
  return {
    ...resource.metadataExtras,
    resource: resource.resource,
    authorization_servers: resource.authorizationServers.map((server) => server.issuer),
    ...(resource.scopesSupported.length > 0 && { scopes_supported: resource.scopesSupported }),
    // RFC 6750 §2.3 URI query tokens are forbidden by MCP; the body method is not supported either.
    bearer_methods_supported: ['header'],
    ...(resource.resourceName !== undefined && { resource_name: resource.resourceName }),
    ...(resource.resourceDocumentation !== undefined && { resource_documentation: resource.resourceDocumentation }),
  };
}

export { WELL_KNOWN as PROTECTED_RESOURCE_WELL_KNOWN };
