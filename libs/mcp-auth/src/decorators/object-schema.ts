import {
  type AnyObjectSchema,
  type AnySchema,
  normalizeObjectSchema,
  objectFromShape,
  type ZodRawShapeCompat,
} from '@modelcontextprotocol/sdk/server/zod-compat.js';

/**
 * A plain JSON Schema describing an object, for tools that would rather not use zod. Its dialect is
 * JSON Schema 2020-12 (the MCP default) unless its `$schema` names another; it is published as given.
 *
 * @example
 * ```ts
 * const input: JsonObjectSchema = {
 *   $schema: 'https://json-schema.org/draft/2020-12/schema',
 *   type: 'object',
 *   properties: { city: { type: 'string' } },
 *   required: ['city'],
 *   additionalProperties: false,
 * };
 * ```
 */
export interface JsonObjectSchema {
  type: 'object';
  properties?: Record<string, object | boolean>;
  required?: string[];
  [keyword: string]: unknown;
}

/** What a tool's `input` / `output` (or a prompt's `args`) may be: zod (an object or its raw shape) or JSON Schema. */
export type McpObjectSchema = AnySchema | ZodRawShapeCompat | JsonObjectSchema;

/** A schema after classification: zod (normalized to an object schema) or plain JSON Schema. */
export type ClassifiedSchema = { kind: 'zod'; schema: AnyObjectSchema } | { kind: 'json'; schema: JsonObjectSchema };

/** Tells a zod object schema (or raw shape) from a plain JSON Schema; `undefined` for anything else. */
export function classifyObjectSchema(input: unknown): ClassifiedSchema | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const zod = normalizeObjectSchema(input as AnySchema | ZodRawShapeCompat);
  if (zod) return { kind: 'zod', schema: zod };
  const record = input as Record<string, unknown>;
  if ('_def' in record || '_zod' in record) return undefined; // a zod schema, but not an object one
  // `{}` is the raw shape of "no arguments" (the SDK's own convention).
  if (Object.keys(record).length === 0) return { kind: 'zod', schema: objectFromShape({}) };
  if (record.type === 'object') return { kind: 'json', schema: record as JsonObjectSchema };
  return undefined;
}
