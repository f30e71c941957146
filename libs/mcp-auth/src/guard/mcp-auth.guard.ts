import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { MCP_ENDPOINT_METADATA, PUBLIC_METADATA, REQUIRE_SCOPES_METADATA } from '../decorators/metadata-keys.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import { McpPrimitiveRegistry } from '../mcp/primitives/mcp-primitive.registry.js';
import type { ResolvedMcpAuthOptions, ResolvedResource } from '../options/resolved-options.js';
import { type BearerRequest, extractBearerToken } from '../token/bearer-token.extractor.js';
import { TokenVerificationService } from '../token/token-verification.service.js';
import { ResourceResolver } from './resource-resolver.js';
import { checkScopes } from './scope-requirement.js';

/** The parts of an Express request the guard reads and writes. */
export interface GuardedRequest extends BearerRequest {
  auth?: AuthInfo;
  path: string;
  method: string;
  body?: unknown;
}

const NO_SCOPES: readonly string[] = Object.freeze([]);

interface RouteRequirement {
  routeScopes: readonly string[];
  isMcpEndpoint: boolean;
}

/**
 * Registered globally by `McpAuthModule`. Leaves routes without `@RequireScopes` alone; on the MCP endpoint
 * and on every `@RequireScopes` route it verifies the bearer token, attaches `AuthInfo` as `req.auth`
 * (which the MCP SDK hands to tools as `extra.authInfo`) and checks scopes.
 *
 * Refusals are thrown as `BearerAuthError` and answered by `BearerChallengeFilter`.
 * Subclass it and override the protected hooks to change how requirements are read.
 */
@Injectable()
export class McpAuthGuard implements CanActivate {
  private readonly resources: ResourceResolver;
  private readonly logger = new Logger('McpAuthGuard');
  private readonly requirements = new WeakMap<object, WeakMap<object, RouteRequirement | null>>();

  constructor(
    protected readonly reflector: Reflector,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMcpAuthOptions,
    protected readonly verification: TokenVerificationService,
    protected readonly primitives: McpPrimitiveRegistry,
  ) {
    this.resources = new ResourceResolver(options.resources);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirement = this.requirementOf(context);
    if (requirement === null) return true;
    const { routeScopes, isMcpEndpoint } = requirement;
    if (isMcpEndpoint && this.options.mcp.authenticationDisabled) return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const resource = this.resources.forPath(request.path);
    const token = extractBearerToken(request);
    if (token === undefined) {
      throw BearerAuthError.missing(this.getRequiredScopes(request, resource, routeScopes, isMcpEndpoint));
    }
    const auth = await this.verify(token, resource);
    request.auth = auth;
    // What is needed is computed once the token is known (a requirement may depend on it), then decided by the
    // one function every MCP handler and list filter also uses.
    const required = this.getRequiredScopes(request, resource, routeScopes, isMcpEndpoint, auth);
    if (checkScopes({ requiredScopes: required }, auth).missing.length > 0) {
      throw BearerAuthError.insufficientScope(required);
    }
    return true;
  }

  /**
   * What a route requires, read from its metadata once and then remembered: metadata cannot change after
   * bootstrap, and this runs on every request. Keyed by class and handler, since subclasses share handlers.
   */
  private requirementOf(context: ExecutionContext): RouteRequirement | null {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.requirements.get(controller);
    if (!byHandler) this.requirements.set(controller, (byHandler = new WeakMap()));
    let requirement = byHandler.get(handler);
    if (requirement === undefined) {
      const routeScopes = this.getRouteScopes(context);
      requirement =
        routeScopes === undefined
          ? null
          : { routeScopes, isMcpEndpoint: this.reflector.get<boolean>(MCP_ENDPOINT_METADATA, controller) === true };
      byHandler.set(handler, requirement);
    }
    return requirement;
  }

  /** Verification never fails with a 5xx: an unexpected error is a token that could not be verified. */
  private async verify(token: string, resource: ResolvedResource): Promise<AuthInfo> {
    try {
      return await this.verification.verify(token, resource);
    } catch (error) {
      if (error instanceof BearerAuthError) throw error;
      this.logger.error(`Token verification failed unexpectedly: ${(error as Error)?.message ?? error}`);
      throw BearerAuthError.invalidToken('The access token could not be verified');
    }
  }

  /**
   * Scopes from `@RequireScopes` on the handler and its class (merged), `undefined` when the route is
   * not protected or is `@Public()`. Called once per route (the result is remembered).
   */
  protected getRouteScopes(context: ExecutionContext): readonly string[] | undefined {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return undefined;
    const handlerScopes = this.reflector.get<readonly string[] | undefined>(REQUIRE_SCOPES_METADATA, targets[0]);
    const classScopes = this.reflector.get<readonly string[] | undefined>(REQUIRE_SCOPES_METADATA, targets[1]);
    if (handlerScopes === undefined && classScopes === undefined) return undefined;
    if (!handlerScopes) return classScopes;
    if (!classScopes) return handlerScopes;
    return [...new Set([...classScopes, ...handlerScopes])];
  }

  /**
   * Every scope this request needs: the resource's, the route's and, on the MCP endpoint, those of every
   * primitive its JSON-RPC messages use (a tool called, a resource or template read or subscribed to, a prompt
   * got, a prompt or template completed). `auth` is `undefined` when naming what a 401 challenge asks for.
   */
  protected getRequiredScopes(
    request: GuardedRequest,
    resource: ResolvedResource,
    routeScopes: readonly string[],
    isMcpEndpoint: boolean,
    auth?: AuthInfo,
  ): readonly string[] {
    const primitiveScopes =
      isMcpEndpoint && request.method === 'POST' ? this.primitives.scopesForMessages(request.body, auth) : NO_SCOPES;
    // The common case (nothing to merge) allocates nothing: this runs on every request.
    if (resource.requiredScopes.length === 0 && primitiveScopes.length === 0) return routeScopes;
    if (resource.requiredScopes.length === 0 && routeScopes.length === 0) return primitiveScopes;
    return [...new Set([...resource.requiredScopes, ...routeScopes, ...primitiveScopes])];
  }
}
