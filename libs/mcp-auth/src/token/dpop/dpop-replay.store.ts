import type { DpopReplayStore } from '../../options/mcp-auth-options.interface.js';

/**
 * The default `DpopReplayStore`: proof keys in memory until their replay window ends. Bounded: when
 * `maxEntries` proofs are still inside their window, new proofs are refused (fail closed) rather than
 * forgetting one that could then be replayed. Enough for one replica; several need a shared store.
 *
 * Expired keys are dropped from the front of a queue in the order they were remembered (windows all have
 * the same length, so that is about the order they end in): never by iterating a `Map` from its start, which
 * walks the holes every deleted entry leaves until the `Map` is rehashed.
 */
export class InMemoryDpopReplayStore implements DpopReplayStore {
  /** Key → end of its replay window. */
  private readonly windows = new Map<string, number>();
  /** Keys with the window end they were remembered with, oldest first, from `head` on. */
  private queue: { key: string; until: number }[] = [];
  private head = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async remember(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    this.forgetExpired(now);
    const seen = this.windows.get(key);
    if (seen !== undefined && seen > now) return false;
    if (this.windows.size >= this.maxEntries) throw new Error(`${this.maxEntries} DPoP proofs are still replayable`);
    this.windows.set(key, expiresAtMs);
    this.queue.push({ key, until: expiresAtMs });
    return true;
  }

  /** Bounded: each remembered key is dropped once. */
  private forgetExpired(now: number): void {
    const { queue } = this;
    while (this.head < queue.length) {
      const { key, until } = queue[this.head]!;
      if (until > now) break;
      // Only if the key was not remembered again since (then a later queue entry stands for it).
      if (this.windows.get(key) === until) this.windows.delete(key);
      this.head++;
    }
    // Drop the consumed front of the queue once it is most of the array.
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
  }
}
