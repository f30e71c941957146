import { Inject, Injectable } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { McpConnectionState } from './context/mcp-connection-state.js';
import { buildMethodTable, type McpMethodTable } from './methods/mcp-method.table.js';
import { JsonSchemaValidators } from './primitives/json-schema.validators.js';
import { McpPrimitiveRegistry } from './primitives/mcp-primitive.registry.js';
import { McpResourceSubscriptions } from './subscriptions/resource-subscriptions.js';

/**
 * Builds the SDK's low-level `Server` (the official protocol engine: initialize negotiation, ping,
 * cancellation, progress, JSON-RPC errors) wired to the primitive registry: one per request in stateless mode,
 * one per session in stateful mode.
 *
 * A server is cheap to build because everything costly is shared: the method table, the capabilities, the
 * listings, JSON schemas, validators and URI-template matchers were all computed once from the registry.
 */
@Injectable()
export class McpServerFactory {
  private table?: McpMethodTable;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly registry: McpPrimitiveRegistry,
    private readonly subscriptions: McpResourceSubscriptions,
    private readonly validators: JsonSchemaValidators,
  ) {}

  create(): Server {
    // Built on first use: the explorer has filled the registry by then (module init precedes any request).
    const { capabilities, methods } = this.methodTable();
    const { serverInfo, instructions, mode } = this.options.mcp;
    const server = new Server(serverInfo, { capabilities, instructions, jsonSchemaValidator: this.validators });
    const connection = new McpConnectionState(server, mode === 'stateful');
    // Every method goes through one shared table instead of `setRequestHandler` per method and per server:
    // that call re-derives each method name from its zod schema and allocates a wrapper, for every request in
    // stateless mode; and the SDK's `Server` override for `tools/call` re-parses the request (the table has just
    // parsed it with the same schema) and re-parses every result, which measured 7% of all the instructions of a
    // tools/call. The table's handlers validate requests against the SDK's schemas and build valid results.
    // The SDK answers `logging/setLevel` itself when logging is declared; this one remembers the level per session.
    server.removeRequestHandler('logging/setLevel');
    server.fallbackRequestHandler = (request, extra) => {
      const handler = methods.get(request.method);
      return handler ? handler(request, extra, connection) : Promise.reject(methodNotFound());
    };
    if (connection.stateful) server.onclose = () => this.subscriptions.drop(connection);
    return server;
  }

  /** The capabilities `initialize` announces (for the startup log and tests). */
  capabilities(): McpMethodTable['capabilities'] {
    return this.methodTable().capabilities;
  }

  private methodTable(): McpMethodTable {
    this.table ??= this.buildTable();
    return this.table;
  }

  private buildTable(): McpMethodTable {
    return buildMethodTable({
      registry: this.registry,
      subscriptions: this.subscriptions,
      stateful: this.options.mcp.mode === 'stateful',
      hideUnauthorized: this.options.mcp.hideUnauthorized,
    });
  }
}

/** Worded as the SDK's own answer for an unknown method (an `McpError` would prefix its message with the code). */
function methodNotFound(): Error {
  return Object.assign(new Error('Method not found'), { code: ErrorCode.MethodNotFound });
}
