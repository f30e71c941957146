import { All, Controller, Req, Res, SetMetadata, type Type } from '@nestjs/common';
import { MCP_ENDPOINT_METADATA } from '../decorators/metadata-keys.js';
import { RequireScopes } from '../decorators/require-scopes.decorator.js';
import { type AdapterRequest, type AdapterResponse, takeOverResponse, toNodeRequest } from '../http/raw-http.js';
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
    // the guard admitted. The handler answers 405 for what the mode does not support. The handlers (and the
    // SDK's transport) work on Node's request and response whatever the HTTP adapter: answers may stream.
    @All()
    handle(@Req() request: AdapterRequest & { body?: unknown }, @Res() response: AdapterResponse): Promise<void> {
      return this.endpoint.handle(toNodeRequest<McpHttpRequest>(request), takeOverResponse(response));
    }
  }
  return McpEndpointController;
}
