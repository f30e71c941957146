import { ConfigurableModuleBuilder } from '@nestjs/common';
import { createMcpEndpointController } from './mcp/mcp-endpoint.controller.js';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';

/** Injection token of the MCP endpoint controller class of one module registration. Internal. */
export const MCP_ENDPOINT_CONTROLLER = Symbol('MCP_ENDPOINT_CONTROLLER');

export const {
  ConfigurableModuleClass: McpAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: MCP_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: MCP_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MCP_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<McpAuthModuleOptions>({ moduleName: 'McpAuth' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => {
    const controller = createMcpEndpointController();
    return {
      ...definition,
      global: extras.isGlobal,
      controllers: [...(definition.controllers ?? []), controller],
      providers: [...(definition.providers ?? []), { provide: MCP_ENDPOINT_CONTROLLER, useValue: controller }],
    };
  })
  .build();
