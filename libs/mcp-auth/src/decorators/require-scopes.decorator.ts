import { SetMetadata } from '@nestjs/common';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { isScopeToken } from '../options/scope-syntax.js';
import { REQUIRE_SCOPES_METADATA } from './metadata-keys.js';

/**
 * Protects a controller route, a whole controller, or an `@McpTool` method: the request needs a valid
 * bearer token carrying every listed scope. Scopes on a class and on its method add up.
 * With no arguments it only requires a valid token.
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
 * ```
 */
export function RequireScopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new McpAuthConfigurationError(`@RequireScopes(): "${String(scope)}" is not a valid OAuth scope`);
    }
  }
  return SetMetadata(REQUIRE_SCOPES_METADATA, Object.freeze([...new Set(scopes)]));
}
