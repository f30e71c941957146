import { type CompleteRequest, type CompleteResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';
import { McpRequestContext, type McpRequestExtra } from '../context/mcp-request-context.js';
import type { McpPrimitiveRegistry } from '../primitives/mcp-primitive.registry.js';
import { assertScopes } from './scope-assertion.js';

/** The spec's cap on the values of one completion answer. */
const MAX_VALUES = 100;

/**
 * Runs a `completion/complete` for a prompt argument or a resource-template variable. An argument without an
 * `@McpCompletion` gets no suggestions; the reference itself must exist.
 */
export async function handleCompletion(
  registry: McpPrimitiveRegistry,
  params: CompleteRequest['params'],
  extra: McpRequestExtra,
  connection: McpConnectionState,
): Promise<CompleteResult> {
  const target = registry.completionTarget(params.ref);
  if (!target)
    throw new McpError(ErrorCode.InvalidParams, 'The completion reference names no prompt or resource template');
  const args = params.context?.arguments ?? {};
  const completion =
    target.kind === 'prompt' || target.kind === 'resourceTemplate'
      ? target.completions.get(params.argument.name)
      : undefined;
  assertScopes(completion ?? target, extra.authInfo, args, `Completing ${target.kind} ${target.name}`);
  if (!completion) return { completion: { values: [], hasMore: false } };
  const context = new McpRequestContext(extra, connection, undefined, args);
  return { completion: toCompletion(await completion.complete(params.argument.value, args, context)) };
}

function toCompletion(value: unknown): CompleteResult['completion'] {
  const answer = (Array.isArray(value) ? { values: value } : value) as CompleteResult['completion'] | undefined;
  if (!Array.isArray(answer?.values) || !answer.values.every((each) => typeof each === 'string')) {
    throw new McpError(ErrorCode.InternalError, `The completion handler did not return an array of strings`);
  }
  const total = answer.total ?? answer.values.length;
  return {
    values: answer.values.slice(0, MAX_VALUES),
    total,
    hasMore: answer.hasMore ?? total > MAX_VALUES,
  };
}
