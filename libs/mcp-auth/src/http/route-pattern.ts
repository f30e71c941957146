import type { HttpAdapterHost } from '@nestjs/core';

/** The parts of an Express or Fastify request that say which registered route matched it. */
export interface RoutedRequest {
  /** Express: the matched `Route`, whose `path` is the pattern as registered (global prefix included). */
  route?: { path?: unknown };
  /** Fastify: the matched route's options, whose `url` is the pattern as registered. */
  routeOptions?: { url?: unknown };
}

/**
 * The pattern of the route the router matched (`/api/notes/:id`), never the URL the client sent: nothing a
 * client varies in its URL (letter case, a trailing slash, encoded characters) changes it.
 *
 * @returns `undefined` when the adapter exposes no matched route.
 */
export function matchedRoutePattern(request: RoutedRequest): string | undefined {
  const pattern = request.route?.path ?? request.routeOptions?.url;
  return typeof pattern === 'string' ? pattern : undefined;
}

/** The parts of Nest's HTTP adapter (Express or Fastify) that say how its router compares paths. */
interface RouterDescription {
  /** Recent Nest 12 adapters (not 12.0): the router's matching rules, as Nest's middleware exclusion reads them. */
  getRouteMatchingOptions?(): { caseSensitive?: boolean } | undefined;
  getType?(): string;
  getInstance?(): unknown;
}

/**
 * Whether the application's router tells `/API` from `/api`: Express does not by default
 * (`case sensitive routing`), Fastify does (`caseSensitive`, or `routerOptions.caseSensitive` in Fastify 5).
 * Asked of the adapter itself where it says (`getRouteMatchingOptions`), else read from its instance.
 */
export function isRouterCaseSensitive(adapterHost: HttpAdapterHost | undefined): boolean {
  const adapter = adapterHost?.httpAdapter as RouterDescription | undefined;
  const declared = adapter?.getRouteMatchingOptions?.()?.caseSensitive;
  if (typeof declared === 'boolean') return declared;
  const instance = adapter?.getInstance?.() as
    | {
        enabled?: (setting: string) => boolean;
        initialConfig?: { caseSensitive?: boolean; routerOptions?: { caseSensitive?: boolean } };
      }
    | undefined;
  if (!instance) return false;
  if (adapter?.getType?.() === 'fastify') {
    return instance.initialConfig?.routerOptions?.caseSensitive ?? instance.initialConfig?.caseSensitive ?? true;
  }
  return typeof instance.enabled === 'function' ? instance.enabled('case sensitive routing') : false;
}
