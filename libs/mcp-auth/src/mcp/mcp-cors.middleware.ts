import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { sendRefusal } from './json-rpc-response.js';

/**
 * Runs before the guard on the MCP endpoint. Streamable HTTP requires validating `Origin` (DNS
 * rebinding): a present, disallowed Origin gets 403 whatever the token. Allowed browser origins get
 * CORS headers, with `WWW-Authenticate` and `Mcp-Session-Id` exposed so a browser client can read them.
 */
@Injectable()
export class McpCorsMiddleware implements NestMiddleware {
  private readonly allowed: Set<string>;

  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions) {
    this.allowed = new Set(options.mcp.allowedOrigins);
  }

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!this.allowed.has(origin)) {
        sendRefusal(response, { status: 403, code: -32000, message: 'Forbidden: Origin not allowed' });
        return;
      }
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version');
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers':
          'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
        'Access-Control-Max-Age': '86400',
      });
      response.end();
      return;
    }
    next();
  }
}
