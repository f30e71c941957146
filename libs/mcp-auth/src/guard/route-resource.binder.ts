import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions, ResolvedResource } from '../options/resolved-options.js';
import { trimTrailingSlashes } from '../options/url-path.js';
import { isRouterCaseSensitive, matchedRoutePattern, type RoutedRequest } from '../http/route-pattern.js';

/**
 * Ties every route to the protected resource whose audience and scopes it is checked against, from the
 * route's registered pattern (global prefix and version included) and never from the URL a client sent:
 * `GET /API/me` matched by the route `/api/me` belongs to the `/api` resource as `GET /api/me` does.
 *
 * A route belongs to the resource whose URL path is the longest segment-wise prefix of its pattern,
 * compared as the router compares (case-insensitively on Express by default). A route under no resource
 * path belongs to the first resource. Decided once per pattern, then remembered.
 */
@Injectable()
export class RouteResourceBinder {
  private readonly logger = new Logger('McpAuthModule');
  private readonly byPattern = new Map<string, ResolvedResource>();
  private readonly byLongestPath: ResolvedResource[];
  private caseSensitive?: boolean;
  private warnedUnroutable = false;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.byLongestPath = [...options.resources].sort((a, b) => b.resourcePath.length - a.resourcePath.length);
  }

  /** The resource of the route that matched `request`. */
  resourceFor(request: RoutedRequest): ResolvedResource {
    const { resources } = this.options;
    if (resources.length === 1) return resources[0];
    const pattern = matchedRoutePattern(request);
    if (pattern === undefined) {
      // Only an HTTP adapter that exposes no matched route gets here; say so (once: clients must not be able
      // to flood the log) rather than guess quietly.
      if (!this.warnedUnroutable) {
        this.warnedUnroutable = true;
        this.logger.error(`Cannot tell which route matched; checking such requests against ${resources[0].resource}`);
      }
      return resources[0];
    }
    let resource = this.byPattern.get(pattern);
    if (resource === undefined) {
      resource = this.bind(pattern);
      // Bounded: patterns are the application's registered routes, never client input.
      this.byPattern.set(pattern, resource);
    }
    return resource;
  }

  private bind(pattern: string): ResolvedResource {
    this.caseSensitive ??= isRouterCaseSensitive(this.adapterHost);
    const fold = (path: string) => (this.caseSensitive ? path : path.toLowerCase());
    const route = fold(trimTrailingSlashes(pattern));
    for (const resource of this.byLongestPath) {
      const prefix = fold(resource.resourcePath);
      if (prefix === '' || route === prefix || route.startsWith(`${prefix}/`)) return resource;
    }
    return this.options.resources[0];
  }
}
