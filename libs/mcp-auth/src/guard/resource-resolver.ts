import type { ResolvedResource } from '../options/resolved-options.js';

/**
 * Picks the protected resource a request belongs to: the one whose URL path is the longest
 * segment-wise prefix of the request path; the first configured resource otherwise.
 */
export class ResourceResolver {
  private readonly byLongestPath: ResolvedResource[];

  constructor(private readonly resources: ResolvedResource[]) {
    this.byLongestPath = [...resources].sort((a, b) => b.resourcePath.length - a.resourcePath.length);
  }

  forPath(path: string): ResolvedResource {
    if (this.resources.length === 1) return this.resources[0];
    for (const resource of this.byLongestPath) {
      const prefix = resource.resourcePath;
      if (prefix === '' || path === prefix || path.startsWith(`${prefix}/`)) return resource;
    }
    return this.resources[0];
  }
}
