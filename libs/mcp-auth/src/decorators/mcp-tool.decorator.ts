import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AnySchema, ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { validateToolName } from '@modelcontextprotocol/sdk/shared/toolNameValidation.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { MCP_TOOL_METADATA } from './metadata-keys.js';

/**
 * Describes an MCP tool. `input` and `output` are zod schemas (a `z.object(...)` or its raw shape),
 * as in the MCP SDK.
 */
export interface McpToolOptions {
  /** Unique across the application; 1-128 characters of `A-Za-z0-9_-.` (SEP-986). */
  name: string;
  title?: string;
  description?: string;
  /** Arguments schema; omitted means the tool takes no arguments. */
  input?: AnySchema | ZodRawShapeCompat;
  /** Structured-content schema; when set, the tool must return an object matching it. */
  output?: AnySchema | ZodRawShapeCompat;
  /** Hints for clients (read-only, destructive, idempotent, open-world). */
  annotations?: ToolAnnotations;
}

/**
 * Exposes a provider or controller method as an MCP tool, served at the module's MCP endpoint.
 * The method runs on the real DI instance, so injected services work. Combine with `@RequireScopes`.
 *
 * The method may return a string (text content), an object (structured content, also sent as text),
 * or a full `CallToolResult`. A thrown error becomes a tool error result (`isError: true`).
 *
 * @example
 * ```ts
 * @Injectable()
 * export class NotesTools {
 *   @McpTool({ name: 'add_note', description: 'Add a note', input: { text: z.string().max(500) } })
 *   @RequireScopes('notes:write')
 *   add(@ToolArgs() { text }: { text: string }, @Auth('subject') owner: string) {
 *     return this.notes.add(owner, text);
 *   }
 * }
 * ```
 */
export function McpTool(options: McpToolOptions): MethodDecorator {
  const validation = validateToolName(options?.name ?? '');
  if (!validation.isValid) {
    throw new McpAuthConfigurationError(
      `@McpTool(): invalid tool name "${String(options?.name)}": ${validation.warnings.join('; ')}`,
    );
  }
  // A frozen copy: later changes to the caller's object cannot change the registered tool.
  const definition: Readonly<McpToolOptions> = Object.freeze({ ...options });
  return (_target, _propertyKey, descriptor) => {
    if (typeof descriptor.value !== 'function') {
      throw new McpAuthConfigurationError(`@McpTool("${options.name}") must decorate a method`);
    }
    Reflect.defineMetadata(MCP_TOOL_METADATA, definition, descriptor.value);
  };
}
