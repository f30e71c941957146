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
  if (params.length === 0) {
    if (plainArguments) return async (args, context) => method.apply(instance, plainArguments(args, context));
    return async (args, context) => method.call(instance, args, context);
  }
  return async (args, context) => method.apply(instance, methodArguments(params, args, context));
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
