import type { Logger } from '@nestjs/common';
import { FetchJsonError } from './fetch-json.js';

/** Where outages of what token checks depend on are reported, and recoveries. */
export type OutageLogger = Pick<Logger, 'error' | 'log'>;

/**
 * Reports that something token checks depend on (a JWKS, an introspection endpoint, the DPoP replay store)
 * failed, once, with the reason and what it means for requests; and once that it is back. During an outage
 * every request fails the same way: logging each would flood the log at the clients' pace, and logging none
 * would leave operators with a wall of 401s and no cause.
 */
export class OutageLog {
  #failing = false;
  /** Whether the current outage was logged (and so its recovery will be). */
  #reported = false;
  #lastReportMs = Number.NEGATIVE_INFINITY;

  /** @param subject what is down, e.g. `JWKS https://…` (never a token: reasons are fixed sentences) */
  constructor(
    private readonly logger: OutageLogger | undefined,
    private readonly subject: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The dependency failed: logged unless an outage is already reported, or one was less than a minute ago. A
   * dependency that fails and recovers by turns (a full DPoP replay store letting one proof in per expiry, an
   * endpoint throttling some calls) then costs at most two lines a minute, however fast clients call.
   */
  failed(error: unknown, consequence: string): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#reported = this.now() - this.#lastReportMs >= QUIET_MS;
    if (!this.#reported) return;
    this.#lastReportMs = this.now();
    this.logger?.error(`${this.subject} is unavailable (${describeFailure(error)}); ${consequence}`);
  }

  /** The dependency answered: a recovery is logged if the outage was. */
  succeeded(): void {
    if (!this.#failing) return;
    this.#failing = false;
    if (this.#reported) this.logger?.log(`${this.subject} is reachable again`);
  }
}

/** How long after reporting an outage another one goes unreported. */
const QUIET_MS = 60_000;

/** A failure's reason for the log: `fetchJson`'s fixed sentence, or the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof FetchJsonError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}
