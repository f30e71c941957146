import type { DpopReplayStore } from '../../options/mcp-auth-options.interface.js';

/**
 * The default `DpopReplayStore`: proof keys in memory until their replay window ends. Bounded: when
 * `maxEntries` proofs are still inside their window, new proofs are refused (fail closed) rather than
 * forgetting one that could then be replayed. Enough for one replica; several need a shared store.
 */
export class InMemoryDpopReplayStore implements DpopReplayStore {
  /** Key → end of its replay window, oldest first (windows all have the same length). */
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async remember(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    // Bounded: each expired entry is removed once.
    for (const [oldest, until] of this.entries) {
      if (until > now) break;
      this.entries.delete(oldest);
    }
    const seen = this.entries.get(key);
    if (seen !== undefined && seen > now) return false;
    if (this.entries.size >= this.maxEntries) throw new Error(`${this.maxEntries} DPoP proofs are still replayable`);
    this.entries.set(key, expiresAtMs);
    return true;
  }
}
