import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { requestRefusal } from '../errors/challenge.js';
import { ChallengeAnswers, challengeAnswer, refusalAnswer } from '../errors/challenge-answers.js';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError, McpRequestRefusedError } from '../errors/mcp-auth.errors.js';
import { writeAnswer } from '../http/json-answer.js';
import { type AdapterRequest, type AdapterResponse, rawRequest, takeOverResponse } from '../http/raw-http.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { credentialsScheme } from '../token/credentials.extractor.js';
import { RouteResourceBinder } from './route-resource.binder.js';
import type { RoutedRequest } from '../http/route-pattern.js';

/**
 * Answers every refusal the guard throws: a `BearerAuthError` with the spec's status, `WWW-Authenticate`
 * challenge and JSON body; an `McpRequestRefusedError` (Origin, Host) with its JSON-RPC error.
 */
@Catch(BearerAuthError, McpRequestRefusedError)
export class BearerChallengeFilter implements ExceptionFilter<BearerAuthError | McpRequestRefusedError> {
  /** Refusals that answer the same every time are rendered once (a missing token, a forged one...). */
  private readonly answers = new ChallengeAnswers();

  constructor(
    private readonly binder: RouteResourceBinder,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  catch(error: BearerAuthError | McpRequestRefusedError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = takeOverResponse(http.getResponse<AdapterResponse>());
    if (response.headersSent) return;
    if (error instanceof McpRequestRefusedError) {
      const { status, body } = requestRefusal(error);
      writeAnswer(response, refusalAnswer(status, body, {}));
      return;
    }
    const request = http.getRequest<RoutedRequest & AdapterRequest & { auth?: AuthInfo }>();
    const raw = rawRequest(request);
    // The resource of the route that matched, as the guard found it (remembered per route, not per request).
    const resource = this.binder.resourceFor(request);
    const scheme = credentialsScheme(raw);
    let answer = this.answers.remembered(error, resource, scheme);
    if (answer === undefined) {
      const protocolVersion = raw.headers['mcp-protocol-version'];
      answer = challengeAnswer(error, {
        metadataUrl: resource.metadataUrl,
        dpopAlgorithms: this.options.dpop.enabled ? this.options.dpop.algorithms : undefined,
        dpopRequired: resource.dpopRequired,
        scheme,
        grantedScopes: request.auth?.scopes,
        protocolVersion: typeof protocolVersion === 'string' ? protocolVersion : undefined,
        challengeScopes: this.options.challengeScopes,
        scopesSupported: resource.scopesSupported,
      });
      this.answers.remember(error, resource, scheme, answer);
    }
    writeAnswer(response, answer);
  }
}
