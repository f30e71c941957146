import {
  type AnySchema,
  getParseErrorMessage,
  safeParse,
  safeParseAsync,
} from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  type CallToolRequest,
  type CallToolResult,
  CallToolResultSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpToolRegistry } from './mcp-tool.registry.js';
import type { McpToolContext, RegisteredTool } from './registered-tool.interface.js';

/**
 * Runs a `tools/call`: unknown tool or invalid arguments → JSON-RPC invalid-params error;
 * anything the tool throws → a tool error result (`isError`), never a transport failure.
 */
export async function handleToolCall(
  registry: McpToolRegistry,
  params: CallToolRequest['params'],
  context: McpToolContext,
): Promise<CallToolResult> {
  const tool = registry.get(params.name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${params.name} not found`);
  // Scopes were checked by the guard before the request got here; this second check covers
  // transports that do not go through it (and keeps a tool from ever running without them).
  const scopes = context.authInfo?.scopes ?? [];
  if (!tool.requiredScopes.every((scope) => scopes.includes(scope))) {
    throw new McpError(ErrorCode.InvalidRequest, `Tool ${params.name} needs scopes: ${tool.requiredScopes.join(' ')}`);
  }
  const args = await validArguments(tool, params.arguments);
  let result: CallToolResult;
  try {
    result = toCallToolResult(await tool.invoke(args, context));
  } catch (error) {
    return toolError(error instanceof Error ? error.message : 'The tool failed');
  }
  if (tool.outputSchema && !result.isError) {
    const parsed = await parse(tool.outputSchema, result.structuredContent);
    if (!parsed.success) {
      return toolError(`Tool ${tool.name} returned structured content that does not match its output schema`);
    }
  }
  return result;
}

async function validArguments(tool: RegisteredTool, args: unknown): Promise<unknown> {
  if (!tool.inputSchema) return args ?? {};
  const parsed = await parse(tool.inputSchema, args ?? {});
  if (!parsed.success) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Invalid arguments for tool ${tool.name}: ${getParseErrorMessage(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * Synchronous parsing when the schema allows it (the common case: no promises, which are what cost most
 * per request), asynchronous when it has async refinements (zod refuses those synchronously).
 */
function parse(schema: AnySchema, data: unknown): ReturnType<typeof safeParse> | ReturnType<typeof safeParseAsync> {
  try {
    return safeParse(schema, data);
  } catch {
    return safeParseAsync(schema, data);
  }
}

/** A string is text content; a `CallToolResult` passes as is; any other object is structured content. */
function toCallToolResult(value: unknown): CallToolResult {
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (typeof value === 'object' && Array.isArray((value as CallToolResult).content)) {
    // Built by the tool itself: checked here, as nothing after this handler re-validates results.
    const parsed = safeParse(CallToolResultSchema, value);
    return parsed.success ? (value as CallToolResult) : toolError('The tool returned an invalid CallToolResult');
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return {
      content: [{ type: 'text', text: JSON.stringify(value) }],
      structuredContent: value as Record<string, unknown>,
    };
  }
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
