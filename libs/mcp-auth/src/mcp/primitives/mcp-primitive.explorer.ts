import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { McpCompletionOptions } from '../../decorators/mcp-completion.decorator.js';
import { getPrimitiveMetadata, type McpPrimitiveMetadata } from '../../decorators/mcp-primitive.metadata.js';
import { MCP_COMPLETION_METADATA, REQUIRE_SCOPES_METADATA } from '../../decorators/metadata-keys.js';
import type { ScopeDeclaration } from '../../guard/route-requirement.js';
import { toRequirement } from '../../guard/scope-requirement.js';
import { McpAuthConfigurationError } from '../../errors/mcp-auth.errors.js';
import { JsonSchemaValidators } from './json-schema.validators.js';
import { McpPrimitiveRegistry } from './mcp-primitive.registry.js';
import type { CompletionSource, PrimitiveSource } from './primitive-source.interface.js';
import { buildRegisteredPrompt } from './registered-prompt.factory.js';
import type { RegisteredPrimitive } from './registered-primitive.interface.js';
import { buildRegisteredResource, buildRegisteredResourceTemplate } from './registered-resource.factory.js';
import { buildRegisteredTool } from './registered-tool.factory.js';

/** A decorated method: the primitive it serves, or the argument it completes. */
interface DecoratedMethod {
  methodName: string;
  primitive?: McpPrimitiveMetadata;
  completion?: Readonly<McpCompletionOptions>;
}

/**
 * Finds every MCP primitive (`@McpTool`, `@McpResource`, `@McpResourceTemplate`, `@McpPrompt`) and every
 * `@McpCompletion` on providers and controllers at module init, in one pass (the `@nestjs/schedule` explorer
 * pattern), and registers them; completions are bound once every primitive is known. Request-scoped and
 * transient providers are skipped with a warning: a handler must run on one long-lived instance (read the
 * caller through `McpAuthContext`).
 */
@Injectable()
export class McpPrimitiveExplorer implements OnModuleInit {
  private readonly logger = new Logger('McpAuthModule');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: McpPrimitiveRegistry,
    private readonly validators: JsonSchemaValidators,
  ) {}

  onModuleInit(): void {
    const completions: CompletionSource[] = [];
    for (const wrapper of [...this.discovery.getControllers(), ...this.discovery.getProviders()]) {
      completions.push(...this.exploreWrapper(wrapper));
    }
    for (const completion of completions) this.registry.registerCompletion(completion);
  }

  /** Registers the wrapper's primitives; returns its completions, bound after the pass. */
  private exploreWrapper(wrapper: InstanceWrapper): CompletionSource[] {
    if (wrapper.isAlias) return [];
    if (!wrapper.isDependencyTreeStatic()) {
      const prototype = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      const ignored = prototype ? this.decoratedMethods(prototype).map(({ methodName }) => methodName) : [];
      if (ignored.length > 0) {
        this.logger.warn(
          `Ignoring MCP handlers ${ignored.join(', ')} on ${wrapper.name}: it is request-scoped or transient; ` +
            'MCP handlers must live on singleton providers',
        );
      }
      return [];
    }
    const instance = wrapper.instance as object | undefined;
    if (!instance || typeof instance !== 'object') return [];
    const prototype = Object.getPrototypeOf(instance) as object;
    const classScopes: ScopeDeclaration = Reflect.getMetadata(REQUIRE_SCOPES_METADATA, instance.constructor) ?? [];
    const completions: CompletionSource[] = [];
    for (const { methodName, primitive, completion } of this.decoratedMethods(prototype)) {
      const methodScopes: ScopeDeclaration =
        Reflect.getMetadata(REQUIRE_SCOPES_METADATA, (prototype as Record<string, object>)[methodName]) ?? [];
      const requirement = toRequirement([...classScopes, ...methodScopes]);
      if (primitive && completion) {
        throw new McpAuthConfigurationError(
          `${instance.constructor.name}.${methodName} has both @McpCompletion() and an MCP primitive decorator: ` +
            'a completion needs its own method',
        );
      }
      if (completion) completions.push({ options: completion, instance, methodName, requirement });
      if (primitive) this.registry.register(this.build(primitive, { instance, methodName, requirement }));
    }
    return completions;
  }

  private build(
    metadata: McpPrimitiveMetadata,
    source: Omit<PrimitiveSource<unknown>, 'options' | 'validators'>,
  ): RegisteredPrimitive {
    const validators = this.validators;
    switch (metadata.kind) {
      case 'tool':
        return buildRegisteredTool({ ...source, options: metadata.options, validators });
      case 'resource':
        return buildRegisteredResource({ ...source, options: metadata.options, validators });
      case 'resourceTemplate':
        return buildRegisteredResourceTemplate({ ...source, options: metadata.options, validators });
      case 'prompt':
        return buildRegisteredPrompt({ ...source, options: metadata.options, validators });
    }
  }

  private decoratedMethods(prototype: object): DecoratedMethod[] {
    return this.scanner.getAllMethodNames(prototype).flatMap((methodName): DecoratedMethod[] => {
      const method = (prototype as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') return [];
      const primitive = getPrimitiveMetadata(method);
      const completion = Reflect.getMetadata(MCP_COMPLETION_METADATA, method) as McpCompletionOptions | undefined;
      return primitive || completion ? [{ methodName, primitive, completion }] : [];
    });
  }
}
