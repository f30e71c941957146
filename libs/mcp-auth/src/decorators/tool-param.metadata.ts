import { MCP_TOOL_PARAMS_METADATA } from './metadata-keys.js';

/** What a tool method's parameter receives. */
export interface ToolParamDefinition {
  index: number;
  kind: 'args' | 'auth' | 'context';
  /** For `auth`: one field of AuthInfo; for `args`: one argument by name. */
  field?: string;
}

/** Records a tool parameter without mutating metadata another decorator stored (arrays are copied). */
export function addToolParam(target: object, propertyKey: string | symbol, param: ToolParamDefinition): void {
  const existing: readonly ToolParamDefinition[] =
    Reflect.getMetadata(MCP_TOOL_PARAMS_METADATA, target, propertyKey) ?? [];
  if (existing.some((other) => other.index === param.index)) {
    throw new Error(`Parameter ${param.index} of ${String(propertyKey)} has two tool parameter decorators`);
  }
  Reflect.defineMetadata(MCP_TOOL_PARAMS_METADATA, [...existing, param], target, propertyKey);
}

/** The recorded parameters of a tool method, ordered by index. */
export function getToolParams(target: object, propertyKey: string | symbol): ToolParamDefinition[] {
  const params: readonly ToolParamDefinition[] =
    Reflect.getMetadata(MCP_TOOL_PARAMS_METADATA, target, propertyKey) ?? [];
  return [...params].sort((a, b) => a.index - b.index);
}
