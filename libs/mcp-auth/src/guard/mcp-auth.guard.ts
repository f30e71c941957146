import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { MCP_ENDPOINT_METADATA } from '../decorators/metadata-keys.js';
import { BearerAuthError, McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import {
  type AdapterRequest,
  type AdapterResponse,
  attachAuth,
  rawRequest,
  rawResponse,
  requestPath,
} from '../http/raw-http.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import { McpRequestPolicy } from '../mcp/mcp-request.policy.js';
import { McpPrimitiveRegistry } from '../mcp/primitives/mcp-primitive.registry.js';
import type { ResolvedMcpAuthOptions, ResolvedResource } from '../options/resolved-options.js';
import { DistinctLog } from '../errors/distinct-log.js';
import { extractCredentials } from '../token/credentials.extractor.js';
import { type OrRefusal, valueOrThrow } from '../token/refusal-outcome.js';
import type { TokenPresentation } from '../token/sender-constraint.js';
import { TokenVerificationService } from '../token/token-verification.service.js';
import { declaredScopes, type ScopeDeclaration } from './route-requirement.js';
import type { RoutedRequest } from '../http/route-pattern.js';
import { RouteResourceBinder } from './route-resource.binder.js';
import { checkScopes, type ScopeRequirement, toRequirement } from './scope-requirement.js';
import { NO_SCOPES } from '../options/scope-syntax.js';

/** The parts of a request the guard reads and writes (Express's, or Fastify's with Node's as `raw`). */
export type GuardedRequest = AdapterRequest &
  RoutedRequest & {
    auth?: AuthInfo;
    method: string;
    body?: unknown;
    params?: unknown;
    query?: unknown;
  };

interface RouteRequirement {
  route: ScopeRequirement;
  isMcpEndpoint: boolean;
}

/**
 * Registered globally by `McpAuthModule`. Leaves routes without `@RequireScopes` alone; on the MCP endpoint
 * and on every `@RequireScopes` route it verifies the bearer token against the route's resource, attaches
 * `AuthInfo` as `req.auth` (which the MCP SDK hands to tools as `extra.authInfo`) and checks scopes.
 * Protected handlers of other transports (WebSocket, microservices, GraphQL) are denied: the boot already
 * refuses them (`RouteRequirementsExplorer`), this is the second line.
 *
 * Refusals are thrown (`BearerAuthError`, `McpRequestRefusedError`) and answered by `BearerChallengeFilter`.
 * `canActivate` returns a boolean when it could decide without waiting, else a promise (Nest takes both).
 * Subclass it and override the protected hooks to change how requirements are read.
 */
@Injectable()
export class McpAuthGuard implements CanActivate {
  private readonly logger = new Logger('McpAuthGuard');
  /** Problems every request would hit alike (a throwing scope function...): logged once each, not per request. */
  private readonly problems = new DistinctLog(this.logger);
  private readonly requirements = new WeakMap<object, WeakMap<object, RouteRequirement | null>>();
  private readonly mergedScopes = new WeakMap<readonly string[], WeakMap<readonly string[], readonly string[]>>();

  constructor(
    protected readonly reflector: Reflector,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMcpAuthOptions,
    protected readonly verification: TokenVerificationService,
    protected readonly primitives: McpPrimitiveRegistry,
    private readonly binder: RouteResourceBinder,
    private readonly mcpRequests: McpRequestPolicy,
  ) {}

  /**
   * Synchronous when nothing has to wait (a remembered token or an issuer whose keys are known, scopes known
   * without asynchronous validation): the usual request then allocates no promise here, and a refusal is
   * thrown at once.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const requirement = this.requirementOf(context);
    if (context.getType() !== 'http') return requirement === null;
    if (requirement === null) return true;
    const { route, isMcpEndpoint } = requirement;
    const http = context.switchToHttp();
    const request = http.getRequest<GuardedRequest>();
    const raw = rawRequest(request);
    if (isMcpEndpoint) {
      // Before authentication: a disallowed Origin or Host is refused whatever the token; preflights carry none.
      this.mcpRequests.admit(raw, rawResponse(http.getResponse<AdapterResponse>()));
      if (request.method === 'OPTIONS' || this.options.mcp.authenticationDisabled) return true;
    }

    const resource = this.binder.resourceFor(request);
    const credentials = extractCredentials(raw);
    if (credentials === undefined) {
      // An operation that needs no scope in particular asks for the resource's initial set (least privilege).
      return whenKnown(this.getRequiredScopes(request, resource, route, isMcpEndpoint), (required) => {
        throw BearerAuthError.missing(required.length > 0 ? required : resource.initialScopes);
      });
    }
    const auth = this.verify(credentials.token, resource, {
      scheme: credentials.scheme,
      proofs: credentials.proofs,
      method: raw.method ?? request.method,
      path: requestPath(raw.url),
    });
    return whenKnown(auth, (verified) => this.authorize(request, resource, requirement, valueOrThrow(verified)));
  }

  /**
   * Attaches the verified identity, then decides on the scopes. What is needed is computed once the token is
   * known (a requirement may depend on it and on the call's arguments), then decided by the one function every
   * MCP handler and list filter also uses.
   */
  private authorize(
    request: GuardedRequest,
    resource: ResolvedResource,
    { route, isMcpEndpoint }: RouteRequirement,
    auth: AuthInfo,
  ): boolean | Promise<boolean> {
    attachAuth(request, auth);
    return whenKnown(this.requiredWithToken(request, resource, route, isMcpEndpoint, auth), (required) => {
      if (checkScopes({ requiredScopes: required }, auth).missing.length > 0) {
        throw BearerAuthError.insufficientScope(required);
      }
      return true;
    });
  }

  /**
   * What a route requires, read from its metadata once and then remembered: metadata cannot change after
   * bootstrap, and this runs on every request. Keyed by class and handler, since subclasses share handlers.
   */
  private requirementOf(context: ExecutionContext): RouteRequirement | null {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.requirements.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.requirements.set(controller, byHandler);
    }
    let requirement = byHandler.get(handler);
    if (requirement === undefined) {
      const declared = this.getRouteScopes(context);
      const isMcpEndpoint = this.reflector.get<boolean>(MCP_ENDPOINT_METADATA, controller) === true;
      // A disabled MCP endpoint protects nothing: it answers 404 to everyone, rather than challenge for a token.
      const open = declared === undefined || (isMcpEndpoint && !this.options.mcp.enabled);
      requirement = open ? null : { route: toRequirement(declared), isMcpEndpoint };
      byHandler.set(handler, requirement);
    }
    return requirement;
  }

  /** A scope function that throws is an application bug: logged, and the request refused rather than let through. */
  private requiredWithToken(
    request: GuardedRequest,
    resource: ResolvedResource,
    route: ScopeRequirement,
    isMcpEndpoint: boolean,
    auth: AuthInfo,
  ): readonly string[] | Promise<readonly string[]> {
    const refuse = (error: unknown): never => {
      if (!(error instanceof McpAuthConfigurationError)) throw error;
      this.problems.error(error.message);
      throw BearerAuthError.insufficientScope([...resource.requiredScopes, ...route.requiredScopes]);
    };
    try {
      const required = this.getRequiredScopes(request, resource, route, isMcpEndpoint, auth);
      return required instanceof Promise ? required.catch(refuse) : required;
    } catch (error) {
      return refuse(error);
    }
  }

  /**
   * Verification never fails with a 5xx: an unexpected error is a token that could not be verified. A refusal
   * decided synchronously comes back as a value (`OrRefusal`), thrown once, by `canActivate`.
   */
  private verify(
    token: string,
    resource: ResolvedResource,
    presentation: TokenPresentation,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    const refusal = (error: unknown): BearerAuthError => {
      if (error instanceof BearerAuthError) return error;
      this.problems.error(`Token verification failed unexpectedly: ${(error as Error)?.message ?? error}`);
      return BearerAuthError.invalidToken('The access token could not be verified');
    };
    let auth: OrRefusal<AuthInfo> | Promise<AuthInfo>;
    try {
      auth = this.verification.decidePresented(token, resource, presentation);
    } catch (error) {
      return refusal(error);
    }
    return auth instanceof Promise
      ? auth.catch((error: unknown) => {
          throw refusal(error);
        })
      : auth;
  }

  /**
   * Scopes (and scope functions) from `@RequireScopes` on the handler and its class, `undefined` when the route
   * is not protected (the most specific declaration wins: see `declaredScopes`). Called once per route (the
   * result is remembered).
   */
  protected getRouteScopes(context: ExecutionContext): ScopeDeclaration | undefined {
    const controller = context.getClass();
    const handler = context.getHandler();
    return declaredScopes(
      (key, target) => this.reflector.get(key, target as never),
      handler,
      controller,
      `${controller.name}.${handler.name}`,
    );
  }

  /**
   * Every scope this request needs: the resource's, the route's and, on the MCP endpoint, those of every
   * primitive its JSON-RPC messages use (a tool called, a resource or template read or subscribed to, a prompt
   * got, a prompt or template completed), with what their scope functions compute from the call's arguments.
   * `auth` is `undefined` when naming what a 401 challenge asks for (then only the fixed scopes count).
   * Synchronous unless a primitive's arguments had to be validated by an asynchronous schema; an override may
   * return a promise.
   */
  protected getRequiredScopes(
    request: GuardedRequest,
    resource: ResolvedResource,
    route: ScopeRequirement,
    isMcpEndpoint: boolean,
    auth?: AuthInfo,
  ): readonly string[] | Promise<readonly string[]> {
    const routeScopes = route.computedScopes
      ? checkScopes(route, auth, auth && { params: request.params, query: request.query, body: request.body }).required
      : route.requiredScopes;
    const primitiveScopes =
      isMcpEndpoint && request.method === 'POST' ? this.primitives.scopesForMessages(request.body, auth) : NO_SCOPES;
    return whenKnown(primitiveScopes, (primitive) => {
      // The common case (nothing to merge) allocates nothing and returns the declared, frozen list: this runs on
      // every request, and a frozen list lets a 401 reuse one error and one rendered answer.
      if (resource.requiredScopes.length === 0 && primitive.length === 0) return routeScopes;
      if (resource.requiredScopes.length === 0 && routeScopes.length === 0) return primitive;
      if (primitive.length === 0) return this.resourceAndRouteScopes(resource.requiredScopes, routeScopes);
      return [...new Set([...resource.requiredScopes, ...routeScopes, ...primitive])];
    });
  }

  /**
   * A resource's required scopes and a route's declared ones, merged once per pair and frozen, so a 401 on a
   * resource with required scopes reuses one error and one rendered answer too. Computed route scopes (a fresh
   * list per request) are merged each time.
   */
  private resourceAndRouteScopes(resourceScopes: readonly string[], routeScopes: readonly string[]): readonly string[] {
    if (!Object.isFrozen(routeScopes)) return [...new Set([...resourceScopes, ...routeScopes])];
    let byRoute = this.mergedScopes.get(resourceScopes);
    if (!byRoute) {
      byRoute = new WeakMap();
      this.mergedScopes.set(resourceScopes, byRoute);
    }
    let merged = byRoute.get(routeScopes);
    if (!merged) {
      merged = Object.freeze([...new Set([...resourceScopes, ...routeScopes])]);
      byRoute.set(routeScopes, merged);
    }
    return merged;
  }
}

/** `then` for a value that may already be there: synchronous when it is, so the common path awaits nothing. */
function whenKnown<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
