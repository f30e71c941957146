/** Most tasks waiting for a slot; beyond, new ones fail at once. */
const MAX_WAITING = 1000;

/**
 * At most `max` tasks at once; the others wait their turn (at most `maxWaitMs`, and at most 1000 of them),
 * then fail without running. Caps what a flood of requests can make this server send to another one.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxWaitMs: number,
  ) {}

  /**
   * Runs `task` once a slot is free.
   *
   * @throws Error when no slot freed up within `maxWaitMs`, or too many tasks wait already.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds `max`.
    if (this.active < this.max) this.active++;
    else await this.slot();
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private slot(): Promise<void> {
    if (this.waiting.length >= MAX_WAITING) {
      return Promise.reject(new Error(`${this.max} requests running and ${MAX_WAITING} waiting`));
    }
    return new Promise((resolve, reject) => {
      const handOver = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(handOver), 1);
        reject(new Error(`no free slot within ${this.maxWaitMs} ms (${this.max} requests running)`));
      }, this.maxWaitMs);
      this.waiting.push(handOver);
    });
  }
}
