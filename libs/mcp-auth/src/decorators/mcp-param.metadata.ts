import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { MCP_PARAMS_METADATA } from './metadata-keys.js';

/** What a parameter of an MCP handler method (tool, resource, template, prompt, completion) receives. */
export interface McpParamDefinition {
  index: number;
  kind: 'args' | 'auth' | 'context';
  /** For `auth`: one field of AuthInfo; for `args`: one argument by name. */
  field?: string;
}

/** Records a handler parameter without mutating metadata another decorator stored (arrays are copied). */
export function addMcpParam(target: object, propertyKey: string | symbol, param: McpParamDefinition): void {
  const existing: readonly McpParamDefinition[] = Reflect.getMetadata(MCP_PARAMS_METADATA, target, propertyKey) ?? [];
  if (existing.some((other) => other.index === param.index)) {
    throw new McpAuthConfigurationError(
      `Parameter ${param.index} of ${String(propertyKey)} has two MCP parameter decorators`,
    );
  }
  Reflect.defineMetadata(MCP_PARAMS_METADATA, [...existing, param], target, propertyKey);
}

/** The recorded parameters of a handler method, ordered by index. */
export function getMcpParams(target: object, propertyKey: string | symbol): McpParamDefinition[] {
  const params: readonly McpParamDefinition[] = Reflect.getMetadata(MCP_PARAMS_METADATA, target, propertyKey) ?? [];
  return [...params].sort((a, b) => a.index - b.index);
}
