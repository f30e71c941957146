import { Injectable } from '@nestjs/common';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { McpAuthConfigurationError } from '../../errors/mcp-auth.errors.js';
import { forgetValidatedArguments, rememberValidatedArguments } from '../../auth/request-grants.js';
import { checkScopes, isAllowed } from '../../guard/scope-requirement.js';
import { NO_SCOPES } from '../../options/scope-syntax.js';
import { messageTarget } from './message-target.js';
import type { Validation } from './object-schema.js';
import { type CompletionSource, sourceName } from './primitive-source.interface.js';
import { buildRegisteredCompletion } from './registered-completion.factory.js';
import type {
  RegisteredPrimitive,
  RegisteredPrompt,
  RegisteredResource,
  RegisteredResourceTemplate,
  RegisteredTool,
} from './registered-primitive.interface.js';

/** Each kind of primitive, by its `kind`. */
interface PrimitivesByKind {
  tool: RegisteredTool;
  resource: RegisteredResource;
  resourceTemplate: RegisteredResourceTemplate;
  prompt: RegisteredPrompt;
}
type Kind = keyof PrimitivesByKind;
/** The list entry (`Tool`, `Resource`, `ResourceTemplate`, `Prompt`) of a kind. */
type ListingOf<K extends Kind> = PrimitivesByKind[K]['listing'];

/** What a resource URI resolves to: a fixed resource, or a template and the URI's variables. */
export type ResolvedResourceUri =
  | { primitive: RegisteredResource; variables: Record<string, string> }
  | { primitive: RegisteredResourceTemplate; variables: Record<string, string> };

const NO_VARIABLES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Every MCP primitive of the application, keyed by kind and name. Filled by the explorer at bootstrap, read
 * per request: the lists, and which primitive a JSON-RPC message targets (so the guard can ask for its scopes
 * before any handler runs).
 */
@Injectable()
export class McpPrimitiveRegistry {
  private readonly byKind: { [K in Kind]: Map<string, PrimitivesByKind[K]> } = {
    tool: new Map(),
    resource: new Map(),
    resourceTemplate: new Map(),
    prompt: new Map(),
  };
  private readonly resourcesByUri = new Map<string, RegisteredResource>();
  private readonly templatesByTemplate = new Map<string, RegisteredResourceTemplate>();
  private readonly templatesByShape = new Map<string, RegisteredResourceTemplate>();
  private readonly listings: { [K in Kind]: Array<ListingOf<K>> } = {
    tool: [],
    resource: [],
    resourceTemplate: [],
    prompt: [],
  };
  private completionCount = 0;

  /** @throws McpAuthConfigurationError when a name, URI or URI template is taken, naming both methods. */
  register(primitive: RegisteredPrimitive): void {
    const existing = this.byKind[primitive.kind].get(primitive.name);
    if (existing) this.refuse(`name "${primitive.name}"`, existing, primitive);
    if (primitive.kind === 'resource') {
      const sameUri = this.resourcesByUri.get(primitive.uri);
      if (sameUri) this.refuse(`resource URI "${primitive.uri}"`, sameUri, primitive);
      this.resourcesByUri.set(primitive.uri, primitive);
    } else if (primitive.kind === 'resourceTemplate') {
      const sameShape = this.templatesByShape.get(primitive.matcher.shape);
      if (sameShape) this.refuse(`URI template "${primitive.matcher.template}"`, sameShape, primitive);
      this.templatesByShape.set(primitive.matcher.shape, primitive);
      this.templatesByTemplate.set(primitive.matcher.template, primitive);
    }
    (this.byKind[primitive.kind] as Map<string, RegisteredPrimitive>).set(primitive.name, primitive);
    (this.listings[primitive.kind] as unknown[]).push(primitive.listing);
  }

  /**
   * Binds an `@McpCompletion` method to its prompt argument or template variable.
   * @throws McpAuthConfigurationError for an unknown target or argument, or a second completer of one argument.
   */
  registerCompletion(source: CompletionSource): void {
    const { prompt, resourceTemplate, argument } = source.options;
    const where = sourceName(source);
    const target = prompt !== undefined ? this.prompt(prompt) : this.template(resourceTemplate!);
    const what = prompt !== undefined ? `prompt "${prompt}"` : `resource template "${resourceTemplate}"`;
    if (!target) throw new McpAuthConfigurationError(`@McpCompletion on ${where}: there is no ${what}`);
    const names =
      target.kind === 'prompt'
        ? (target.listing.arguments ?? []).map((each) => each.name)
        : target.matcher.variableNames;
    if (!names.includes(argument)) {
      throw new McpAuthConfigurationError(
        `@McpCompletion on ${where}: ${what} has no argument "${argument}" (it has: ${names.join(', ') || 'none'})`,
      );
    }
    const existing = target.completions.get(argument);
    if (existing) {
      throw new McpAuthConfigurationError(
        `Two completions of argument "${argument}" of ${what}: ${existing.source} and ${where}`,
      );
    }
    target.completions.set(argument, buildRegisteredCompletion(source, target));
    this.completionCount++;
  }

