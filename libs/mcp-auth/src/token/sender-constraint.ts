import type { AuthInfo } from '../auth/auth-info.interface.js';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import type { ResolvedDpopOptions, ResolvedResource } from '../options/resolved-options.js';
import type { PresentedCredentials } from './credentials.extractor.js';
import { DpopProofVerifier } from './dpop/dpop-proof.verifier.js';
import { normalizeHtu } from './dpop/htu.js';
import type { OutageLogger } from './outage-log.js';

/** How a token was presented, and to which request. */
export interface TokenPresentation extends Pick<PresentedCredentials, 'scheme' | 'proofs'> {
  /** The request's HTTP method. */
  method: string;
  /** The request's path, as the client sent it (no query). */
  path: string;
}

/**
 * Holds a verified token to the way it was presented: a sender-constrained token never works as a plain
 * bearer token, and a DPoP-bound one only with a valid proof of its key (RFC 9449 §7, RFC 8705).
 *
 * - `Bearer`: refused when the token carries `cnf` (DPoP `jkt`, mTLS `x5t#S256`: accepting it would strip
 *   the binding), or when the resource requires DPoP.
 * - `DPoP`: the token must carry `cnf.jkt`, and the proof must match the request, the token and that key
 *   (`DpopProofVerifier`); `htu` is checked against the configured resource origin plus the request path,
 *   never the `Host` header, so it holds behind proxies.
 */
export class SenderConstraint {
  readonly dpop: DpopProofVerifier | undefined;
  /** Each resource's origin, parsed once (`htu` is checked against it on every DPoP request). */
  private readonly origins = new WeakMap<ResolvedResource, string>();

  constructor(options: ResolvedDpopOptions, clockToleranceSeconds: number, logger?: OutageLogger) {
    this.dpop = options.enabled ? new DpopProofVerifier(options, clockToleranceSeconds, Date.now, logger) : undefined;
  }

  /**
   * Synchronous for a bearer token (nothing to wait for); a promise while a DPoP proof is checked.
   *
   * @throws BearerAuthError `invalid_token`, `invalid_dpop_proof` or `use_dpop_nonce` (synchronously, or through
   *   the returned promise).
   */
  check(auth: AuthInfo, presentation: TokenPresentation, resource: ResolvedResource): void | Promise<void> {
    const cnf = auth.claims.cnf as { jkt?: unknown } | undefined;
    if (presentation.scheme === 'bearer') {
      if (cnf !== undefined) {
        throw BearerAuthError.invalidToken('The access token is bound to a key; present it with a proof of that key');
      }
      if (resource.dpopRequired) throw BearerAuthError.invalidToken('This resource accepts DPoP-bound tokens only');
      return;
    }
    if (this.dpop === undefined) throw BearerAuthError.invalidToken('DPoP is not accepted here');
    if (typeof cnf?.jkt !== 'string') throw BearerAuthError.invalidToken('The access token is not DPoP-bound');
    let origin = this.origins.get(resource);
    if (origin === undefined) {
      origin = new URL(resource.resource).origin;
      this.origins.set(resource, origin);
    }
    const htu = normalizeHtu(`${origin}${presentation.path}`);
    if (htu === undefined) throw BearerAuthError.invalidDpopProof('The request URI cannot be checked');
    return this.dpop.verify(presentation.proofs, {
      method: presentation.method,
      htu,
      accessToken: auth.token,
      jkt: cnf.jkt,
    });
  }
}
