import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { McpAuthContext } from '../auth/auth-context.service.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { sendRefusal } from './json-rpc-response.js';
import { McpRequestPolicy } from './mcp-request.policy.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpPrimitiveRegistry } from './primitives/mcp-primitive.registry.js';
import type { McpHttpRequest, McpRequestHandler } from './mcp-request.interface.js';
import { StatefulMcpHandler } from './stateful/stateful-mcp.handler.js';
import { StatelessMcpHandler } from './stateless/stateless-mcp.handler.js';

const KIND_LABELS = {
  tool: 'tool',
  resource: 'resource',
  resourceTemplate: 'resource template',
  prompt: 'prompt',
} as const;

/** Routes MCP endpoint requests to the configured mode, and says at startup what is being served. */
@Injectable()
export class McpEndpoint implements OnApplicationBootstrap {
  private readonly logger = new Logger('McpAuthModule');
  private readonly handler: McpRequestHandler;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly registry: McpPrimitiveRegistry,
    private readonly servers: McpServerFactory,
    private readonly context: McpAuthContext,
    private readonly policy: McpRequestPolicy,
    stateless: StatelessMcpHandler,
    stateful: StatefulMcpHandler,
  ) {
    this.handler = options.mcp.mode === 'stateful' ? stateful : stateless;
  }

  handle(request: McpHttpRequest, response: ServerResponse): Promise<void> {
    // A disabled endpoint is not served at all, preflights included (the guard leaves its route unprotected).
    if (!this.options.mcp.enabled) {
      sendRefusal(response, { status: 404, code: -32000, message: 'Not found' }, undefined, request.body);
      return Promise.resolve();
    }
    // The guard admitted it (Origin, Host) and let it through without a token.
    if (request.method === 'OPTIONS') {
      this.policy.answerPreflight(response);
      return Promise.resolve();
    }
    // Handlers (and the services they call) read the caller through McpAuthContext.
    return this.context.run(request, () => this.handler.handle(request, response));
  }

  onApplicationBootstrap(): void {
    for (const resource of this.options.resources) {
      const issuers = resource.authorizationServers.map((server) => server.issuer).join(', ');
      this.logger.log(
        `Protected resource ${resource.resource}: metadata at ${resource.metadataUrl}, trusted issuers ${issuers}`,
      );
    }
    if (!this.options.mcp.enabled) return;
    const { path, mode, authenticationDisabled } = this.options.mcp;
    this.logger.log(`MCP endpoint ${path} (${mode})`);
    if (authenticationDisabled) {
      this.logger.warn(`Authentication is DISABLED on ${path} (dangerouslyDisableAuthentication)`);
    }
    for (const primitive of this.registry.all()) {
      const fixed = primitive.requiredScopes.length > 0 ? primitive.requiredScopes.join(' ') : '(token only)';
      const scopes = primitive.computedScopes ? `${fixed} + scopes computed from the arguments` : fixed;
      this.logger.log(`MCP ${KIND_LABELS[primitive.kind]} ${primitive.name} [${primitive.source}] requires: ${scopes}`);
    }
    const capabilities = Object.keys(this.servers.capabilities());
    this.logger.log(
      `MCP capabilities: ${capabilities.length > 0 ? capabilities.join(', ') : 'none (nothing registered)'}`,
    );
  }
}
