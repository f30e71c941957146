import { createHash } from 'node:crypto';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { AuthorizationServerMetadataRegistry } from '../metadata/authorization-server-metadata.registry.js';
import type { IntrospectionVerifierOptions } from '../options/mcp-auth-options.interface.js';
import type {
  ResolvedAuthorizationServer,
  ResolvedMcpAuthOptions,
  ResolvedResource,
} from '../options/resolved-options.js';
import { IntrospectionTokenVerifier } from './introspection-token.verifier.js';
import { JwksCache } from './jwks-cache.js';
import type { OutageLogger } from './outage-log.js';
import { JwtTokenVerifier } from './jwt-token.verifier.js';

/**
 * Builds and keeps the verifiers of every trusted authorization server, once its metadata is known.
 *
 * One `JwksCache` per (issuer, `jwks_uri`) and one introspection verifier per identical configuration are
 * shared across resources; JWT verifiers are per authorization-server entry, and each entry belongs to one
 * resource, because the audience differs.
 */
export class TokenVerifiers {
  private readonly jwksCaches = new Map<string, JwksCache>();
  private readonly jwtVerifiers = new Map<ResolvedAuthorizationServer, JwtTokenVerifier>();
  private readonly introspectionVerifiers = new Map<string, IntrospectionTokenVerifier>();

  constructor(
    private readonly options: ResolvedMcpAuthOptions,
    private readonly metadata: AuthorizationServerMetadataRegistry,
    private readonly logger?: OutageLogger,
  ) {}

  /**
   * The JWT verifier of `server` (an entry of `resource.authorizationServers`), built on first use: a promise
   * only until then, so verifying a token does not wait a turn for an object that is already there.
   */
  jwt(server: ResolvedAuthorizationServer, resource: ResolvedResource): JwtTokenVerifier | Promise<JwtTokenVerifier> {
    return this.jwtVerifiers.get(server) ?? this.buildJwt(server, resource);
  }

  private async buildJwt(server: ResolvedAuthorizationServer, resource: ResolvedResource): Promise<JwtTokenVerifier> {
    const metadata = await this.metadata.get(server);
    // Another request may have built it while this one awaited the metadata.
    const built = this.jwtVerifiers.get(server);
    if (built) return built;
    if (typeof metadata.jwks_uri !== 'string') {
      throw new McpAuthConfigurationError(
        `Authorization server ${server.issuer} has no jwks_uri; JWT access tokens cannot be verified`,
      );
    }
    const cacheKey = `${server.issuer}\n${metadata.jwks_uri}`;
    let cache = this.jwksCaches.get(cacheKey);
    if (!cache) {
      cache = new JwksCache(metadata.jwks_uri, { ...this.options.jwks, logger: this.logger });
      this.jwksCaches.set(cacheKey, cache);
    }
    const verifier = new JwtTokenVerifier({
      issuer: server.issuer,
      audience: resource.audience,
      resource: resource.resource,
      algorithms: this.options.algorithms,
      clockToleranceSeconds: this.options.clockToleranceSeconds,
      requireAccessTokenType: this.options.requireAccessTokenType,
      scopeClaim: this.options.scopeClaim,
      getKey: cache.keyFor,
      logger: this.logger,
    });
    this.jwtVerifiers.set(server, verifier);
    return verifier;
  }

  /** The introspection verifier of `server`, built on first use. */
  async introspection(
    server: ResolvedAuthorizationServer,
    options: Required<IntrospectionVerifierOptions>,
  ): Promise<IntrospectionTokenVerifier> {
    // An empty endpoint means "the discovered one" (the default cannot be known when options are resolved).
    const endpoint = options.endpoint || (await this.metadata.get(server)).introspection_endpoint;
    if (typeof endpoint !== 'string' || endpoint === '') {
      throw new McpAuthConfigurationError(
        `Authorization server ${server.issuer} publishes no introspection_endpoint; set verifier.endpoint`,
      );
    }
    // Identical configurations share one verifier (and its cache). The key is hashed because it holds the secret.
    const key = createHash('sha256')
      .update(
        JSON.stringify([server.issuer, endpoint, options.clientId, options.clientSecret, options.clientAuthMethod]),
      )
      .update(
        JSON.stringify([
          options.cacheTtlMs,
          options.inactiveCacheTtlMs,
          options.cacheMaxEntries,
          options.maxConcurrentRequests,
        ]),
      )
      .digest('base64url');
    let verifier = this.introspectionVerifiers.get(key);
    if (!verifier) {
      verifier = new IntrospectionTokenVerifier({
        issuer: server.issuer,
        endpoint,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        clientAuthMethod: options.clientAuthMethod,
        cacheTtlMs: options.cacheTtlMs,
        inactiveCacheTtlMs: options.inactiveCacheTtlMs,
        cacheMaxEntries: options.cacheMaxEntries,
        maxConcurrentRequests: options.maxConcurrentRequests,
        timeoutMs: this.options.discovery.timeoutMs,
        clockToleranceSeconds: this.options.clockToleranceSeconds,
        scopeClaim: this.options.scopeClaim,
        logger: this.logger,
      });
      this.introspectionVerifiers.set(key, verifier);
    }
    return verifier;
  }

  /** JWKS fetch attempts so far, over every issuer. */
  jwksFetchCount(): number {
    let total = 0;
    for (const cache of this.jwksCaches.values()) total += cache.fetchCount;
    return total;
  }
}
