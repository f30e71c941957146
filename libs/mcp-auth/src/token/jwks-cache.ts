import { createLocalJWKSet, errors, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { JwksUnavailableError } from '../errors/mcp-auth.errors.js';
import { fetchJson } from './fetch-json.js';
import { describeFailure, OutageLog, type OutageLogger } from './outage-log.js';

/** Largest JWKS document accepted, in bytes. Real sets are a few KiB. */
const MAX_JWKS_BYTES = 512 * 1024;
/** While no key is cached, every token is refused: retry at least this often, whatever the cooldown. */
const NO_KEYS_RETRY_MS = 1000;

/** Timing of a {@link JwksCache}. */
export interface JwksCacheOptions {
  /** Per-fetch timeout, in ms. */
  timeoutMs: number;
  /**
   * Shortest time between two fetch attempts (unknown `kid`, stale keys, or a retry after a failure), in ms.
   * While no key is cached at all, attempts are allowed at least every second whatever this says.
   */
  cooldownMs: number;
  /** Keys older than this are refreshed on the next request, in ms. */
  maxAgeMs: number;
  /** Clock, in ms since the epoch. Default `Date.now` (tests inject their own). */
  now?: () => number;
  /** Where outages and recoveries are reported (once each). Default: not reported. */
  logger?: OutageLogger;
}

type LocalJwks = ReturnType<typeof createLocalJWKSet>;

/**
 * One issuer's JSON Web Key Set, fetched on demand and cached.
 *
 * - The first lookup fetches; concurrent lookups share that one fetch.
 * - An unknown `kid` triggers at most one refetch per `cooldownMs` (key rotation); concurrent lookups for
 *   unknown kids share it, then key selection is retried once.
 * - Keys older than `maxAgeMs` are refreshed in the background of the next lookup, which goes on with the
 *   cached keys; if the refresh fails, the old keys stay in use.
 * - A failed fetch never evicts cached keys, and it only blocks new attempts for `cooldownMs` (at most a
 *   second while no key is cached: a slow first fetch at boot must not lock every token out for long).
 * - An outage is logged once, with the URL and the reason, and so is the recovery.
 *
 * `keyFor` is the `JwtTokenVerifier`'s key resolver.
 */
export class JwksCache {
  readonly #jwksUri: string;
  readonly #options: Required<Omit<JwksCacheOptions, 'logger'>>;
  readonly #outages: OutageLog;
  readonly #fetch: typeof fetch;
  #keys: LocalJwks | undefined;
  /** Keys `#keys` resolved, by alg and kid: a token whose key is known gets it without jose's lookup. */
  #resolved = new Map<string, CryptoKey>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;
  #lastError: unknown;
  #fetchCount = 0;

  constructor(jwksUri: string, options: JwksCacheOptions, fetchImpl: typeof fetch = fetch) {
    const { logger, ...timing } = options;
    this.#jwksUri = jwksUri;
    this.#options = { now: Date.now, ...timing };
    this.#outages = new OutageLog(logger, `JWKS ${jwksUri}`);
    this.#fetch = fetchImpl;
  }

  /** The JWKS URL this cache fetches. */
  get jwksUri(): string {
    return this.#jwksUri;
  }

  /** Fetch attempts made so far (successful or not). For tests and benchmarks. */
  get fetchCount(): number {
    return this.#fetchCount;
  }

  /**
   * Resolves the verification key for a JWS header (a jose `JWTVerifyGetKey` for a compact JWS, which has no
   * unprotected header). A key found before in the current set comes back synchronously (jose's selection runs
   * once per alg and kid, not once per token). An arrow property, so it can be passed around unbound.
   *
   * @throws JwksUnavailableError when no keys were ever fetched and fetching fails (through the promise).
   * @throws jose `JWKSNoMatchingKey` (and the other jose key-selection errors) when no cached key fits.
   */
  readonly keyFor = (protectedHeader: JWSHeaderParameters): CryptoKey | Promise<CryptoKey> => {
    if (this.#keys !== undefined) {
      // Stale keys keep working while the refresh runs in the background: a slow JWKS endpoint must not
      // hold up requests whose keys are already known (unknown kids still wait, in #lookUp).
      if (this.#options.now() - this.#fetchedAt >= this.#options.maxAgeMs) void this.#refresh();
      const id = resolvedKeyId(protectedHeader);
      const known = id === undefined ? undefined : this.#resolved.get(id);
      if (known !== undefined) return known;
    }
    return this.#lookUp(protectedHeader);
  };

  /** `keyFor` always answering with a promise (jose's `JWTVerifyGetKey` shape). */
  readonly getKey = async (protectedHeader: JWSHeaderParameters): Promise<CryptoKey> => this.keyFor(protectedHeader);

  async #lookUp(protectedHeader: JWSHeaderParameters): Promise<CryptoKey> {
    if (this.#keys === undefined) await this.#refresh();
    const keys = this.#keys;
    if (keys === undefined) {
      const reason =
        this.#lastError === undefined ? 'no fetch attempted yet (cooling down)' : describeFailure(this.#lastError);
      throw new JwksUnavailableError(this.#jwksUri, `No signing keys available from ${this.#jwksUri}: ${reason}`, {
        cause: this.#lastError,
      });
    }
    try {
      const key = await keys(protectedHeader);
      this.#remember(keys, protectedHeader, key);
      return key;
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A rotation: the issuer may have published a key we have not seen yet. Another lookup may already
      // have refreshed the set since we read it; then try the new set before spending a fetch.
      if (this.#keys === keys) await this.#refresh();
      if (this.#keys === keys) throw error;
      const current = this.#keys!;
      const key = await current(protectedHeader);
      this.#remember(current, protectedHeader, key);
      return key;
    }
  }

  /** Remembers the one key `keys` resolved for a header, while `keys` is still the current set. */
  #remember(keys: LocalJwks, protectedHeader: JWSHeaderParameters, key: CryptoKey): void {
    const id = resolvedKeyId(protectedHeader);
    // Bounded: one entry per (alg, kid) that matched a key of the set.
    if (id !== undefined && this.#keys === keys) this.#resolved.set(id, key);
  }

  /**
   * Fetches the set unless a fetch is already running (then joins it) or the last attempt is younger than
   * the cooldown. Never rejects: a failure is remembered in `#lastError` and the old keys stay.
   */
  #refresh(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const startedAt = this.#options.now();
    const cooldown =
      this.#keys === undefined ? Math.min(this.#options.cooldownMs, NO_KEYS_RETRY_MS) : this.#options.cooldownMs;
    if (startedAt - this.#attemptedAt < cooldown) return Promise.resolve();
    this.#attemptedAt = startedAt;
    this.#fetchCount++;
    const attempt = this.#load().then(
      (keys) => {
        this.#keys = keys;
        this.#resolved = new Map();
        this.#fetchedAt = this.#options.now();
        this.#lastError = undefined;
        this.#outages.succeeded();
      },
      (error: unknown) => {
        this.#lastError = error;
        const keeping = this.#keys ? 'the cached keys stay in use' : 'no key is cached: tokens are refused';
        this.#outages.failed(error, `${keeping} until it recovers`);
      },
    );
    this.#inFlight = attempt.finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #load(): Promise<LocalJwks> {
    const document = await fetchJson(this.#jwksUri, {
      timeoutMs: this.#options.timeoutMs,
      maxBytes: MAX_JWKS_BYTES,
      fetch: this.#fetch,
      init: { method: 'GET', headers: { accept: 'application/jwk-set+json, application/json' } },
    });
    const keys = (document as { keys?: unknown } | null)?.keys;
    if (typeof document !== 'object' || Array.isArray(document) || !Array.isArray(keys)) {
      throw new Error('the document is not a JSON Web Key Set (an object with a "keys" array)');
    }
    // createLocalJWKSet checks every member is an object and snapshots the set, so later mutation is harmless.
    return createLocalJWKSet(document as { keys: [] });
  }
}

/** What jose's key selection depends on in a header (`alg`, `kid`), as a map key; `undefined`: not remembered. */
function resolvedKeyId({ alg, kid }: JWSHeaderParameters): string | undefined {
  if (typeof alg !== 'string') return undefined;
  if (kid === undefined) return `${alg}\u0001`;
  return typeof kid === 'string' ? `${alg}\u0000${kid}` : undefined;
}
