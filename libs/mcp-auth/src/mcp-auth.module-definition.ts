import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import { createMcpEndpointController } from './mcp/mcp-endpoint.controller.js';
import { createWellKnownController } from './metadata/well-known.controller.js';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';

/** The controller classes of one module registration, whose paths come from its options. Internal. */
export interface McpAuthControllers {
  endpoint: Type;
  wellKnown: Type;
}

/** Injection token of the `McpAuthControllers` of one module registration. Internal. */
export const MCP_AUTH_CONTROLLERS = Symbol('MCP_AUTH_CONTROLLERS');

export const {
  ConfigurableModuleClass: McpAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: MCP_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: MCP_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MCP_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<McpAuthModuleOptions>({ moduleName: 'McpAuth' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => {
    const controllers: McpAuthControllers = {
      wellKnown: createWellKnownController(),
      endpoint: createMcpEndpointController(),
    };
    return {
      ...definition,
      global: extras.isGlobal,
      controllers: [...(definition.controllers ?? []), controllers.wellKnown, controllers.endpoint],
      providers: [...(definition.providers ?? []), { provide: MCP_AUTH_CONTROLLERS, useValue: controllers }],
    };
  })
  .build();
