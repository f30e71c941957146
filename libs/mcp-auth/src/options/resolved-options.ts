import type { ScopeExpansion } from './scope-hierarchy.js';
import type { ChallengeScopes } from '../errors/challenge.js';
import type {
  AuthorizationServerMetadata,
  CustomTokenVerifier,
  DpopReplayStore,
  IntrospectionVerifierOptions,
  ScopeClaimOption,
} from './mcp-auth-options.interface.js';

/** Asymmetric JWS algorithms; HS* and `none` are never accepted (RFC 8725 §3.1, §3.2). */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** DPoP proof algorithms accepted by default (what clients and authorization servers use). */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'EdDSA',
  'Ed25519',
];

/** One trusted authorization server, with every default filled in. */
export interface ResolvedAuthorizationServer {
  issuer: string;
  type: 'oauth' | 'oidc';
  metadata?: AuthorizationServerMetadata;
  verifier: 'jwt' | Required<IntrospectionVerifierOptions> | CustomTokenVerifier;
}

/** One protected resource, with every default filled in. */
export interface ResolvedResource {
  resource: string;
  /** Path of the resource URL ('' for the root), used to match requests to resources. */
  resourcePath: string;
  /** `https://host/.well-known/oauth-protected-resource/<path>` */
  metadataUrl: string;
  /** The path part of `metadataUrl`, which the well-known controller serves. */
  metadataPath: string;
  authorizationServers: ResolvedAuthorizationServer[];
  scopesSupported: string[];
  /** Frozen, like every declared scope list: a 401 naming them is rendered once. */
  requiredScopes: readonly string[];
  resourceName?: string;
  resourceDocumentation?: string;
  metadataExtras: Record<string, unknown>;
  /** Accepted audiences, or `undefined` when audience checking was explicitly and dangerously disabled. */
  audience: string[] | undefined;
  /** Only DPoP-bound tokens with their proof are accepted. */
  dpopRequired: boolean;
  /** Named in 401 challenges of operations that need no particular scope. Frozen: every such 401 shares one error. */
  initialScopes: readonly string[];
  /** What granted scopes grant through `scopeHierarchy`; `undefined` without one. */
  scopeHierarchy: ScopeExpansion | undefined;
}

/** DPoP settings with every default filled in. */
export interface ResolvedDpopOptions {
  enabled: boolean;
  algorithms: string[];
  proofMaxAgeSeconds: number;
  /** `undefined`: the token layer builds the bounded in-memory default. */
  replayStore: DpopReplayStore | undefined;
  maxRememberedProofs: number;
  nonce: { required: boolean; secret: Buffer; lifetimeSeconds: number };
}

/** The module's options after validation: the only shape the rest of the library reads. */
export interface ResolvedMcpAuthOptions {
  resources: ResolvedResource[];
  algorithms: string[];
  clockToleranceSeconds: number;
  requireAccessTokenType: boolean;
  scopeClaim: ScopeClaimOption | undefined;
  maxTokenLength: number;
  discovery: { mode: 'eager' | 'lazy'; timeoutMs: number; retryAfterMs: number };
  jwks: { timeoutMs: number; cooldownMs: number; maxAgeMs: number };
  tokenCache: { ttlMs: number; maxEntries: number };
  dpop: ResolvedDpopOptions;
  challengeScopes: ChallengeScopes;
  mcp: {
    enabled: boolean;
    path: string;
    mode: 'stateless' | 'stateful';
    serverInfo: { name: string; version: string; title?: string };
    instructions?: string;
    allowedOrigins: string[];
    /** `undefined`: the loopback-only default (see `McpEndpointOptions.allowedHosts`). */
    allowedHosts: string[] | undefined;
    hideUnauthorized: boolean;
    sessionIdleTimeoutMs: number;
    maxSessions: number;
    maxSessionsPerSubject: number;
    authenticationDisabled: boolean;
  };
}
