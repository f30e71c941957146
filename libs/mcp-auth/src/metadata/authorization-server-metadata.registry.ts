import type { Logger } from '@nestjs/common';
import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import type { ResolvedAuthorizationServer, ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { discoverAuthorizationServer } from './authorization-server-discovery.js';

interface DiscoveryState {
  issuer: string;
  type: 'oauth' | 'oidc';
  requireJwksUri: boolean;
  metadata?: AuthorizationServerMetadata;
  pending?: Promise<AuthorizationServerMetadata>;
  failedAt?: number;
  failure?: unknown;
}

/**
 * The metadata of every trusted authorization server: inline when configured, otherwise discovered once
 * per issuer (whatever the number of resources trusting it) and then kept for the life of the process.
 *
 * Only servers that need metadata are discovered: those verifying JWTs (for `jwks_uri`) and those
 * introspecting without a configured endpoint. A custom verifier never triggers a request.
 *
 * Concurrent first uses share one discovery. A failure is remembered for `discovery.retryAfterMs`, during
 * which callers get it at once; the next use after that tries again. Internal to the token layer.
 */
export class AuthorizationServerMetadataRegistry {
  private readonly states = new Map<string, DiscoveryState>();

  constructor(
    private readonly options: ResolvedMcpAuthOptions,
    private readonly logger: Pick<Logger, 'error'>,
    private readonly now: () => number = Date.now,
  ) {
    for (const resource of options.resources) {
      for (const server of resource.authorizationServers) {
        if (!needsDiscovery(server)) continue;
        const state = this.states.get(server.issuer);
        // One discovery per issuer, so it must satisfy the strictest user: any JWT verifier needs jwks_uri.
        if (state) state.requireJwksUri ||= server.verifier === 'jwt';
        else this.states.set(server.issuer, newState(server));
      }
    }
  }

  /**
   * Discovers every server that needs it, in parallel (eager mode).
   *
   * @throws AuthorizationServerDiscoveryError the first failure; the others are logged.
   */
  async discoverAll(): Promise<void> {
    const results = await Promise.allSettled([...this.states.values()].map((state) => this.discover(state)));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    for (const failure of failures.slice(1))
      this.logger.error(failure instanceof Error ? failure.message : String(failure));
    if (failures.length > 0) throw failures[0];
  }

  /**
   * The metadata of `server`, discovering it on first use.
   *
   * @throws AuthorizationServerDiscoveryError while discovery fails (the same error until `retryAfterMs` passed).
   */
  get(server: ResolvedAuthorizationServer): Promise<AuthorizationServerMetadata> {
    if (server.metadata) return Promise.resolve(server.metadata);
    let state = this.states.get(server.issuer);
    if (!state) {
      state = newState(server);
      this.states.set(server.issuer, state);
    }
    if (state.metadata) return Promise.resolve(state.metadata);
    if (state.pending) return state.pending;
    if (state.failedAt !== undefined && this.now() - state.failedAt < this.options.discovery.retryAfterMs) {
      return Promise.reject(state.failure);
    }
    return this.discover(state);
  }

  private discover(state: DiscoveryState): Promise<AuthorizationServerMetadata> {
    if (state.metadata) return Promise.resolve(state.metadata);
    state.pending ??= discoverAuthorizationServer(state.issuer, {
      type: state.type,
      timeoutMs: this.options.discovery.timeoutMs,
      requireJwksUri: state.requireJwksUri,
    })
      .then(
        (metadata) => {
          state.metadata = metadata;
          state.failedAt = state.failure = undefined;
          return metadata;
        },
        (error: unknown) => {
          state.failedAt = this.now();
          state.failure = error;
          if (this.options.discovery.mode === 'lazy') {
            const message = error instanceof Error ? error.message : String(error);
            this.logger.error(
              `${message}\n(retrying on the first request after ${this.options.discovery.retryAfterMs} ms)`,
            );
          }
          throw error;
        },
      )
      .finally(() => {
        state.pending = undefined;
      });
    return state.pending;
  }
}

function needsDiscovery(server: ResolvedAuthorizationServer): boolean {
  if (server.metadata) return false;
  return server.verifier === 'jwt' || (typeof server.verifier === 'object' && !server.verifier.endpoint);
}

function newState(server: ResolvedAuthorizationServer): DiscoveryState {
  return { issuer: server.issuer, type: server.type, requireJwksUri: server.verifier === 'jwt' };
}
