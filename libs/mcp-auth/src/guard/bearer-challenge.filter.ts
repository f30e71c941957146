import type { ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { bearerChallenge } from '../errors/challenge.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { ResourceResolver } from './resource-resolver.js';

/** Answers every `BearerAuthError` with the spec's status, `WWW-Authenticate` challenge and JSON body. */
@Catch(BearerAuthError)
export class BearerChallengeFilter implements ExceptionFilter<BearerAuthError> {
  private readonly resources: ResourceResolver;

  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions) {
    // Found again from the path (as the guard did) rather than stored on every request.
    this.resources = new ResourceResolver(options.resources);
  }

  catch(error: BearerAuthError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ServerResponse>();
    if (response.headersSent) return;
    const resource = this.resources.forPath(http.getRequest<{ path: string }>().path);
    const challenge = bearerChallenge(error, resource.metadataUrl);
    const body = JSON.stringify(challenge.body);
    // Plain Node writes: refusals must stay as cheap as the requests they refuse (no ETag, no negotiation).
    response.writeHead(challenge.status, {
      'WWW-Authenticate': challenge.wwwAuthenticate,
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  }
}
