import type { ServerResponse } from 'node:http';
import { All, Controller, Req, Res, SetMetadata, type Type } from '@nestjs/common';
import { MCP_ENDPOINT_METADATA } from '../decorators/metadata-keys.js';
import { RequireScopes } from '../decorators/require-scopes.decorator.js';
import { McpEndpoint } from './mcp-endpoint.service.js';
import type { McpHttpRequest } from './mcp-request.interface.js';

/**
 * A fresh controller class per module registration: its path comes from the options, which
 * `forRootAsync` only knows once its factory ran, so the path metadata is set on this class then
 * (before Nest registers routes) without touching any other registration's controller.
 */
export function createMcpEndpointController(): Type {
  @Controller()
  @RequireScopes()
  @SetMetadata(MCP_ENDPOINT_METADATA, true)
  class McpEndpointController {
    constructor(private readonly endpoint: McpEndpoint) {}

    // POST carries messages; GET opens and DELETE ends a session (stateful mode); OPTIONS is a CORS preflight
    // the guard admitted. The handler answers 405 for what the mode does not support.
    @All()
    handle(@Req() request: McpHttpRequest, @Res() response: ServerResponse): Promise<void> {
      return this.endpoint.handle(request, response);
    }
  }
  return McpEndpointController;
}
