import { Inject, Injectable } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { McpToolRegistry } from './mcp-tool.registry.js';
import { handleToolCall } from './tool-call.handler.js';

/**
 * Builds the SDK's low-level `Server` (the official protocol engine: initialize negotiation, ping,
 * cancellation, progress, JSON-RPC errors) wired to the tool registry.
 *
 * A server is cheap to build here because everything costly is shared: tool listings and JSON schemas
 * were computed at bootstrap, and one JSON-schema validator serves every server (the SDK would
 * otherwise compile a new one per instance).
 */
@Injectable()
export class McpServerFactory {
  private readonly validator = new AjvJsonSchemaValidator();

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly registry: McpToolRegistry,
  ) {}

  create(): Server {
    const { serverInfo, instructions, hideUnauthorizedTools } = this.options.mcp;
    const server = new Server(serverInfo, {
      capabilities: { tools: { listChanged: false } },
      instructions,
      jsonSchemaValidator: this.validator,
    });
    server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => ({
      tools: this.registry.list(extra.authInfo as AuthInfo | undefined, hideUnauthorizedTools),
    }));
    // Registered through the base Protocol on purpose. Server's own override re-parses the request (Protocol
    // has just parsed it with the same schema) and re-parses every result, which measured 7% of all the
    // instructions of a tools/call. handleToolCall builds valid results itself and validates the full
    // CallToolResult a tool may return, so nothing is left unchecked.
    const setProtocolHandler: Server['setRequestHandler'] = Protocol.prototype.setRequestHandler;
    setProtocolHandler.call(server, CallToolRequestSchema, (request, extra) =>
      handleToolCall(this.registry, request.params, extra),
    );
    return server;
  }
}
