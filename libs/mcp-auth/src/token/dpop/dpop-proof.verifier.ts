import { hash } from 'node:crypto';
import { BearerAuthError } from '../../errors/mcp-auth.errors.js';
import type { DpopReplayStore } from '../../options/mcp-auth-options.interface.js';
import type { ResolvedDpopOptions } from '../../options/resolved-options.js';
import { hasType, jwsHeaderProblem, parseCompactJwt } from '../compact-jwt.js';
import { UnusableKeyError, verifyJwsSignature } from '../jws-signature.js';
import { OutageLog, type OutageLogger } from '../outage-log.js';
import { DpopNonces } from './dpop-nonces.js';
import { InMemoryDpopReplayStore } from './dpop-replay.store.js';
import { normalizeHtu } from './htu.js';
import { ProofKeys } from './proof-key.js';

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

/** Proof claims JWT libraries require (RFC 9449 §4.2), in the order their absence is reported. */
const REQUIRED_CLAIMS = ['iat', 'htu', 'htm', 'jti'];

/**
 * Checks a DPoP proof presented to this resource with a DPoP-bound access token (RFC 9449 §4.3, §7.1, §9):
 * exactly one proof; an allowed asymmetric `alg`; signed by the public `jwk` in its header (no private
 * members); `typ: dpop+jwt`; `htm` and `htu` match the request; `iat` recent; `ath` is the token's hash;
 * the key's RFC 7638 thumbprint is the token's `cnf.jkt`; the server nonce when required; and `jti` never
 * seen before within the proof's lifetime (the replay store, shared across replicas when it is Redis).
 *
 * The proof is parsed once and its signature checked synchronously (`verifyJwsSignature`); the key of a
 * token's binding is imported once (`ProofKeys`), not for every proof.
 *
 * @throws BearerAuthError `invalid_dpop_proof`, or `use_dpop_nonce` with a fresh nonce.
 */
export class DpopProofVerifier {
  private readonly replays: DpopReplayStore;
  /** A store that throws (Redis down, or the in-memory one full of live proofs) is reported once. */
  private readonly replayOutages: OutageLog;
  readonly nonces: DpopNonces;
  private readonly algorithms: ReadonlySet<string>;
  private readonly keys = new ProofKeys();

  constructor(
    private readonly options: ResolvedDpopOptions,
    private readonly clockToleranceSeconds: number,
    private readonly now: () => number = Date.now,
    logger?: OutageLogger,
  ) {
    this.replayOutages = new OutageLog(logger, 'The DPoP replay store');
    this.replays = options.replayStore ?? new InMemoryDpopReplayStore(options.maxRememberedProofs, now);
    this.nonces = new DpopNonces(options.nonce.secret, options.nonce.lifetimeSeconds, now);
    this.algorithms = new Set(options.algorithms);
  }

