import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { addMcpParam } from './mcp-param.metadata.js';

const authFromRequest = createParamDecorator((field: keyof AuthInfo | undefined, context: ExecutionContext) => {
  const auth = context.switchToHttp().getRequest<{ auth?: AuthInfo }>().auth;
  return field ? auth?.[field] : auth;
});

/**
 * Injects the verified `AuthInfo` (or one of its fields) into a controller method or any MCP handler (tool,
 * resource, template, prompt, completion). `undefined` on routes that are not protected.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'whoami', description: 'Who am I?' })
 * whoami(@Auth('subject') subject: string) {
 *   return `You are ${subject}`;
 * }
 * ```
 */
export function Auth(field?: keyof AuthInfo): ParameterDecorator {
  const forControllers = authFromRequest(field);
  return (target, propertyKey, index) => {
    forControllers(target, propertyKey, index);
    if (propertyKey !== undefined) addMcpParam(target, propertyKey, { index, kind: 'auth', field });
  };
}
