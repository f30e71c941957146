import { normalizeObjectSchema } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import type { McpToolOptions } from '../decorators/mcp-tool.decorator.js';
import { getToolParams, type ToolParamDefinition } from '../decorators/tool-param.metadata.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { McpToolContext, RegisteredTool } from './registered-tool.interface.js';

const EMPTY_INPUT_SCHEMA = { type: 'object', properties: {} } as const;

/** Turns one decorated method into a `RegisteredTool`: schemas converted and parameters mapped once. */
export function buildRegisteredTool(source: {
  options: McpToolOptions;
  instance: object;
  methodName: string;
  requiredScopes: string[];
}): RegisteredTool {
  const { options, instance, methodName } = source;
  const where = `${instance.constructor.name}.${methodName}`;
  const inputSchema = objectSchema(options.input, `input of tool "${options.name}" (${where})`);
  const outputSchema = objectSchema(options.output, `output of tool "${options.name}" (${where})`);
  const listing: Tool = {
    name: options.name,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.description !== undefined && { description: options.description }),
    inputSchema: inputSchema
      ? (toJsonSchemaCompat(inputSchema, { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema'])
      : EMPTY_INPUT_SCHEMA,
    ...(outputSchema && {
      outputSchema: toJsonSchemaCompat(outputSchema, {
        strictUnions: true,
        pipeStrategy: 'output',
      }) as Tool['outputSchema'],
    }),
    ...(options.annotations !== undefined && { annotations: options.annotations }),
  };
  const method = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName];
  const params = getToolParams(Object.getPrototypeOf(instance), methodName);
  return {
    name: options.name,
    source: where,
    listing: Object.freeze(listing),
    inputSchema,
    outputSchema,
    requiredScopes: Object.freeze([...source.requiredScopes]),
    invoke: async (args, context) => method.apply(instance, methodArguments(params, args, context)),
  };
}

/** With no parameter decorators a tool gets `(args, context)`, like an SDK tool callback. */
function methodArguments(params: ToolParamDefinition[], args: unknown, context: McpToolContext): unknown[] {
  if (params.length === 0) return [args, context];
  const values: unknown[] = [];
  for (const param of params) {
    values[param.index] =
      param.kind === 'args'
        ? param.field === undefined
          ? args
          : (args as Record<string, unknown> | undefined)?.[param.field]
        : param.kind === 'auth'
          ? param.field === undefined
            ? context.authInfo
            : (context.authInfo as AuthInfo | undefined)?.[param.field as keyof AuthInfo]
          : context;
  }
  return values;
}

function objectSchema(schema: McpToolOptions['input'], what: string) {
  if (schema === undefined) return undefined;
  const normalized = normalizeObjectSchema(schema);
  if (!normalized) throw new McpAuthConfigurationError(`The ${what} must be a zod object schema or a raw shape`);
  return normalized;
}
