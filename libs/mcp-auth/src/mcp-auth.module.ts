import { Inject, type MiddlewareConsumer, Module, type NestModule, type Provider, RequestMethod } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthContextMiddleware } from './auth/auth-context.middleware.js';
import { McpAuthContext } from './auth/auth-context.service.js';
import { BearerChallengeFilter } from './guard/bearer-challenge.filter.js';
import { McpAuthGuard } from './guard/mcp-auth.guard.js';
import { RouteRequirementsExplorer } from './guard/route-requirements.explorer.js';
import { RouteResourceBinder } from './guard/route-resource.binder.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from './mcp-auth.constants.js';
import {
  MCP_AUTH_MODULE_OPTIONS,
  MCP_AUTH_CONTROLLERS,
  McpAuthConfigurableModule,
  type McpAuthControllers,
} from './mcp-auth.module-definition.js';
import { McpEndpoint } from './mcp/mcp-endpoint.service.js';
import { McpRequestPolicy } from './mcp/mcp-request.policy.js';
import { McpServerFactory } from './mcp/mcp-server.factory.js';
import { JsonSchemaValidators } from './mcp/primitives/json-schema.validators.js';
import { McpPrimitiveExplorer } from './mcp/primitives/mcp-primitive.explorer.js';
import { McpPrimitiveRegistry } from './mcp/primitives/mcp-primitive.registry.js';
import { McpResourceNotifier } from './mcp/subscriptions/mcp-resource.notifier.js';
import { McpResourceSubscriptions } from './mcp/subscriptions/resource-subscriptions.js';
import { StatefulMcpHandler } from './mcp/stateful/stateful-mcp.handler.js';
import { StatelessMcpHandler } from './mcp/stateless/stateless-mcp.handler.js';
import { wellKnownPaths } from './metadata/well-known.controller.js';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';
import type { ResolvedMcpAuthOptions } from './options/resolved-options.js';
import { resolveOptions } from './options/resolve-options.js';
import { TokenVerificationService } from './token/token-verification.service.js';

const resolvedOptionsProvider: Provider = {
  provide: MCP_AUTH_RESOLVED_OPTIONS,
  inject: [MCP_AUTH_MODULE_OPTIONS, MCP_AUTH_CONTROLLERS],
  useFactory: (options: McpAuthModuleOptions, controllers: McpAuthControllers) => {
    const resolved = resolveOptions(options);
    // Providers are built before Nest registers routes, so the routes get their configured paths in time.
    Reflect.defineMetadata(PATH_METADATA, resolved.mcp.path, controllers.endpoint);
    for (const handler of ['metadata', 'preflight']) {
      Reflect.defineMetadata(PATH_METADATA, wellKnownPaths(resolved), controllers.wellKnown.prototype[handler]);
    }
    return resolved;
  },
};

/**
 * Makes the application an OAuth 2.1 resource server for MCP: Protected Resource Metadata,
 * bearer-token verification on the MCP endpoint and on `@RequireScopes` routes, and the `@McpTool`,
 * `@McpResource`, `@McpResourceTemplate`, `@McpPrompt` and `@McpCompletion` methods served over Streamable HTTP
 * under the same authorization. Global by default.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     McpAuthModule.forRoot({
 *       resources: [{
 *         resource: 'https://api.example.com/mcp',
 *         authorizationServers: [{ issuer: 'https://auth.example.com' }],
 *         scopesSupported: ['notes:read', 'notes:write'],
 *       }],
 *     }),
 *   ],
 *   providers: [NotesTools],
 * })
 * export class AppModule {}
 * ```
 *
 * With configuration from `ConfigService`:
 * ```ts
 * McpAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     resources: [{ resource: config.getOrThrow('MCP_RESOURCE'), authorizationServers: [{ issuer: config.getOrThrow('ISSUER') }] }],
 *   }),
 * })
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    resolvedOptionsProvider,
    TokenVerificationService,
    McpAuthContext,
    AuthContextMiddleware,
    McpRequestPolicy,
    RouteResourceBinder,
    RouteRequirementsExplorer,
    JsonSchemaValidators,
    McpPrimitiveRegistry,
    McpPrimitiveExplorer,
    McpResourceSubscriptions,
    McpResourceNotifier,
    McpServerFactory,
    StatelessMcpHandler,
    StatefulMcpHandler,
    McpEndpoint,
    McpAuthGuard,
    { provide: APP_GUARD, useExisting: McpAuthGuard },
    { provide: APP_FILTER, useClass: BearerChallengeFilter },
  ],
  exports: [
    MCP_AUTH_RESOLVED_OPTIONS,
    McpAuthContext,
    McpAuthGuard,
    TokenVerificationService,
    McpPrimitiveRegistry,
    McpResourceNotifier,
  ],
})
export class McpAuthModule extends McpAuthConfigurableModule implements NestModule {
  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // The MCP endpoint enters the request context itself (one middleware layer less on the hottest path).
    consumer
      .apply(AuthContextMiddleware)
      .exclude({ path: this.options.mcp.path, method: RequestMethod.ALL })
      .forRoutes('{*path}');
  }
}
