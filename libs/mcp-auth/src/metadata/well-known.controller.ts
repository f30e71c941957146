import {
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  type OnModuleInit,
  Optional,
  Options,
  Req,
  Res,
} from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { requestPath } from '../http/raw-http.js';
import { trimTrailingSlashes } from '../options/url-path.js';
import { assertWellKnownAtRoot } from './well-known-prefix.check.js';
import { PROTECTED_RESOURCE_WELL_KNOWN, protectedResourceMetadata } from './protected-resource-metadata.js';

interface CorsResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Serves RFC 9728 Protected Resource Metadata at the path-suffixed well-known URL of every resource,
 * and at the root well-known URL when there is exactly one resource (clients fall back to it).
 * Open CORS: browser-based clients (e.g. the MCP Inspector) read it cross-origin.
 */
@Controller()
export class WellKnownController implements OnModuleInit {
  private readonly documents = new Map<string, string>();

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions,
    @Optional() private readonly appConfig?: ApplicationConfig,
  ) {
    for (const resource of options.resources) {
      // Serialized once: the document never changes while the app runs.
      const dpop = options.dpop.enabled ? options.dpop.algorithms : undefined;
      this.documents.set(resource.metadataPath, JSON.stringify(protectedResourceMetadata(resource, dpop)));
    }
    if (options.resources.length === 1 && !this.documents.has(PROTECTED_RESOURCE_WELL_KNOWN)) {
      this.documents.set(PROTECTED_RESOURCE_WELL_KNOWN, this.documents.get(options.resources[0].metadataPath)!);
    }
  }

  /** A global prefix must leave the metadata at the root (checked here: routes are registered by now). */
  onModuleInit(): void {
    assertWellKnownAtRoot(this.appConfig);
  }

  @Get([PROTECTED_RESOURCE_WELL_KNOWN, `${PROTECTED_RESOURCE_WELL_KNOWN}/*path`])
  @Header('Content-Type', 'application/json')
  @Header('Cache-Control', 'public, max-age=3600')
  @Header('Access-Control-Allow-Origin', '*')
  metadata(@Req() request: { url: string }): string {
    const document = this.documents.get(trimTrailingSlashes(requestPath(request.url)));
    if (document === undefined) throw new NotFoundException();
    return document;
  }

  @Options([PROTECTED_RESOURCE_WELL_KNOWN, `${PROTECTED_RESOURCE_WELL_KNOWN}/*path`])
  @HttpCode(204)
  preflight(
    @Req() request: { headers: Record<string, string | string[] | undefined> },
    @Res({ passthrough: true }) response: CorsResponse,
  ): void {
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
    const requested = request.headers['access-control-request-headers'];
    // The SDK sends MCP-Protocol-Version on discovery; allow whatever a preflight asks for (public document).
    if (typeof requested === 'string') response.setHeader('Access-Control-Allow-Headers', requested.slice(0, 1024));
    response.setHeader('Access-Control-Max-Age', '86400');
  }
}
