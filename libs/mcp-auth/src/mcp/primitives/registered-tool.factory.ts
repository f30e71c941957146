import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolOptions } from '../../decorators/mcp-tool.decorator.js';
import { methodInvoker } from './method-invoker.js';
import { compileObjectSchema } from './object-schema.js';
import { type PrimitiveSource, sourceName } from './primitive-source.interface.js';
import type { RegisteredTool } from './registered-primitive.interface.js';

const EMPTY_INPUT_SCHEMA: Tool['inputSchema'] = Object.freeze({
  type: 'object',
  properties: {},
}) as Tool['inputSchema'];

/** Turns one `@McpTool` method into a `RegisteredTool`: schemas compiled and parameters mapped once. */
export function buildRegisteredTool(source: PrimitiveSource<McpToolOptions>): RegisteredTool {
  const { options, validators } = source;
  const where = sourceName(source);
  const input =
    options.input && compileObjectSchema(options.input, `input of tool "${options.name}" (${where})`, validators);
  const output =
    options.output && compileObjectSchema(options.output, `output of tool "${options.name}" (${where})`, validators);
  const listing: Tool = {
    name: options.name,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.description !== undefined && { description: options.description }),
    inputSchema: input ? (input.json as Tool['inputSchema']) : EMPTY_INPUT_SCHEMA,
    ...(output && { outputSchema: output.json as Tool['outputSchema'] }),
    ...(options.annotations !== undefined && { annotations: options.annotations }),
  };
  return {
    kind: 'tool',
    name: options.name,
    source: where,
    listing: Object.freeze(listing),
    input: input?.validate,
    output: output?.validate,
    ...source.requirement,
    invoke: methodInvoker(source.instance, source.methodName),
  };
}
