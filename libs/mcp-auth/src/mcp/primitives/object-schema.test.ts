import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { McpAuthConfigurationError } from '../../errors/mcp-auth.errors.js';
import { JsonSchemaValidators } from './json-schema.validators.js';
import { compileObjectSchema } from './object-schema.js';

const validators = new JsonSchemaValidators();
const compile = (schema: unknown) => compileObjectSchema(schema as never, 'input of tool "t"', validators);

describe('compileObjectSchema', () => {
  it('publishes zod as JSON Schema 2020-12 and validates with zod', async () => {
    const { json, validate } = compile({ a: z.number(), pair: z.tuple([z.string(), z.number()]).optional() });
    assert.equal(json.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual((json.properties as Record<string, { prefixItems?: unknown }>).pair.prefixItems, [
      { type: 'string' },
      { type: 'number' },
    ]);
    assert.deepEqual(await validate({ a: 1 }), { ok: true, value: { a: 1 } });
    assert.equal((await validate({ a: 'one' })).ok, false);
  });

  it('runs async zod refinements', async () => {
    const { validate } = compile(z.object({ code: z.string().refine(async (code) => code === 'ok') }));
    assert.equal((await validate({ code: 'ok' })).ok, true);
    assert.equal((await validate({ code: 'no' })).ok, false);
  });

  it('publishes a plain JSON Schema exactly as given, and validates it in its dialect', async () => {
    const modern = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
      properties: { pair: { $ref: '#/$defs/pair' } },
      additionalProperties: false,
    };
    const compiled = compile(modern);
    assert.equal(compiled.json, modern);
    assert.deepEqual(await compiled.validate({ pair: ['a', 1] }), { ok: true, value: { pair: ['a', 1] } });
    assert.equal((await compiled.validate({ pair: ['a', 'b'] })).ok, false);
    assert.equal((await compiled.validate({ other: 1 })).ok, false, 'additionalProperties: false');

    const draft07 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } },
    };
    const older = compile(draft07);
    assert.equal((await older.validate({ pair: ['a', 1] })).ok, true);
    const refused = await older.validate({ pair: ['a', 'b'] });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.message, /\/pair\/1 must be number/);
  });

  it('treats {} as "no arguments" and refuses what is not an object schema, naming it', () => {
    assert.deepEqual(compile({}).json.properties, {});
    assert.throws(() => compile({ type: 'string' }), McpAuthConfigurationError);
    assert.throws(() => compile(z.string()), /input of tool "t" must be a zod object schema/);
    assert.throws(
      () => compile({ type: 'object', properties: { a: { type: 'nonsense' } } }),
      /not a valid JSON Schema/,
    );
  });
});
