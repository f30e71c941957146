import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { sendRefusal } from '../json-rpc-response.js';
import { McpServerFactory } from '../mcp-server.factory.js';
import type { McpHttpRequest, McpRequestHandler } from '../mcp-request.interface.js';
import {
  checkPostHeaders,
  checkProtocolVersion,
  DUPLICATE_REQUEST_IDS,
  hasDuplicates,
  isInitialize,
  isRequest,
  parseMessages,
} from '../streamable-http.checks.js';
import { routeCheckedMessagesDirectly } from '../direct-message-routing.js';
import { HttpExchangeTransport } from './http-exchange.transport.js';

/**
 * Stateless Streamable HTTP: every POST is self-contained (what scales horizontally behind a load
 * balancer). Each request gets its own SDK `Server`, so no state leaks between callers; building one
 * is cheap because the method table, listings and validators are shared (see `McpServerFactory`).
 */
@Injectable()
export class StatelessMcpHandler implements McpRequestHandler {
  constructor(private readonly servers: McpServerFactory) {}

  async handle(request: McpHttpRequest, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      // No sessions, hence no GET stream to open and no session to DELETE.
      return sendRefusal(
        response,
        { status: 405, code: -32000, message: 'Method not allowed: this MCP server is stateless' },
        { Allow: 'POST, OPTIONS' },
      );
    }
    const headerRefusal = checkPostHeaders(request.headers);
    if (headerRefusal) return sendRefusal(response, headerRefusal, undefined, request.body);
    const messages = parseMessages(request.body);
    if (!Array.isArray(messages)) return sendRefusal(response, messages, undefined, request.body);

    if (messages.some(isInitialize)) {
      if (messages.length > 1) {
        return sendRefusal(response, {
          status: 400,
          code: -32600,
          message: 'Invalid Request: Only one initialization request is allowed',
        });
      }
    } else {
      const versionRefusal = checkProtocolVersion(request.headers, request.body);
      if (versionRefusal) return sendRefusal(response, versionRefusal, undefined, request.body);
    }

    const requestIds = messages.filter(isRequest).map((message) => message.id);
    if (requestIds.length === 0) {
      // Only notifications or responses: accepted, nothing to answer.
      response.writeHead(202).end();
      return;
    }
    if (hasDuplicates(requestIds)) return sendRefusal(response, DUPLICATE_REQUEST_IDS);

    const server = this.servers.create();
    const transport = new HttpExchangeTransport(response, requestIds, Array.isArray(request.body));
    await server.connect(transport);
    routeCheckedMessagesDirectly(server, transport);
    const extra = { authInfo: request.auth, requestInfo: requestInfoOf(request.headers) };
    for (const message of messages) transport.onmessage?.(message, extra);
  }
}

/**
 * `extra.requestInfo`, whose headers are copied (`withoutCredentials`) when a tool first reads them, not for
 * every request: most tools never do.
 */
function requestInfoOf(headers: IncomingHttpHeaders): { headers: IncomingHttpHeaders } {
  let copy: IncomingHttpHeaders | undefined;
  return {
    get headers() {
      copy ??= withoutCredentials(headers);
      return copy;
    },
    set headers(replaced) {
      copy = replaced;
    },
  };
}

/**
 * The request headers tools see, minus the credentials (the token and its DPoP proof): a tool that forwards
 * "the request's headers" upstream must not pass them through (tools that need the token read
 * `authInfo.token` on purpose).
 */
function withoutCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  delete copy.authorization;
  delete copy.dpop;
  return copy;
}
