import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../auth/auth-info.interface.js';

/** Node's request on the MCP endpoint, whatever the HTTP adapter: body parsed, `auth` set by the guard. */
export interface McpHttpRequest extends IncomingMessage {
  body?: unknown;
  auth?: AuthInfo;
}

/** Serves one HTTP request on the MCP endpoint (stateless or stateful). */
export interface McpRequestHandler {
  handle(request: McpHttpRequest, response: ServerResponse): Promise<void>;
}
