import { Injectable } from '@nestjs/common';
import { Ajv, type AnySchema as AjvSchema, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv | Ajv2020,
) => void;

const OLDER_DIALECT = /^https?:\/\/json-schema\.org\/draft-0[4-7]\/schema#?$/;

/**
 * JSON Schema validation for plain-JSON-Schema tools and for the SDK `Server` (elicitation answers), one
 * instance per application: schemas are compiled at bootstrap, never per request.
 *
 * Dialect 2020-12 (the MCP default) unless the schema's `$schema` names draft-04..07, which get Ajv's
 * draft-07 engine: the two disagree on keywords such as `items` / `prefixItems`.
 */
@Injectable()
export class JsonSchemaValidators implements jsonSchemaValidator {
  private modern?: Ajv2020;
  private older?: Ajv;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const compiled = this.compile(schema as AjvSchema);
    return (input) =>
      compiled(input)
        ? { valid: true, data: input as T, errorMessage: undefined }
        : { valid: false, data: undefined, errorMessage: this.engineFor(schema).errorsText(compiled.errors) };
  }

  /** @throws Error when the schema does not compile (reported at bootstrap). */
  compile(schema: AjvSchema): ValidateFunction {
    return this.engineFor(schema).compile(schema);
  }

  private engineFor(schema: unknown): Ajv | Ajv2020 {
    const dialect = (schema as { $schema?: unknown } | null)?.$schema;
    if (typeof dialect === 'string' && OLDER_DIALECT.test(dialect)) {
      this.older ??= withFormats(new Ajv({ strict: false, allErrors: true }));
      return this.older;
    }
    this.modern ??= withFormats(new Ajv2020({ strict: false, allErrors: true }));
    return this.modern;
  }
}

function withFormats<T extends Ajv | Ajv2020>(ajv: T): T {
  addFormats(ajv);
  return ajv;
}
