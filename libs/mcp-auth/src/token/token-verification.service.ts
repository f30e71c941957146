import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { setImpliedScopes } from '../auth/request-grants.js';
import { DistinctLog } from '../errors/distinct-log.js';
import { AuthorizationServerDiscoveryError, BearerAuthError, sharedRefusal } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import { AuthorizationServerMetadataRegistry } from '../metadata/authorization-server-metadata.registry.js';
import type {
  ResolvedAuthorizationServer,
  ResolvedMcpAuthOptions,
  ResolvedResource,
} from '../options/resolved-options.js';
import { verifyWithCustomVerifier } from './custom-token.verifier.js';
import { authInfoFor, type VerifiedToken } from './auth-info.factory.js';
import type { JwtTokenVerifier } from './jwt-token.verifier.js';
import { isDefinitiveRejection, JWT_REJECTIONS } from './jwt-rejection.js';
import { type CompactJwt, parseCompactJwt } from './compact-jwt.js';
import { TokenVerifiers } from './token-verifiers.js';
import { SenderConstraint, type TokenPresentation } from './sender-constraint.js';
import { tokenDigest } from './token-digest.js';
import { ExpiringCache } from './expiring.cache.js';
import { type OrRefusal, valueOrThrow } from './refusal-outcome.js';

/** Refused before it is hashed, so never remembered; one shared error, so its answer is rendered once. */
const TOO_LONG = sharedRefusal(BearerAuthError.invalidToken('The access token is too long'));

/** A token presented as `Authorization: Bearer` (what callers without a request get checked as). */
const AS_BEARER_TOKEN: TokenPresentation = { scheme: 'bearer', proofs: [], method: 'GET', path: '/' };

/**
 * What verifying JWTs concluded, by token digest: a client reusing its access token (the normal case) costs a
 * lookup instead of a signature check, and a client retrying the same forged or expired token cannot make the
 * server redo the cryptography.
 */
interface ResultCaches {
  /** What accepted tokens grant, from their second verification on (see `rememberAccepted`). */
  accepted: ExpiringCache<VerifiedToken>;
  /**
   * Definitive refusals only (`isDefinitiveRejection`, stored by `refuse`): the verifier's one shared error per
   * reason, whose cause is that reason (a fixed sentence, nothing from the token).
   */
  rejected: ExpiringCache<BearerAuthError>;
  /** Accepted tokens verified once so far. */
  seenOnce: ExpiringCache<true>;
}

/**
 * Verifies access tokens for a protected resource: picks the trusted authorization server, then its
 * verifier (JWT + JWKS, introspection, or the application's function).
 *
 * - A JWT (three segments, the first two base64url JSON objects: `parseCompactJwt`) is routed by its
 *   unverified `iss`, read from the same parse the verifier then uses. An issuer the resource does not trust
 *   is refused before any network call. A JWT without a string `iss` is handled like an opaque token.
 * - An opaque token goes to the resource's authorization server with an introspection or custom verifier.
 * - Each failure is a `BearerAuthError` `invalid_token` (401); an unreachable authorization server or a
 *   configuration problem found late (lazy discovery) too, never a 5xx.
 * - JWT outcomes are remembered per exact token (`tokenCache`), so reused tokens skip the cryptography:
 *   refusals from the first time, acceptances from the second (a token used once is never stored).
 */
@Injectable()
export class TokenVerificationService implements OnModuleInit {
  private readonly logger = new Logger(TokenVerificationService.name);
  private readonly metadata: AuthorizationServerMetadataRegistry;
  private readonly verifiers: TokenVerifiers;
  /** Configuration and availability problems, once each rather than once per request. */
  private readonly failures = new DistinctLog(this.logger);
  private readonly resultCaches = new Map<ResolvedResource, ResultCaches>();
  private readonly senderConstraint: SenderConstraint;

  constructor(@Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions) {
    this.metadata = new AuthorizationServerMetadataRegistry(options, this.logger);
    this.verifiers = new TokenVerifiers(options, this.metadata, this.logger);
    this.senderConstraint = new SenderConstraint(options.dpop, options.clockToleranceSeconds, this.logger);
  }

