import { safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  ErrorCode,
  type GetPromptRequest,
  type GetPromptResult,
  GetPromptResultSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';
import { McpRequestContext, type McpRequestExtra } from '../context/mcp-request-context.js';
import type { McpPrimitiveRegistry } from '../primitives/mcp-primitive.registry.js';
import type { RegisteredPrompt } from '../primitives/registered-primitive.interface.js';
import { checkedArguments } from './scope-assertion.js';

/**
 * Runs a `prompts/get`: unknown prompt or invalid arguments → invalid-params error. The handler returns a
 * string (one user message), an array of messages, or a full `GetPromptResult`.
 */
export async function handlePromptGet(
  registry: McpPrimitiveRegistry,
  params: GetPromptRequest['params'],
  extra: McpRequestExtra,
  connection: McpConnectionState,
): Promise<GetPromptResult> {
  const prompt = registry.prompt(params.name);
  if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Prompt ${params.name} not found`);
  const args = await checkedArguments(prompt, extra, params.arguments);
  const value = await prompt.invoke(args, new McpRequestContext(extra, connection));
  return toGetPromptResult(value, prompt);
}

function toGetPromptResult(value: unknown, prompt: RegisteredPrompt): GetPromptResult {
  const description = prompt.listing.description === undefined ? {} : { description: prompt.listing.description };
  if (typeof value === 'string') {
    return { ...description, messages: [{ role: 'user', content: { type: 'text', text: value } }] };
  }
  const result = Array.isArray(value) ? { ...description, messages: value } : value;
  if (!safeParse(GetPromptResultSchema, result).success) {
    throw new McpError(ErrorCode.InternalError, `Prompt ${prompt.name} returned an invalid GetPromptResult`);
  }
  return result as GetPromptResult;
}
