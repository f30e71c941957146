import type { ResolvedResource } from '../options/resolved-options.js';

const RESOURCE = Symbol('nest-mcp-auth:resource');

/** Remembers which protected resource a request was checked against, for the challenge's `resource_metadata`. */
export function setRequestResource(request: object, resource: ResolvedResource): void {
  (request as Record<symbol, ResolvedResource>)[RESOURCE] = resource;
}

export function getRequestResource(request: object): ResolvedResource | undefined {
  return (request as Record<symbol, ResolvedResource | undefined>)[RESOURCE];
}