  /**
   * Warns about resources without an audience check and, in `eager` discovery mode, discovers every
   * authorization server that needs metadata and builds its verifiers, so that a wrong issuer, an
   * unreachable server or a missing `jwks_uri` fails the boot with a message naming the URL.
   *
   * @throws AuthorizationServerDiscoveryError / McpAuthConfigurationError (eager mode).
   */
  async onModuleInit(): Promise<void> {
    for (const resource of this.options.resources) {
      if (resource.audience === undefined) {
        this.logger.warn(
          `Audience checking is disabled for ${resource.resource} (dangerouslyAcceptAnyAudience): ` +
            'tokens issued for any other API of the same authorization server are accepted here',
        );
      }
    }
    if (this.options.discovery.mode !== 'eager') return;
    await this.metadata.discoverAll();
    for (const resource of this.options.resources) {
      for (const server of resource.authorizationServers) {
        if (server.verifier === 'jwt') await this.verifiers.jwt(server, resource);
        else if (typeof server.verifier === 'object') await this.verifiers.introspection(server, server.verifier);
      }
    }
  }

  /**
   * Verifies `token` for `resource`, and holds it to how it was presented (`presentation`; default: as a
   * bearer token): a token bound to a key needs its DPoP proof.
   *
   * @throws BearerAuthError `invalid_token` whatever the reason, `invalid_dpop_proof` / `use_dpop_nonce`
   *   for a DPoP proof that does not hold.
   */
  async verify(
    token: string,
    resource: ResolvedResource,
    presentation: TokenPresentation = AS_BEARER_TOKEN,
  ): Promise<AuthInfo> {
    return valueOrThrow(await this.decide(token, resource, presentation));
  }

  /**
   * `verify` without a promise when none is needed: a remembered token (accepted or refused), or a JWT whose
   * issuer's keys are known, presented as a bearer token, is decided synchronously, and a refusal decided so is
   * returned, not thrown (`OrRefusal`). For the guard, which runs on every request. A subclass that overrides
   * `verify` (an extension point: revocation checks...) gets its `verify` called.
   *
   * @returns the verified `AuthInfo`, or the `BearerAuthError` refusing the token; a returned promise rejects
   *   with it instead.
   */
  decidePresented(
    token: string,
    resource: ResolvedResource,
    presentation: TokenPresentation,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    if (this.verify !== TokenVerificationService.prototype.verify) return this.verify(token, resource, presentation);
    return this.decide(token, resource, presentation);
  }

  private decide(
    token: string,
    resource: ResolvedResource,
    presentation: TokenPresentation,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    const auth = this.verifyToken(token, resource);
    if (auth instanceof Promise)
      return auth.then((verified) => this.holdToPresentation(verified, presentation, resource));
    return auth instanceof BearerAuthError ? auth : this.holdToPresentation(auth, presentation, resource);
  }

  private holdToPresentation(
    auth: AuthInfo,
    presentation: TokenPresentation,
    resource: ResolvedResource,
  ): AuthInfo | Promise<AuthInfo> {
    const proven = this.senderConstraint.check(auth, presentation, resource);
    if (proven instanceof Promise) return proven.then(() => this.withImpliedScopes(auth, resource));
    return this.withImpliedScopes(auth, resource);
  }

  /** What the token grants through the resource's scope hierarchy, for every scope check of this request. */
  private withImpliedScopes(auth: AuthInfo, resource: ResolvedResource): AuthInfo {
    if (resource.scopeHierarchy) setImpliedScopes(auth, resource.scopeHierarchy(auth.scopes));
    return auth;
  }

  /** The nonce a DPoP client should put in its next proof (for the `DPoP-Nonce` header). */
  currentDpopNonce(): string | undefined {
    return this.senderConstraint.dpop?.nonces.current();
  }

