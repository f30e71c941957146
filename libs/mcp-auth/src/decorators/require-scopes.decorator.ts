import { SetMetadata } from '@nestjs/common';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { ScopeFunction } from '../guard/scope-requirement.js';
import { isScopeToken } from '../options/scope-syntax.js';
import { REQUIRE_SCOPES_METADATA } from './metadata-keys.js';

/**
 * Protects a controller route, a whole controller, or an MCP handler (`@McpTool`, `@McpResource`,
 * `@McpResourceTemplate`, `@McpPrompt`, `@McpCompletion`): the request needs a valid bearer token carrying
 * every listed scope. Scopes on a class and on its method add up. With no arguments it only requires a valid
 * token. A function computes scopes from the call: `(args, auth) => scopes`, where `args` are an MCP tool's or
 * prompt's validated arguments, a template's variables, or a route's `{ params, query, body }` (as received:
 * routes are guarded before pipes run); it is evaluated before the handler runs, and what it returns is
 * required like the listed scopes (same 403 step-up). It must not throw.
 *
 * A token without a listed scope gets 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope="<all scopes needed>"`, so clients can step up.
 *
 * @example
 * ```ts
 * @Controller('notes')
 * @RequireScopes('notes:read')
 * export class NotesController {
 *   @Post()
 *   @RequireScopes('notes:write') // needs notes:read and notes:write
 *   add(@Body() note: NoteDto) {}
 * }
 *
 * @McpTool({ name: 'get_repo', input: { name: z.string(), visibility: z.enum(['public', 'private']) } })
 * @RequireScopes('repo:read', (args: { visibility: string }) => (args.visibility === 'private' ? 'repo:private' : []))
 * getRepo(@McpArgs() args: { name: string; visibility: string }) {}
 * ```
 */
export function RequireScopes(...scopes: Array<string | ScopeFunction>): ClassDecorator & MethodDecorator {
  for (const scope of scopes) {
    if (typeof scope !== 'function' && !isScopeToken(scope)) {
      throw new McpAuthConfigurationError(`@RequireScopes(): "${String(scope)}" is not a valid OAuth scope`);
    }
  }
  return SetMetadata(REQUIRE_SCOPES_METADATA, Object.freeze([...new Set(scopes)]));
}
