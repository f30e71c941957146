import { Injectable, type OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  MCP_COMPLETION_METADATA,
  MCP_PRIMITIVE_METADATA,
  PUBLIC_METADATA,
  REQUIRE_SCOPES_METADATA,
} from '../decorators/metadata-keys.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { declaredScopes, type MetadataReader } from './route-requirement.js';

/**
 * Handler metadata of the Nest transports the guard cannot protect (it has no bearer token to read there):
 * microservice message/event patterns, WebSocket messages, GraphQL resolvers.
 */
const NON_HTTP_HANDLER_KEYS = ['microservices:pattern', 'websockets:message_mapping', 'graphql:resolver_type'];

/**
 * Checks every `@RequireScopes` / `@Public` declaration while the application boots, so a scope is never
 * silently dropped: a declaration that cannot be enforced fails the boot with a message naming the class and
 * method, instead of letting requests through (or failing them) later.
 *
 * Refused: both decorators on one method or class; `@RequireScopes` on a method that is neither an HTTP
 * route nor an MCP handler (primitive or completion); a protected class (or method) handling WebSocket, microservice or GraphQL
 * requests; `@RequireScopes` on a class with nothing to protect.
 */
@Injectable()
export class RouteRequirementsExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const read: MetadataReader = (key, target) => this.reflector.get(key, target as never);
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getControllers(), ...this.discovery.getProviders()]) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | undefined;
      if (wrapper.isAlias || typeof type !== 'function' || seen.has(type)) continue;
      seen.add(type);
      this.check(read, type);
    }
  }

  private check(read: MetadataReader, type: abstract new (...args: never[]) => unknown): void {
    const prototype = type.prototype as Record<string, unknown> | undefined;
    if (!prototype) return;
    const classDeclares = read(REQUIRE_SCOPES_METADATA, type) !== undefined;
    if (!classDeclares && read(PUBLIC_METADATA, type) === undefined && !this.anyMethodDeclares(read, prototype)) return;
    let protectsSomething = false;
    for (const name of this.scanner.getAllMethodNames(prototype)) {
      const method = prototype[name];
      if (typeof method !== 'function') continue;
      const where = `${type.name}.${name}`;
      const scopes = declaredScopes(read, method, type, where);
      const isRoute = read(PATH_METADATA, method) !== undefined && read(METHOD_METADATA, method) !== undefined;
      const isMcpHandler =
        read(MCP_PRIMITIVE_METADATA, method) !== undefined || read(MCP_COMPLETION_METADATA, method) !== undefined;
      if (isRoute || isMcpHandler) {
        protectsSomething ||= scopes !== undefined;
        continue;
      }
      const transport = NON_HTTP_HANDLER_KEYS.find((key) => read(key, method) !== undefined);
      if (scopes !== undefined && transport !== undefined) {
        fail(`${where} is a ${transport.split(':')[0]} handler`);
      }
      if (read(REQUIRE_SCOPES_METADATA, method) !== undefined) fail(`${where} is not an HTTP route or an MCP handler`);
    }
    if (classDeclares && !protectsSomething) fail(`${type.name} has no HTTP route or MCP handler to protect`);
  }

  private anyMethodDeclares(read: MetadataReader, prototype: Record<string, unknown>): boolean {
    return this.scanner.getAllMethodNames(prototype).some((name) => {
      const method = prototype[name];
      return (
        typeof method === 'function' &&
        (read(REQUIRE_SCOPES_METADATA, method) !== undefined || read(PUBLIC_METADATA, method) !== undefined)
      );
    });
  }
}

function fail(reason: string): never {
  throw new McpAuthConfigurationError(
    `@RequireScopes cannot be enforced: ${reason}. Only HTTP routes and MCP handlers (tools, resources, ` +
      'templates, prompts, completions) are protected ' +
      '(WebSocket, microservice and GraphQL handlers are not supported yet, and the guard denies them)',
  );
}
