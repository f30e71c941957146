import type { McpCompletionOptions } from '../../decorators/mcp-completion.decorator.js';
import type { ScopeRequirement } from '../../guard/scope-requirement.js';
import type { JsonSchemaValidators } from './json-schema.validators.js';

/** A decorated method found by the explorer: where it lives and what it requires. */
export interface PrimitiveSource<Options> {
  options: Readonly<Options>;
  instance: object;
  methodName: string;
  /** Class and method `@RequireScopes` (scopes and scope functions), merged. */
  requirement: ScopeRequirement;
  /** Shared by the whole application (one Ajv per dialect). */
  validators: JsonSchemaValidators;
}

/** An `@McpCompletion` method found by the explorer: it compiles no schema, so it needs no validators. */
export type CompletionSource = Omit<PrimitiveSource<McpCompletionOptions>, 'validators'>;

/** `Class.method` of a source, for messages. */
export function sourceName(source: { instance: object; methodName: string }): string {
  return `${source.instance.constructor.name}.${source.methodName}`;
}
