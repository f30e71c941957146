import {
  type AnyObjectSchema,
  getParseErrorMessage,
  safeParse,
  safeParseAsync,
} from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { classifyObjectSchema, type McpObjectSchema } from '../../decorators/object-schema.js';
import { McpAuthConfigurationError } from '../../errors/mcp-auth.errors.js';
import type { JsonSchemaValidators } from './json-schema.validators.js';

/** The outcome of validating arguments (or structured content) against a schema. */
export type Validation = { ok: true; value: unknown } | { ok: false; message: string };

/** Validates a value; synchronous unless the zod schema has async refinements. */
export type ArgumentValidator = (data: unknown) => Validation | Promise<Validation>;

/** A schema ready for requests: its published JSON Schema and its validator, both built once. */
export interface CompiledObjectSchema {
  json: Record<string, unknown>;
  validate: ArgumentValidator;
  /** The zod object, when the schema is zod (prompt arguments are listed from its shape). */
  zod?: AnyObjectSchema;
}

/**
 * Compiles a tool's `input` / `output` or a prompt's `args` at bootstrap. Zod schemas are published as JSON
 * Schema 2020-12 (the MCP default dialect); plain JSON Schemas as given (`$schema`, `$defs` and
 * `additionalProperties` preserved) and validated with Ajv in their dialect.
 *
 * @throws McpAuthConfigurationError naming `what` when the schema cannot be used.
 */
export function compileObjectSchema(
  input: McpObjectSchema,
  what: string,
  validators: JsonSchemaValidators,
): CompiledObjectSchema {
  const classified = classifyObjectSchema(input);
  if (!classified) {
    throw new McpAuthConfigurationError(`The ${what} must be a zod object schema or a JSON Schema of type "object"`);
  }
  if (classified.kind === 'zod') {
    const schema = classified.schema;
    const json = toJsonSchemaCompat(schema, { strictUnions: true, pipeStrategy: 'input', target: 'draft-2020-12' });
    return { json: json as Record<string, unknown>, validate: (data) => parseZod(schema, data), zod: schema };
  }
  let compiled: ReturnType<JsonSchemaValidators['compile']>;
  try {
    compiled = validators.compile(classified.schema);
  } catch (error) {
    throw new McpAuthConfigurationError(`The ${what} is not a valid JSON Schema: ${(error as Error).message}`);
  }
  return {
    json: classified.schema,
    validate: (data) =>
      compiled(data) ? { ok: true, value: data } : { ok: false, message: errorsText(compiled.errors) },
  };
}

/**
 * Synchronous parsing when the schema allows it (the common case: no promises, which are what cost most per
 * request), asynchronous when it has async refinements (zod refuses those synchronously).
 */
function parseZod(schema: AnyObjectSchema, data: unknown): Validation | Promise<Validation> {
  try {
    return outcome(safeParse(schema, data));
  } catch {
    return safeParseAsync(schema, data).then(outcome);
  }
}

function outcome(parsed: ReturnType<typeof safeParse>): Validation {
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: getParseErrorMessage(parsed.error) };
}

function errorsText(errors: Array<{ instancePath?: string; message?: string }> | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`).join('; ');
}
