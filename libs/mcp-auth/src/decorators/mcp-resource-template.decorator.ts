import type { Annotations } from '@modelcontextprotocol/sdk/types.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { UriTemplateMatcher } from '../mcp/primitives/uri-template.matcher.js';
import { checkText, primitiveDecorator } from './mcp-primitive.metadata.js';

/** Describes a family of resources whose URIs follow an RFC 6570 template. */
export interface McpResourceTemplateOptions {
  /** E.g. `notes://{id}`; see `UriTemplateMatcher` for the supported forms. Unique across the application. */
  uriTemplate: string;
  /** Unique among resource templates (`@McpCompletion({ resourceTemplate })` refers to it by this name). */
  name: string;
  title?: string;
  description?: string;
  /** The MIME type of every matching resource, when they share one. */
  mimeType?: string;
  annotations?: Annotations;
}

/**
 * Exposes a method as an MCP resource template (`resources/templates/list`, and `resources/read` of every URI
 * that matches it and no fixed `@McpResource`). `@McpArgs()` injects the template variables (`@McpArgs('id')`
 * one of them); without parameter decorators the method gets `(variables, context)`. Returns what an
 * `@McpResource` method returns. Completion of a variable: `@McpCompletion({ resourceTemplate, argument })`.
 *
 * @example
 * ```ts
 * @McpResourceTemplate({ uriTemplate: 'notes://{id}', name: 'note', mimeType: 'text/plain' })
 * @RequireScopes('notes:read')
 * note(@McpArgs('id') id: string) {
 *   return this.notes.get(Number(id))?.text ?? '';
 * }
 * ```
 */
export function McpResourceTemplate(options: McpResourceTemplateOptions): MethodDecorator {
  const label = `"${String(options?.uriTemplate)}"`;
  try {
    UriTemplateMatcher.compile(options?.uriTemplate);
  } catch (error) {
    throw new McpAuthConfigurationError(
      `@McpResourceTemplate(${label}): unsupported \`uriTemplate\`: ${(error as Error).message}`,
    );
  }
  checkText(`@McpResourceTemplate(${label})`, 'name', options.name, true);
  for (const field of ['title', 'description', 'mimeType'] as const) {
    checkText(`@McpResourceTemplate(${label})`, field, options[field]);
  }
  return primitiveDecorator('resourceTemplate', label, options);
}
