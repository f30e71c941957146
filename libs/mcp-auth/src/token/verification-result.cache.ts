import type { AuthInfo } from '../auth/auth-info.interface.js';
import type { BearerAuthError } from '../errors/mcp-auth.errors.js';

/** What verifying one exact token string concluded. */
export type VerificationOutcome = { auth: AuthInfo; error?: undefined } | { auth?: undefined; error: BearerAuthError };

interface Entry {
  outcome: VerificationOutcome;
  expiresAtMs: number;
}

/**
 * Remembers the outcome of verifying a JWT, keyed by the exact token string, so a client reusing its
 * access token (the normal case) costs a map lookup instead of a signature check, and a client retrying
 * the same forged or expired token cannot make the server redo the cryptography.
 *
 * Entries live at most `ttlMs` and never past the token's `exp`; only definitive rejections are stored
 * (see `isDefinitiveRejection`). Bounded: beyond `maxEntries` the oldest entry goes first.
 */
export class VerificationResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): VerificationOutcome | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs > this.now()) return entry.outcome;
    this.entries.delete(token);
    return undefined;
  }

  /** Stores `outcome` for `token` until `ttlMs` from now or `notAfterMs`, whichever comes first. */
  remember(token: string, outcome: VerificationOutcome, notAfterMs = Number.POSITIVE_INFINITY): void {
    if (this.ttlMs <= 0) return;
    const now = this.now();
    const expiresAtMs = Math.min(now + this.ttlMs, notAfterMs);
    if (expiresAtMs <= now) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      // Map iteration order is insertion order: the first key is the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, { outcome, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
