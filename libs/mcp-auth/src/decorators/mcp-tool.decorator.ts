import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { validateToolName } from '@modelcontextprotocol/sdk/shared/toolNameValidation.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { checkText, primitiveDecorator } from './mcp-primitive.metadata.js';
import { classifyObjectSchema, type McpObjectSchema } from './object-schema.js';

/**
 * Describes an MCP tool. `input` and `output` are zod schemas (a `z.object(...)` or its raw shape), as in
 * the MCP SDK, or plain JSON Schemas (`{ type: 'object', ... }`, published as given).
 */
export interface McpToolOptions {
  /** Unique across the application; 1-128 characters of `A-Za-z0-9_-.` (SEP-986). */
  name: string;
  title?: string;
  description?: string;
  /** Arguments schema; omitted means the tool takes no arguments. */
  input?: McpObjectSchema;
  /** Structured-content schema; when set, the tool must return an object matching it. */
  output?: McpObjectSchema;
  /** Hints for clients (read-only, destructive, idempotent, open-world). */
  annotations?: ToolAnnotations;
}

/**
 * Exposes a provider or controller method as an MCP tool, served at the module's MCP endpoint.
 * The method runs on the real DI instance, so injected services work. Combine with `@RequireScopes`.
 *
 * The method may return a string (text content), an object (structured content, also sent as text),
 * or a full `CallToolResult`. A thrown error becomes a tool error result (`isError: true`).
 * Parameters: `@McpArgs()` (alias `@ToolArgs()`), `@McpContext()` (alias `@ToolContext()`), `@Auth()`;
 * without any, the method gets `(args, context)`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class NotesTools {
 *   @McpTool({ name: 'add_note', description: 'Add a note', input: { text: z.string().max(500) } })
 *   @RequireScopes('notes:write')
 *   add(@McpArgs('text') text: string, @Auth('subject') owner: string) {
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
  const label = `"${options.name}"`;
  checkText(`@McpTool(${label})`, 'title', options.title);
  checkText(`@McpTool(${label})`, 'description', options.description);
  for (const field of ['input', 'output'] as const) {
    if (options[field] !== undefined && !classifyObjectSchema(options[field])) {
      throw new McpAuthConfigurationError(
        `@McpTool(${label}): \`${field}\` must be a zod object schema, its raw shape, or a JSON Schema with type "object"`,
      );
    }
  }
  return primitiveDecorator('tool', label, options);
}
