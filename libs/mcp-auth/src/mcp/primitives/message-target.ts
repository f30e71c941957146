import type { ScopeRequirement } from '../../guard/scope-requirement.js';
import type { McpPrimitiveRegistry } from './mcp-primitive.registry.js';
import type { ArgumentValidator } from './object-schema.js';
import type { RegisteredCompletion } from './registered-primitive.interface.js';

/** What a JSON-RPC message uses, and with which arguments. */
export interface MessageTarget {
  requirement: ScopeRequirement;
  args: unknown;
  /** Validates `args` (a tool's or prompt's schema) before a scope function may look at them. */
  validate?: ArgumentValidator;
}

/**
 * Which primitive (or completion) a JSON-RPC message uses: `tools/call` and `prompts/get` by name,
 * `resources/read` / `subscribe` by URI (the fixed resource, else the matching template), `completion/complete`
 * by its reference (the completion of that argument, else the prompt or template). `undefined` for any other
 * method, a malformed message, or an unknown target (its handler answers that). `resources/unsubscribe` targets
 * nothing: giving a subscription up never needs a scope, so a client whose scope was withdrawn can still stop
 * its notifications.
 */
export function messageTarget(registry: McpPrimitiveRegistry, message: unknown): MessageTarget | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: Record<string, unknown> };
  if (typeof params !== 'object' || params === null) return undefined;
  switch (method) {
    case 'tools/call': {
      const tool = typeof params.name === 'string' ? registry.tool(params.name) : undefined;
      return tool && { requirement: tool, args: params.arguments, validate: tool.input };
    }
    case 'prompts/get': {
      const prompt = typeof params.name === 'string' ? registry.prompt(params.name) : undefined;
      return prompt && { requirement: prompt, args: params.arguments, validate: prompt.args };
    }
    case 'resources/read':
    case 'resources/subscribe': {
      const resolved = typeof params.uri === 'string' ? registry.resolveResource(params.uri) : undefined;
      return resolved && { requirement: resolved.primitive, args: resolved.variables };
    }
    case 'completion/complete':
      return completionTarget(registry, params);
    default:
      return undefined;
  }
}

function completionTarget(registry: McpPrimitiveRegistry, params: Record<string, unknown>): MessageTarget | undefined {
  const ref = params.ref;
  if (typeof ref !== 'object' || ref === null) return undefined;
  const target = registry.completionTarget(ref as Record<string, unknown>);
  if (!target) return undefined;
  const argument = (params.argument as { name?: unknown } | undefined)?.name;
  const completion: RegisteredCompletion | undefined =
    (target.kind === 'prompt' || target.kind === 'resourceTemplate') && typeof argument === 'string'
      ? target.completions.get(argument)
      : undefined;
  return {
    requirement: completion ?? target,
    args: (params.context as { arguments?: unknown } | undefined)?.arguments,
  };
}
