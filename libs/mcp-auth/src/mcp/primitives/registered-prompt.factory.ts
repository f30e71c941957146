import { getObjectShape, getSchemaDescription, isSchemaOptional } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { Prompt, PromptArgument } from '@modelcontextprotocol/sdk/types.js';
import type { McpPromptOptions } from '../../decorators/mcp-prompt.decorator.js';
import { methodInvoker } from './method-invoker.js';
import { compileObjectSchema } from './object-schema.js';
import { type PrimitiveSource, sourceName } from './primitive-source.interface.js';
import type { RegisteredPrompt } from './registered-primitive.interface.js';

/** Turns one `@McpPrompt` method into a `RegisteredPrompt`: arguments listed and their validator built once. */
export function buildRegisteredPrompt(source: PrimitiveSource<McpPromptOptions>): RegisteredPrompt {
  const { name, title, description, args } = source.options;
  const where = sourceName(source);
  const compiled = args && compileObjectSchema(args, `args of prompt "${name}" (${where})`, source.validators);
  const shape = compiled?.zod ? (getObjectShape(compiled.zod) ?? {}) : {};
  const promptArguments: PromptArgument[] = Object.entries(shape).map(([argName, field]) => {
    const argDescription = getSchemaDescription(field);
    return {
      name: argName,
      ...(argDescription !== undefined && { description: argDescription }),
      required: !isSchemaOptional(field),
    };
  });
  const listing: Prompt = {
    name,
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(promptArguments.length > 0 && { arguments: promptArguments }),
  };
  return {
    kind: 'prompt',
    name,
    source: where,
    listing: Object.freeze(listing),
    args: compiled?.validate,
    ...source.requirement,
    invoke: methodInvoker(source.instance, source.methodName),
    completions: new Map(),
  };
}
