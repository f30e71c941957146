import type { Annotations } from '@modelcontextprotocol/sdk/types.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { MAX_RESOURCE_URI_LENGTH } from '../mcp/primitives/uri-template.matcher.js';
import { checkText, primitiveDecorator } from './mcp-primitive.metadata.js';

/** Describes a resource at one fixed URI. */
export interface McpResourceOptions {
  /** The resource's URI, absolute (`scheme:...`), unique across the application. */
  uri: string;
  /** Unique among resources; a programmatic name (clients show `title` when given). */
  name: string;
  title?: string;
  description?: string;
  /** The MIME type of its contents, e.g. `text/markdown`. */
  mimeType?: string;
  /** Hints for clients (audience, priority, last modified). */
  annotations?: Annotations;
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/**
 * Exposes a method as an MCP resource (`resources/list`, `resources/read`; in stateful mode
 * `resources/subscribe`, see `McpResourceNotifier`). Combine with `@RequireScopes`: a read (or subscription)
 * the token lacks scopes for is answered 403 `insufficient_scope` before the method runs.
 *
 * The method returns the contents: a string (text), a `Buffer` / `Uint8Array` (sent base64 as a blob), or a
 * full `ReadResourceResult`. Parameters: `@McpContext()`, `@Auth()`; without any, `({}, context)`.
 *
 * @example
 * ```ts
 * @McpResource({ uri: 'notes://readme', name: 'readme', mimeType: 'text/markdown' })
 * readme() {
 *   return '# Notes\nKeep them short.';
 * }
 * ```
 */
export function McpResource(options: McpResourceOptions): MethodDecorator {
  const uri = options?.uri;
  const label = `"${String(uri)}"`;
  if (typeof uri !== 'string' || uri.length > MAX_RESOURCE_URI_LENGTH || !ABSOLUTE_URI.test(uri)) {
    throw new McpAuthConfigurationError(
      `@McpResource(${label}): \`uri\` must be an absolute URI such as notes://readme`,
    );
  }
  if (/[{}]/.test(uri)) {
    throw new McpAuthConfigurationError(
      `@McpResource(${label}): the URI has a {variable}; declare it with @McpResourceTemplate({ uriTemplate })`,
    );
  }
  checkText(`@McpResource(${label})`, 'name', options.name, true);
  for (const field of ['title', 'description', 'mimeType'] as const) {
    checkText(`@McpResource(${label})`, field, options[field]);
  }
  return primitiveDecorator('resource', label, options);
}
