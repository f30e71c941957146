import { resourcePathOf } from '../options/url-path.js';
import type { ResolvedResource } from '../options/resolved-options.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * RFC 9728 §3.1: the well-known segment goes between the host and the resource's path.
 * `https://host/mcp` → `https://host/.well-known/oauth-protected-resource/mcp`;
 * `https://host/` → `https://host/.well-known/oauth-protected-resource`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${WELL_KNOWN}${resourcePathOf(url)}`;
}

/**
 * The metadata document (RFC 9728 §2) of one resource; `dpopAlgorithms` (when DPoP is accepted) are published
 * as `dpop_signing_alg_values_supported`, with `dpop_bound_access_tokens_required`.
 */
export function protectedResourceMetadata(
  resource: ResolvedResource,
  dpopAlgorithms?: readonly string[],
): Record<string, unknown> {
  return {
    ...resource.metadataExtras,
    resource: resource.resource,
    authorization_servers: resource.authorizationServers.map((server) => server.issuer),
    ...(resource.scopesSupported.length > 0 && { scopes_supported: resource.scopesSupported }),
    // RFC 6750 §2.3 URI query tokens are forbidden by MCP; the body method is not supported either.
    bearer_methods_supported: ['header'],
    ...(resource.resourceName !== undefined && { resource_name: resource.resourceName }),
    ...(resource.resourceDocumentation !== undefined && { resource_documentation: resource.resourceDocumentation }),
    ...(dpopAlgorithms !== undefined && {
      dpop_signing_alg_values_supported: dpopAlgorithms,
      dpop_bound_access_tokens_required: resource.dpopRequired,
    }),
  };
}

export { WELL_KNOWN as PROTECTED_RESOURCE_WELL_KNOWN };
