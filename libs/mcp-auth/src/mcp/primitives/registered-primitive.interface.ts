import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpPrimitiveKind } from '../../decorators/mcp-primitive.metadata.js';
import type { ScopeRequirement } from '../../guard/scope-requirement.js';
import type { McpRequestContext } from '../context/mcp-request-context.js';
import type { ArgumentValidator } from './object-schema.js';
import type { UriTemplateMatcher } from './uri-template.matcher.js';

/** Calls a decorated method on its DI instance with the parameters its decorators ask for. */
export type MethodInvoker = (args: unknown, context: McpRequestContext) => Promise<unknown>;

/** What every discovered primitive has; everything a request needs is computed once, at bootstrap. */
interface RegisteredPrimitiveBase extends ScopeRequirement {
  kind: McpPrimitiveKind;
  /** Unique per kind. */
  name: string;
  /** `Class.method`, for messages. */
  source: string;
  /** Class and method `@RequireScopes`, merged. */
  requiredScopes: readonly string[];
  invoke: MethodInvoker;
}

export interface RegisteredTool extends RegisteredPrimitiveBase {
  kind: 'tool';
  /** The `tools/list` entry, JSON schemas included. */
  listing: Tool;
  input?: ArgumentValidator;
  output?: ArgumentValidator;
}

export interface RegisteredResource extends RegisteredPrimitiveBase {
  kind: 'resource';
  uri: string;
  mimeType?: string;
  listing: Resource;
}

export interface RegisteredResourceTemplate extends RegisteredPrimitiveBase {
  kind: 'resourceTemplate';
  matcher: UriTemplateMatcher;
  mimeType?: string;
  listing: ResourceTemplate;
  /** Completers of its variables, by variable name (filled after the explorer pass). */
  completions: Map<string, RegisteredCompletion>;
}

export interface RegisteredPrompt extends RegisteredPrimitiveBase {
  kind: 'prompt';
  listing: Prompt;
  args?: ArgumentValidator;
  completions: Map<string, RegisteredCompletion>;
}

export type RegisteredPrimitive = RegisteredTool | RegisteredResource | RegisteredResourceTemplate | RegisteredPrompt;

/** An `@McpCompletion` method, bound to the prompt argument or template variable it completes. */
export interface RegisteredCompletion extends ScopeRequirement {
  source: string;
  /** The target's scopes and the completion method's own, merged. */
  requiredScopes: readonly string[];
  argument: string;
  /** `(value, arguments, context)`: returns the candidate values. */
  complete(value: string, args: Record<string, string>, context: McpRequestContext): Promise<unknown>;
}
