import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { McpRequestRefusedError } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * What the MCP endpoint checks before anything else, authentication included (Streamable HTTP, "Security
 * Warning"): DNS rebinding defences and CORS.
 *
 * - `Origin`: a present Origin that is not allowed gets 403, whatever the token.
 * - `Host`: with `mcp.allowedHosts` set, the Host's name must be one of them (or a resource's); without it,
 *   requests that arrived on a loopback address must name a loopback host (or a resource's), which is what a
 *   rebound DNS name cannot do. Servers reachable through other addresses sit behind proxies that rewrite
 *   Host, so there the check is opt-in.
 * - Allowed browser origins get CORS headers exposing `WWW-Authenticate` and `Mcp-Session-Id`.
 */
@Injectable()
export class McpRequestPolicy {
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;
  private readonly alwaysCheckHost: boolean;

  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions) {
    const { allowedOrigins, allowedHosts } = options.mcp;
    this.origins = new Set(allowedOrigins);
    const resourceHosts = options.resources.map(({ resource }) => new URL(resource).hostname);
    this.alwaysCheckHost = allowedHosts !== undefined;
    this.hosts = new Set([...(allowedHosts ?? LOOPBACK_NAMES), ...resourceHosts].map((host) => host.toLowerCase()));
  }

  /**
   * Refuses a request from a disallowed Origin or Host; adds the CORS headers of an allowed Origin.
   *
   * @throws McpRequestRefusedError 403.
   */
  admit(request: IncomingMessage, response: ServerResponse): void {
    const origin = request.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) throw McpRequestRefusedError.forbidden('Origin not allowed');
    if (
      (this.alwaysCheckHost || LOOPBACK_ADDRESSES.has(request.socket?.localAddress ?? '')) &&
      !this.hosts.has(hostnameOf(request.headers.host))
    ) {
      throw McpRequestRefusedError.forbidden('Host not allowed');
    }
    if (origin !== undefined) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version');
    }
  }

  /** Answers a CORS preflight (after `admit`). */
  answerPreflight(response: ServerResponse): void {
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers':
        'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
      'Access-Control-Max-Age': '86400',
    });
    response.end();
  }
}

/** `example.com:8080` → `example.com`, `[::1]:3000` → `[::1]`; lower case; `''` when absent. */
function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
