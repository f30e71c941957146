import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { PUBLIC_METADATA, REQUIRE_SCOPES_METADATA } from '../decorators/metadata-keys.js';
import type { ScopeFunction } from './scope-requirement.js';

/** What `@RequireScopes` declares: scopes and scope functions. */
export type ScopeDeclaration = readonly (string | ScopeFunction)[];

/** Reads one metadata key of a class or method (`Reflector.get` fits). */
export type MetadataReader = <T>(key: string, target: object) => T | undefined;

/**
 * What `@RequireScopes` / `@Public` declare for one handler: the scopes it needs, or `undefined` when it is
 * not protected. The most specific declaration wins: a method's own `@RequireScopes` protects it even under
 * a `@Public()` class, and a method's `@Public()` opens it under a `@RequireScopes` class. Under a protected
 * class, a method's scopes add to the class's.
 *
 * @throws McpAuthConfigurationError when one method (or one class) carries both decorators: which one was
 *   meant cannot be guessed, and guessing wrong either drops a scope or locks a route.
 */
export function declaredScopes(
  read: MetadataReader,
  handler: object,
  controller: object,
  where: string,
): ScopeDeclaration | undefined {
  const method = declarationOf(read, handler, where);
  if (method === 'public') return undefined;
  const owner = declarationOf(read, controller, where.split('.')[0]);
  if (method === undefined) return owner === 'public' ? undefined : owner;
  if (owner === undefined || owner === 'public') return method;
  return [...new Set([...owner, ...method])];
}

function declarationOf(read: MetadataReader, target: object, where: string): ScopeDeclaration | 'public' | undefined {
  const isPublic = read<boolean>(PUBLIC_METADATA, target) === true;
  const scopes = read<ScopeDeclaration>(REQUIRE_SCOPES_METADATA, target);
  if (isPublic && scopes !== undefined) {
    throw new McpAuthConfigurationError(
      `${where} has both @Public() and @RequireScopes(): remove one (a method's own declaration overrides its class's)`,
    );
  }
  return isPublic ? 'public' : scopes;
}
