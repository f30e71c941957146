import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { getMcpParams, type McpParamDefinition } from '../../decorators/mcp-param.metadata.js';
import type { McpRequestContext } from '../context/mcp-request-context.js';
import type { MethodInvoker } from './registered-primitive.interface.js';

/**
 * The one parameter mapping of every MCP handler, read once at bootstrap: `@McpArgs()` gets the arguments
 * (or one by name), `@Auth()` the verified `AuthInfo` (or one field), `@McpContext()` the request context.
 * A method without parameter decorators gets `(args, context)`, like an SDK callback, unless `plainArguments`
 * says otherwise (completions get `(value, context)`).
 */
export function methodInvoker(
  instance: object,
  methodName: string,
  plainArguments?: (args: unknown, context: McpRequestContext) => unknown[],
): MethodInvoker {
  const method = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName];
  const params = getMcpParams(Object.getPrototypeOf(instance) as object, methodName);
  const invoke: (args: unknown, context: McpRequestContext) => unknown =
    params.length > 0
      ? (args, context) => method.apply(instance, methodArguments(params, args, context))
      : plainArguments
        ? (args, context) => method.apply(instance, plainArguments(args, context))
        : (args, context) => method.call(instance, args, context);
  return async (args, context) => {
    try {
      return await invoke(args, context);
    } catch (error) {
      throw handlerFailure(error);
    }
  };
}

/**
 * What a handler's error may tell the client: its message only. The SDK would also send any `data` and a
 * numeric `code` the error carries (an HTTP client's error holding a response, a database error...), so
 * anything but an `McpError` (a protocol error the application chose, data included) is reduced to its
 * message; the client gets JSON-RPC internal error -32603 (a tool: an `isError` result with the message).
 */
function handlerFailure(error: unknown): Error {
  if (error instanceof McpError) return error;
  return new Error(error instanceof Error ? error.message : 'The handler failed');
}

function methodArguments(params: McpParamDefinition[], args: unknown, context: McpRequestContext): unknown[] {
  const values: unknown[] = [];
  for (const param of params) {
    if (param.kind === 'args') {
      values[param.index] =
        param.field === undefined ? args : (args as Record<string, unknown> | undefined)?.[param.field];
    } else if (param.kind === 'auth') {
      const auth = context.authInfo;
      values[param.index] = param.field === undefined ? auth : auth?.[param.field as keyof AuthInfo];
    } else {
      values[param.index] = context;
    }
  }
  return values;
}
