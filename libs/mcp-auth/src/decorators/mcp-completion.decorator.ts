import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { MCP_COMPLETION_METADATA } from './metadata-keys.js';

/** Which argument a completion method completes: a prompt's argument or a resource template's variable. */
export type McpCompletionOptions =
  | { prompt: string; resourceTemplate?: never; argument: string }
  | { resourceTemplate: string; prompt?: never; argument: string };

/**
 * Completes one argument of an `@McpPrompt` or one variable of an `@McpResourceTemplate`
 * (`completion/complete`), on any provider, usually next to the primitive it completes. The target is named
 * by its `name`; an unknown prompt, template or argument fails the boot.
 *
 * The method gets `(value, context)`: the partial value typed so far and the request context, whose
 * `arguments` holds the values the client already chose for the other arguments. With parameter decorators,
 * `@McpArgs()` gives all arguments (the partial value included) and `@McpArgs(name)` one of them.
 * It returns the candidate values (at most 100 are sent; `total` and `hasMore` say how many there were).
 *
 * Completing leaks data, so it needs the scopes of its prompt or template (plus any `@RequireScopes` of its
 * own): without them, `completion/complete` is answered 403 `insufficient_scope`.
 *
 * @example
 * ```ts
 * @McpCompletion({ resourceTemplate: 'note', argument: 'id' })
 * completeNoteId(value: string): string[] {
 *   return this.notes.list().map((note) => String(note.id)).filter((id) => id.startsWith(value));
 * }
 * ```
 */
export function McpCompletion(options: McpCompletionOptions): MethodDecorator {
  const targetName = options?.prompt ?? options?.resourceTemplate;
  const kind = options?.prompt !== undefined ? 'prompt' : 'resourceTemplate';
  const label = `${kind} "${String(targetName)}", argument "${String(options?.argument)}"`;
  if ((options?.prompt === undefined) === (options?.resourceTemplate === undefined)) {
    throw new McpAuthConfigurationError('@McpCompletion(): name exactly one of `prompt` and `resourceTemplate`');
  }
  if (
    typeof targetName !== 'string' ||
    targetName === '' ||
    typeof options.argument !== 'string' ||
    options.argument === ''
  ) {
    throw new McpAuthConfigurationError(
      `@McpCompletion(${label}): the target and the argument must be non-empty strings`,
    );
  }
  const definition: Readonly<McpCompletionOptions> = Object.freeze({ ...options });
  return (target, propertyKey, descriptor) => {
    if (typeof descriptor.value !== 'function') {
      throw new McpAuthConfigurationError(`@McpCompletion(${label}) must decorate a method`);
    }
    if (Reflect.getMetadata(MCP_COMPLETION_METADATA, descriptor.value)) {
      throw new McpAuthConfigurationError(
        `${target.constructor.name}.${String(propertyKey)} has two @McpCompletion(): a method completes one argument`,
      );
    }
    Reflect.defineMetadata(MCP_COMPLETION_METADATA, definition, descriptor.value);
  };
}
