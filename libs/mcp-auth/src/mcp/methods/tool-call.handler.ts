import {
  type CallToolRequest,
  type CallToolResult,
  CallToolResultSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { McpRequestContext, type McpRequestExtra } from '../context/mcp-request-context.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';
import type { McpPrimitiveRegistry } from '../primitives/mcp-primitive.registry.js';
import { checkedArguments } from './scope-assertion.js';

/**
 * Runs a `tools/call`: unknown tool or invalid arguments → JSON-RPC invalid-params error;
 * anything the tool throws → a tool error result (`isError`), never a transport failure.
 */
export async function handleToolCall(
  registry: McpPrimitiveRegistry,
  params: CallToolRequest['params'],
  extra: McpRequestExtra,
  connection: McpConnectionState,
): Promise<CallToolResult> {
  const tool = registry.tool(params.name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${params.name} not found`);
  const args = await checkedArguments(tool, extra, params.arguments);
  let result: CallToolResult;
  try {
    result = toCallToolResult(await tool.invoke(args, new McpRequestContext(extra, connection)));
  } catch (error) {
    return toolError(error instanceof Error ? error.message : 'The tool failed');
  }
  if (tool.output && !result.isError) {
    const checked = await tool.output(result.structuredContent);
    if (!checked.ok) {
      return toolError(`Tool ${tool.name} returned structured content that does not match its output schema`);
    }
  }
  return result;
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
