import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { bearerChallenge } from '../errors/challenge.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { ResourceResolver } from './resource-resolver.js';

interface ChallengeResponse {
  headersSent: boolean;
  status(code: number): ChallengeResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** Answers every `BearerAuthError` with the spec's status, `WWW-Authenticate` challenge and JSON body. */
@Catch(BearerAuthError)
export class BearerChallengeFilter implements ExceptionFilter<BearerAuthError> {
  private readonly resources: ResourceResolver;

  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) options: ResolvedMcpAuthOptions) {
    // Found again from the path (as the guard did) rather than stored on every request: refusals are rare.
    this.resources = new ResourceResolver(options.resources);
  }

  catch(error: BearerAuthError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<ChallengeResponse>();
    if (response.headersSent) return;
    const resource = this.resources.forPath(http.getRequest<{ path: string }>().path);
    const challenge = bearerChallenge(error, resource.metadataUrl);
    response.setHeader('WWW-Authenticate', challenge.wwwAuthenticate);
    response.setHeader('Cache-Control', 'no-store');
    response.status(challenge.status).json(challenge.body);
  }
}