  tool(name: string): RegisteredTool | undefined {
    return this.byKind.tool.get(name);
  }

  prompt(name: string): RegisteredPrompt | undefined {
    return this.byKind.prompt.get(name);
  }

  template(name: string): RegisteredResourceTemplate | undefined {
    return this.byKind.resourceTemplate.get(name);
  }

  /** The fixed resource with this URI, else the first template (in registration order) it matches. */
  resolveResource(uri: string): ResolvedResourceUri | undefined {
    const resource = this.resourcesByUri.get(uri);
    if (resource) return { primitive: resource, variables: NO_VARIABLES };
    for (const template of this.byKind.resourceTemplate.values()) {
      const variables = template.matcher.match(uri);
      if (variables) return { primitive: template, variables };
    }
    return undefined;
  }

  /** What a `completion/complete` reference names: a prompt, or a template (by its URI template, or a URI). */
  completionTarget(ref: { type?: unknown; name?: unknown; uri?: unknown }): RegisteredPrimitive | undefined {
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') return this.prompt(ref.name);
    if (ref.type !== 'ref/resource' || typeof ref.uri !== 'string') return undefined;
    return this.templatesByTemplate.get(ref.uri) ?? this.resolveResource(ref.uri)?.primitive;
  }

  has(kind: Kind): boolean {
    return this.byKind[kind].size > 0;
  }

  hasCompletions(): boolean {
    return this.completionCount > 0;
  }

  all(): RegisteredPrimitive[] {
    return Object.values(this.byKind).flatMap((primitives) => [...primitives.values()] as RegisteredPrimitive[]);
  }

  /** A list result: every primitive of `kind`, or (hiding) only those `auth` may use. Built once, not per call. */
  list<K extends Kind>(kind: K, auth: AuthInfo | undefined, hideUnauthorized: boolean): Array<ListingOf<K>> {
    if (!hideUnauthorized) return this.listings[kind];
    const primitives = [...this.byKind[kind].values()] as RegisteredPrimitive[];
    return primitives.filter((primitive) => isAllowed(primitive, auth)).map((primitive) => primitive.listing) as Array<
      ListingOf<K>
    >;
  }

  /**
   * The scopes a JSON-RPC message (or batch) needs: those of every primitive it uses (a batch needs the union),
   * with what their scope functions compute from the call's arguments (`auth` given). Read before any handler
   * runs, so a missing scope is answered at the HTTP layer with a 403 challenge the client can step up from.
   * Synchronous unless arguments had to be validated by an asynchronous schema.
   */
  scopesForMessages(body: unknown, auth?: AuthInfo): readonly string[] | Promise<readonly string[]> {
    if (auth) forgetValidatedArguments(auth);
    if (!Array.isArray(body)) return this.scopesForMessage(body, auth);
    const each = body.map((message) => this.scopesForMessage(message, auth));
    const union = (lists: ReadonlyArray<readonly string[]>) => {
      const scopes = new Set(lists.flat());
      return scopes.size > 0 ? [...scopes] : NO_SCOPES;
    };
    return each.some((scopes) => scopes instanceof Promise) ? Promise.all(each).then(union) : union(each as string[][]);
  }

  /**
   * One message's scopes. A scope function sees validated arguments only (defaults applied, types checked):
   * they are validated here, once, and kept on the request's `AuthInfo` for the handler. Invalid arguments
   * leave the fixed scopes (the handler refuses them with invalid-params before anything runs).
   */
  private scopesForMessage(
    message: unknown,
    auth: AuthInfo | undefined,
  ): readonly string[] | Promise<readonly string[]> {
    const target = messageTarget(this, message);
    if (!target) return NO_SCOPES;
    const { requirement, validate } = target;
    if (!requirement.computedScopes || !auth) return requirement.requiredScopes;
    const args = target.args ?? {};
    if (!validate) return checkScopes(requirement, auth, args).required;
    const decide = (validation: Validation) => {
      if (!validation.ok) return requirement.requiredScopes;
      rememberValidatedArguments(auth, (message as { id?: unknown }).id, requirement, validation.value);
      return checkScopes(requirement, auth, validation.value).required;
    };
    const validation = validate(args);
    return validation instanceof Promise ? validation.then(decide) : decide(validation);
  }

  private refuse(what: string, existing: RegisteredPrimitive, added: RegisteredPrimitive): never {
    throw new McpAuthConfigurationError(
      `Duplicate MCP ${added.kind} ${what}: declared by ${existing.source} and ${added.source}`,
    );
  }
}