  /** Synchronous for a remembered outcome; a promise when the token has to be verified. */
  private verifyToken(token: string, resource: ResolvedResource): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    if (token.length > this.options.maxTokenLength) return TOO_LONG;
    const caches = this.resultCachesFor(resource);
    const digest = tokenDigest(token);
    const verified = caches.accepted.get(digest);
    if (verified !== undefined) return authInfoFor(token, verified);
    return caches.rejected.get(digest) ?? this.verifyUnremembered(token, digest, caches, resource);
  }

  private verifyUnremembered(
    token: string,
    digest: string,
    caches: ResultCaches,
    resource: ResolvedResource,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    // Read, not trusted: only to pick the verifier.
    const jwt = parseCompactJwt(token);
    const issuer = typeof jwt?.payload.iss === 'string' ? jwt.payload.iss : undefined;
    const server =
      issuer === undefined
        ? resource.authorizationServers.find((candidate) => candidate.verifier !== 'jwt')
        : resource.authorizationServers.find((candidate) => candidate.issuer === issuer);
    if (server === undefined) {
      const rejection = issuer === undefined ? JWT_REJECTIONS.notFromTrustedIssuer : JWT_REJECTIONS.untrustedIssuer;
      return this.refusal(rejection.error, digest, caches);
    }
    let auth: OrRefusal<AuthInfo> | Promise<AuthInfo>;
    try {
      auth = this.verifyWith(server, token, jwt, digest, resource);
    } catch (error) {
      return this.refusal(error, digest, caches);
    }
    if (auth instanceof Promise) {
      return auth.catch((error: unknown) => {
        throw this.refusal(error, digest, caches);
      });
    }
    return auth instanceof BearerAuthError ? this.refusal(auth, digest, caches) : auth;
  }

  /**
   * Why a token was not verified, always as a `BearerAuthError`: a refusal passes through (a JWT's definitive
   * one is remembered for the exact token string); anything else (a configuration problem found late, an
   * unreachable authorization server, a bug) becomes `invalid_token`.
   */
  private refusal(error: unknown, digest: string, caches: ResultCaches): BearerAuthError {
    if (error instanceof BearerAuthError) {
      if (isDefinitiveRejection(error)) caches.rejected.set(digest, error);
      return error;
    }
    // Discovery failures are logged by the registry, once per attempt.
    if (!(error instanceof AuthorizationServerDiscoveryError)) this.logOnce(error);
    return BearerAuthError.invalidToken(
      error instanceof AuthorizationServerDiscoveryError
        ? 'The authorization server is unavailable'
        : 'The access token could not be verified',
      error,
    );
  }

  /** JWKS fetch attempts so far, over every issuer. For benchmarks and tests. */
  jwksFetchCount(): number {
    return this.verifiers.jwksFetchCount();
  }

  private verifyWith(
    server: ResolvedAuthorizationServer,
    token: string,
    jwt: CompactJwt | undefined,
    digest: string,
    resource: ResolvedResource,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    const { verifier } = server;
    if (verifier === 'jwt') {
      const jwtVerifier = this.verifiers.jwt(server, resource);
      return jwtVerifier instanceof Promise
        ? jwtVerifier.then((built) => valueOrThrow(this.verifyJwtRemembering(built, token, jwt, digest, resource)))
        : this.verifyJwtRemembering(jwtVerifier, token, jwt, digest, resource);
    }
    if (typeof verifier === 'function') {
      return verifyWithCustomVerifier(verifier, token, {
        issuer: server.issuer,
        resource: resource.resource,
        audience: resource.audience,
        clockToleranceSeconds: this.options.clockToleranceSeconds,
        now: Date.now(),
      });
    }
    return this.verifiers
      .introspection(server, verifier)
      .then((introspection) =>
        introspection.verify(token, { resource: resource.resource, audience: resource.audience }),
      );
  }

  /** Synchronous when the issuer's keys are known: a new token then costs its checks and no event-loop turn. */
  private verifyJwtRemembering(
    verifier: JwtTokenVerifier,
    token: string,
    jwt: CompactJwt | undefined,
    digest: string,
    resource: ResolvedResource,
  ): OrRefusal<AuthInfo> | Promise<AuthInfo> {
    const verified = verifier.check(token, jwt);
    if (verified instanceof Promise)
      return verified.then((checked) => this.rememberAccepted(token, checked, digest, resource));
    return verified instanceof BearerAuthError ? verified : this.rememberAccepted(token, verified, digest, resource);
  }

  /**
   * Kept from the second verification on: a token presented once (many users, each with a new token) is never
   * stored. Stored outcomes are long-lived objects scattered among short-lived garbage, which keeps V8 from
   * giving old-generation pages back (60-80 MB of RSS under a flood of distinct valid tokens); the first
   * sighting costs only an entry without a value.
   */
  private rememberAccepted(
    token: string,
    verified: VerifiedToken,
    digest: string,
    resource: ResolvedResource,
  ): AuthInfo {
    const caches = this.resultCachesFor(resource);
    const notAfterMs = (verified.expiresAt ?? 0) * 1000;
    if (caches.seenOnce.get(digest)) caches.accepted.set(digest, verified, notAfterMs);
    else caches.seenOnce.set(digest, true, notAfterMs);
    return authInfoFor(token, verified);
  }

  /** Accepted and rejected tokens are kept apart, so a flood of forgeries cannot evict valid tokens. */
  private resultCachesFor(resource: ResolvedResource): ResultCaches {
    let caches = this.resultCaches.get(resource);
    if (!caches) {
      const { ttlMs, maxEntries } = this.options.tokenCache;
      caches = {
        accepted: new ExpiringCache(ttlMs, maxEntries),
        rejected: new ExpiringCache(ttlMs, maxEntries),
        seenOnce: new ExpiringCache(ttlMs, maxEntries),
      };
      this.resultCaches.set(resource, caches);
    }
    return caches;
  }

  private logOnce(error: unknown): void {
    this.failures.error(`Tokens cannot be verified: ${error instanceof Error ? error.message : String(error)}`);
  }
}
