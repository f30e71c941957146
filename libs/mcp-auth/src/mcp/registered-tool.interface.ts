import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { AnySchema } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { ServerNotification, ServerRequest, Tool } from '@modelcontextprotocol/sdk/types.js';

/** The SDK's per-request context handed to tools (`@ToolContext()`). */
export type McpToolContext = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A discovered tool, with everything a request needs computed once at bootstrap. */
export interface RegisteredTool {
  name: string;
  /** `Class.method`, for messages. */
  source: string;
  /** The `tools/list` entry, JSON schemas included, built once. */
  listing: Tool;
  inputSchema?: AnySchema;
  outputSchema?: AnySchema;
  /** Class and method `@RequireScopes`, merged. */
  requiredScopes: readonly string[];
  /** Calls the method on its DI instance with the arguments its parameter decorators ask for. */
  invoke(args: unknown, context: McpToolContext): Promise<unknown>;
}
