import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, type JWK, jwtVerify, type JWTVerifyOptions } from 'jose';
import { BearerAuthError } from '../../errors/mcp-auth.errors.js';
import type { DpopReplayStore } from '../../options/mcp-auth-options.interface.js';
import type { ResolvedDpopOptions } from '../../options/resolved-options.js';
import { DpopNonces } from './dpop-nonces.js';
import { InMemoryDpopReplayStore } from './dpop-replay.store.js';
import { normalizeHtu } from './htu.js';

/** Proofs are small (a header with a public key and six claims); anything much larger is not one. */
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

/** The request a DPoP proof must match (RFC 9449 §4.3). */
export interface DpopProofTarget {
  /** The request's HTTP method. */
  method: string;
  /** The request's URI as this resource is reached (configured origin + request path), normalised. */
  htu: string;
  /** The access token the proof accompanies (`ath`). */
  accessToken: string;
  /** The token's `cnf.jkt`: the thumbprint the proof's key must have. */
  jkt: string;
}

/**
 * Checks a DPoP proof presented to this resource with a DPoP-bound access token (RFC 9449 §4.3, §7.1, §9):
 * exactly one proof; `typ: dpop+jwt`; an allowed asymmetric `alg`; signed by the public `jwk` in its header
 * (no private members); `htm` and `htu` match the request; `iat` recent; `ath` is the token's hash; the
 * key's RFC 7638 thumbprint is the token's `cnf.jkt`; the server nonce when required; and `jti` never seen
 * before within the proof's lifetime (the replay store, shared across replicas when it is Redis).
 *
 * @throws BearerAuthError `invalid_dpop_proof`, or `use_dpop_nonce` with a fresh nonce.
 */
export class DpopProofVerifier {
  private readonly replays: DpopReplayStore;
  readonly nonces: DpopNonces;
  private readonly verifyOptions: JWTVerifyOptions;

  constructor(
    private readonly options: ResolvedDpopOptions,
    private readonly clockToleranceSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.replays = options.replayStore ?? new InMemoryDpopReplayStore(options.maxRememberedProofs, now);
    this.nonces = new DpopNonces(options.nonce.secret, options.nonce.lifetimeSeconds, now);
    this.verifyOptions = {
      typ: 'dpop+jwt',
      algorithms: options.algorithms,
      maxTokenAge: options.proofMaxAgeSeconds,
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
    };
  }

  async verify(proofs: readonly string[], target: DpopProofTarget): Promise<void> {
    if (proofs.length !== 1) {
      throw BearerAuthError.invalidDpopProof(
        proofs.length === 0 ? 'A DPoP proof is required' : 'Send exactly one DPoP header',
      );
    }
    const proof = proofs[0];
    if (proof.length > MAX_PROOF_LENGTH) throw BearerAuthError.invalidDpopProof('The DPoP proof is too long');
    const { payload, protectedHeader } = await this.signedProof(proof);
    const { jti, htm, htu, ath, iat, nonce } = payload as Record<string, unknown>;
    if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof has no usable jti');
    }
    if (htm !== target.method) throw BearerAuthError.invalidDpopProof('The DPoP proof is for another HTTP method');
    if (normalizeHtu(htu) !== target.htu) throw BearerAuthError.invalidDpopProof('The DPoP proof is for another URI');
    if (ath !== createHash('sha256').update(target.accessToken).digest('base64url')) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof is for another access token');
    }
    if ((await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256')) !== target.jkt) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof key is not the key the access token is bound to');
    }
    if (this.options.nonce.required && !this.nonces.isValid(nonce)) {
      throw BearerAuthError.useDpopNonce(this.nonces.current());
    }
    await this.rememberOnce(target.jkt, jti, iat as number);
  }

  private async signedProof(proof: string) {
    try {
      return await jwtVerify(proof, EmbeddedJWK, { ...this.verifyOptions, currentDate: new Date(this.now()) });
    } catch (error) {
      throw BearerAuthError.invalidDpopProof(describeFailure(error), error);
    }
  }

  /** A proof is accepted once: its key and `jti` are remembered until its `iat` falls out of the window. */
  private async rememberOnce(jkt: string, jti: string, iat: number): Promise<void> {
    const key = createHash('sha256').update(`${jkt}.${jti}`).digest('base64url');
    const until = (iat + this.options.proofMaxAgeSeconds + 2 * this.clockToleranceSeconds) * 1000;
    let fresh: boolean;
    try {
      fresh = await this.replays.remember(key, until);
    } catch (error) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof could not be checked for replay', error);
    }
    if (!fresh) throw BearerAuthError.invalidDpopProof('The DPoP proof was already used');
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The DPoP proof is too old';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iat') return 'The DPoP proof was issued in the future';
    if (error.claim === 'typ') return 'The DPoP proof type is not dpop+jwt';
    return `The DPoP proof has no usable ${error.claim}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'The DPoP proof signing algorithm is not allowed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The DPoP proof signature is invalid';
  return 'The DPoP proof is malformed';
}