  async verify(proofs: readonly string[], target: DpopProofTarget): Promise<void> {
    if (proofs.length !== 1) {
      throw BearerAuthError.invalidDpopProof(
        proofs.length === 0 ? 'A DPoP proof is required' : 'Send exactly one DPoP header',
      );
    }
    const proof = proofs[0];
    if (proof.length > MAX_PROOF_LENGTH) throw BearerAuthError.invalidDpopProof('The DPoP proof is too long');
    const { payload, thumbprint } = this.signedProof(proof, target.jkt);
    const { jti, htm, htu, ath, iat, nonce } = payload;
    if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof has no usable jti');
    }
    if (htm !== target.method) throw BearerAuthError.invalidDpopProof('The DPoP proof is for another HTTP method');
    if (normalizeHtu(htu) !== target.htu) throw BearerAuthError.invalidDpopProof('The DPoP proof is for another URI');
    if (ath !== hash('sha256', target.accessToken, 'base64url')) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof is for another access token');
    }
    if (thumbprint !== target.jkt) {
      throw BearerAuthError.invalidDpopProof('The DPoP proof key is not the key the access token is bound to');
    }
    if (this.options.nonce.required && !this.nonces.isValid(nonce)) {
      throw BearerAuthError.useDpopNonce(this.nonces.current());
    }
    await this.rememberOnce(target.jkt, jti, iat as number);
  }

  /**
   * The proof's claims once its header, signature and times hold (checked in the order jose reports them:
   * header, key, signature, `typ`, required claims, times). Synchronous: no await between parsing and the
   * signature check.
   */
  private signedProof(proof: string, boundTo: string): { payload: Record<string, unknown>; thumbprint: string } {
    const jwt = parseCompactJwt(proof);
    if (jwt === undefined) throw refusal('The DPoP proof is malformed');
    const problem = jwsHeaderProblem(jwt, this.algorithms);
    if (problem !== undefined) {
      throw refusal(
        problem === 'malformed' ? 'The DPoP proof is malformed' : 'The DPoP proof signing algorithm is not allowed',
      );
    }
    const { header, payload } = jwt;
    const alg = header.alg as string;
    const proofKey = this.keys.read(header.jwk, alg, (thumbprint) => thumbprint === boundTo);
    if ('invalid' in proofKey) {
      throw refusal(
        proofKey.invalid === 'unsupported'
          ? 'The DPoP proof signing algorithm is not allowed'
          : 'The DPoP proof is malformed',
      );
    }
    let valid: boolean;
    try {
      valid = verifyJwsSignature(alg, proofKey.key, jwt.signingInput, jwt.signature);
    } catch (error) {
      if (error instanceof UnusableKeyError) throw refusal('The DPoP proof signing algorithm is not allowed');
      throw error;
    }
    if (!valid) throw refusal('The DPoP proof signature is invalid');
    if (!hasType(header, 'dpop+jwt')) throw refusal('The DPoP proof type is not dpop+jwt');
    for (const claim of REQUIRED_CLAIMS) {
      if (!Object.hasOwn(payload, claim)) throw refusal(`The DPoP proof has no usable ${claim}`);
    }
    const broken = this.timeProblem(payload);
    if (broken) throw refusal(broken);
    return { payload, thumbprint: proofKey.thumbprint };
  }

  /** `iat` within the proof's lifetime and not in the future; `nbf` and `exp` when present; with the tolerance. */
  private timeProblem({ iat, nbf, exp }: Record<string, unknown>): string | undefined {
    const now = Math.floor(this.now() / 1000);
    const tolerance = this.clockToleranceSeconds;
    if (typeof iat !== 'number') return 'The DPoP proof was issued in the future';
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tolerance))
      return 'The DPoP proof has no usable nbf';
    if (exp !== undefined && typeof exp !== 'number') return 'The DPoP proof has no usable exp';
    if (typeof exp === 'number' && exp <= now - tolerance) return 'The DPoP proof is too old';
    const age = now - iat;
    if (age - tolerance > this.options.proofMaxAgeSeconds) return 'The DPoP proof is too old';
    if (age < -tolerance) return 'The DPoP proof was issued in the future';
    return undefined;
  }

  /** A proof is accepted once: its key and `jti` are remembered until its `iat` falls out of the window. */
  private async rememberOnce(jkt: string, jti: string, iat: number): Promise<void> {
    const key = hash('sha256', `${jkt}.${jti}`, 'base64url');
    const until = (iat + this.options.proofMaxAgeSeconds + 2 * this.clockToleranceSeconds) * 1000;
    let fresh: boolean;
    try {
      fresh = await this.replays.remember(key, until);
    } catch (error) {
      this.replayOutages.failed(error, 'DPoP proofs are refused until it recovers');
      throw BearerAuthError.invalidDpopProof('The DPoP proof could not be checked for replay', error);
    }
    this.replayOutages.succeeded();
    if (!fresh) throw BearerAuthError.invalidDpopProof('The DPoP proof was already used');
  }
}

const refusal = (description: string): BearerAuthError => BearerAuthError.invalidDpopProof(description);
