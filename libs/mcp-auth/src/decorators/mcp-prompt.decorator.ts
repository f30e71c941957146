import type { AnySchema, ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { validateToolName } from '@modelcontextprotocol/sdk/shared/toolNameValidation.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { checkText, primitiveDecorator } from './mcp-primitive.metadata.js';
import { classifyObjectSchema } from './object-schema.js';

/** Describes an MCP prompt. */
export interface McpPromptOptions {
  /** Unique among prompts; 1-128 characters of `A-Za-z0-9_-.` (the tool-name rules). */
  name: string;
  title?: string;
  description?: string;
  /**
   * The arguments, as a zod object or its raw shape of string fields (MCP prompt arguments are strings):
   * listed in `prompts/list` (optional fields are not required) and validated on `prompts/get`.
   */
  args?: AnySchema | ZodRawShapeCompat;
}

/**
 * Exposes a method as an MCP prompt (`prompts/list`, `prompts/get`). Combine with `@RequireScopes`: a
 * `prompts/get` (or a completion of its arguments) the token lacks scopes for is answered 403
 * `insufficient_scope` before the method runs.
 *
 * The method returns a string (one user message), an array of messages, or a full `GetPromptResult`
 * (text, image, audio, embedded resources). `@McpArgs()` injects the validated arguments; without parameter
 * decorators the method gets `(args, context)`. Completion of an argument:
 * `@McpCompletion({ prompt, argument })`.
 *
 * @example
 * ```ts
 * @McpPrompt({ name: 'summarise_notes', description: 'Summarise my notes', args: { topic: z.string().optional() } })
 * @RequireScopes('notes:read')
 * summarise(@McpArgs('topic') topic: string | undefined) {
 *   return `Summarise these notes${topic ? ` about ${topic}` : ''}:\n${this.notes.list().join('\n')}`;
 * }
 * ```
 */
export function McpPrompt(options: McpPromptOptions): MethodDecorator {
  const validation = validateToolName(options?.name ?? '');
  if (!validation.isValid) {
    throw new McpAuthConfigurationError(
      `@McpPrompt(): invalid prompt name "${String(options?.name)}": ${validation.warnings.join('; ')}`,
    );
  }
  const label = `"${options.name}"`;
  checkText(`@McpPrompt(${label})`, 'title', options.title);
  checkText(`@McpPrompt(${label})`, 'description', options.description);
  if (options.args !== undefined && classifyObjectSchema(options.args)?.kind !== 'zod') {
    throw new McpAuthConfigurationError(`@McpPrompt(${label}): \`args\` must be a zod object schema or its raw shape`);
  }
  return primitiveDecorator('prompt', label, options);
}
