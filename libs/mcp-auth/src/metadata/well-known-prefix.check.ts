import { RequestMethod } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { isRouteExcluded } from '@nestjs/core/router/utils/index.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { PROTECTED_RESOURCE_WELL_KNOWN } from './protected-resource-metadata.js';

/**
 * Protected Resource Metadata lives at the root of the origin (`/.well-known/oauth-protected-resource/<path>`,
 * RFC 9728 §3.1) whatever the resources' paths; a global prefix (`app.setGlobalPrefix('v1')`) would move it
 * to `/v1/.well-known/…`, where no client looks.
 *
 * @throws McpAuthConfigurationError when a global prefix applies to the metadata routes, saying how to exclude them.
 */
export function assertWellKnownAtRoot(config: ApplicationConfig | undefined): void {
  const prefix = config?.getGlobalPrefix();
  if (!prefix) return;
  const excluded = config!.getGlobalPrefixOptions().exclude ?? [];
  if (isRouteExcluded(excluded, `${PROTECTED_RESOURCE_WELL_KNOWN}/mcp`, RequestMethod.GET)) return;
  throw new McpAuthConfigurationError(
    `The global prefix "${prefix}" would move the protected resource metadata away from ` +
      `${PROTECTED_RESOURCE_WELL_KNOWN} (RFC 9728 puts it at the root of the origin). Exclude it: ` +
      `app.setGlobalPrefix('${prefix}', { exclude: ['.well-known/{*path}'] })`,
  );
}
