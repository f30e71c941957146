import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  type OnModuleInit,
  Optional,
  Options,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import {
  type AdapterRequest,
  type AdapterResponse,
  rawRequest,
  requestPath,
  takeOverResponse,
} from '../http/raw-http.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { trimTrailingSlashes } from '../options/url-path.js';
import { matchedRoutePattern, type RoutedRequest } from '../http/route-pattern.js';
import { assertWellKnownAtRoot } from './well-known-prefix.check.js';
import { PROTECTED_RESOURCE_WELL_KNOWN, protectedResourceMetadata } from './protected-resource-metadata.js';

/** The URL paths the metadata is served at: each resource's, and the root one when there is exactly one resource. */
export function wellKnownPaths(options: ResolvedMcpAuthOptions): string[] {
  const paths = options.resources.map((resource) => resource.metadataPath);
  if (options.resources.length === 1 && !paths.includes(PROTECTED_RESOURCE_WELL_KNOWN)) {
    paths.push(PROTECTED_RESOURCE_WELL_KNOWN);
  }
  return paths;
}

/**
 * A fresh controller class per module registration, serving RFC 9728 Protected Resource Metadata at the
 * path-suffixed well-known URL of every resource, and at the root well-known URL when there is exactly one
 * resource (clients fall back to it). Open CORS: browser-based clients (e.g. the MCP Inspector) read it
 * cross-origin.
 *
 * Its routes are those exact paths (set with the options, like the MCP endpoint's path), not a wildcard:
 * Express and Fastify spell wildcards differently, and an exact route leaves every other path to the router's
 * own 404. The document is picked by the route that matched, as the router matched it.
 */
export function createWellKnownController(): Type {
  @Controller()
  class WellKnownController implements OnModuleInit {
    private readonly documents = new Map<string, string>();

    constructor(
      @Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions,
      @Optional() private readonly appConfig?: ApplicationConfig,
    ) {
      const dpop = options.dpop.enabled ? options.dpop.algorithms : undefined;
      for (const resource of options.resources) {
        // Serialized once: the document never changes while the app runs.
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

    // The paths are set per registration (`wellKnownPaths`), before Nest registers the routes.
    @Get()
    @Header('Content-Type', 'application/json')
    @Header('Cache-Control', 'public, max-age=3600')
    @Header('Access-Control-Allow-Origin', '*')
    metadata(@Req() request: RoutedRequest & AdapterRequest): string {
      // An adapter that exposes no matched route: the path as sent, which only an exact match serves.
      const path = matchedRoutePattern(request) ?? trimTrailingSlashes(requestPath(rawRequest(request).url));
      const document = this.documents.get(path);
      if (document === undefined) throw new NotFoundException();
      return document;
    }

    @Options()
    preflight(@Req() request: AdapterRequest, @Res() response: AdapterResponse): void {
      const requested = rawRequest(request).headers['access-control-request-headers'];
      const raw = takeOverResponse(response);
      raw.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, OPTIONS',
        // The SDK sends MCP-Protocol-Version on discovery; allow whatever a preflight asks for (public document).
        ...(typeof requested === 'string' && { 'Access-Control-Allow-Headers': requested.slice(0, 1024) }),
        'Access-Control-Max-Age': '86400',
      });
      raw.end();
    }
  }
  return WellKnownController;
}
