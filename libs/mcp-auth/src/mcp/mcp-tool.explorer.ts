import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { MCP_TOOL_METADATA, REQUIRE_SCOPES_METADATA } from '../decorators/metadata-keys.js';
import type { McpToolOptions } from '../decorators/mcp-tool.decorator.js';
import { McpToolRegistry } from './mcp-tool.registry.js';
import { buildRegisteredTool } from './registered-tool.factory.js';

/**
 * Finds `@McpTool` methods on every provider and controller at module init (the `@nestjs/schedule`
 * explorer pattern) and registers them. Request-scoped and transient providers are skipped with a
 * warning: a tool must run on one long-lived instance (read the caller through `McpAuthContext`).
 */
@Injectable()
export class McpToolExplorer implements OnModuleInit {
  private readonly logger = new Logger('McpAuthModule');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: McpToolRegistry,
  ) {}

  onModuleInit(): void {
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    for (const wrapper of wrappers) this.exploreWrapper(wrapper);
  }

  private exploreWrapper(wrapper: InstanceWrapper): void {
    if (wrapper.isAlias) return;
    if (!wrapper.isDependencyTreeStatic()) {
      const prototype = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      const tools = prototype ? this.toolMethods(prototype) : [];
      if (tools.length > 0) {
        this.logger.warn(
          `Ignoring MCP tools ${tools.map(([, options]) => options.name).join(', ')} on ${wrapper.name}: ` +
            'it is request-scoped or transient; tools must live on singleton providers',
        );
      }
      return;
    }
    const instance = wrapper.instance as object | undefined;
    if (!instance || typeof instance !== 'object') return;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const [methodName, options] of this.toolMethods(prototype)) {
      const classScopes: readonly string[] = Reflect.getMetadata(REQUIRE_SCOPES_METADATA, instance.constructor) ?? [];
      const methodScopes: readonly string[] =
        Reflect.getMetadata(REQUIRE_SCOPES_METADATA, (prototype as Record<string, object>)[methodName]) ?? [];
      this.registry.register(
        buildRegisteredTool({
          options,
          instance,
          methodName,
          requiredScopes: [...new Set([...classScopes, ...methodScopes])],
        }),
      );
    }
  }

  private toolMethods(prototype: object): Array<[string, McpToolOptions]> {
    return this.scanner.getAllMethodNames(prototype).flatMap((name): Array<[string, McpToolOptions]> => {
      const method = (prototype as Record<string, unknown>)[name];
      const options = typeof method === 'function' ? Reflect.getMetadata(MCP_TOOL_METADATA, method) : undefined;
      return options ? [[name, options]] : [];
    });
  }
}
