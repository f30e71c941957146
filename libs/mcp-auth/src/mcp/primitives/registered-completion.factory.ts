import { mergeRequirements } from '../../guard/scope-requirement.js';
import { methodInvoker } from './method-invoker.js';
import { type CompletionSource, sourceName } from './primitive-source.interface.js';
import type {
  RegisteredCompletion,
  RegisteredPrompt,
  RegisteredResourceTemplate,
} from './registered-primitive.interface.js';

/**
 * Binds one `@McpCompletion` method to the prompt or template it completes. It needs that primitive's scopes
 * (completing leaks data) and its own `@RequireScopes`, merged.
 */
export function buildRegisteredCompletion(
  source: CompletionSource,
  target: RegisteredPrompt | RegisteredResourceTemplate,
): RegisteredCompletion {
  const argument = source.options.argument;
  // Without parameter decorators the method gets (value, context); `@McpArgs()` sees every argument.
  const invoke = methodInvoker(source.instance, source.methodName, (args, context) => [
    (args as Record<string, string>)[argument],
    context,
  ]);
  return {
    source: sourceName(source),
    argument,
    ...mergeRequirements(target, source.requirement),
    complete: (value, args, context) => invoke({ ...args, [argument]: value }, context),
  };
}
