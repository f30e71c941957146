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

  /** @param subject what is down, e.g. `JWKS https://…` (never a token: reasons are fixed sentences) */
  constructor(
    private readonly logger: OutageLogger | undefined,
    private readonly subject: string,
  ) {}

  /** The dependency failed: logged unless an outage is already reported. */
  failed(error: unknown, consequence: string): void {
    if (this.#failing) return;
    this.#failing = true;
    this.logger?.error(`${this.subject} is unavailable (${describeFailure(error)}); ${consequence}`);
  }

  /** The dependency answered: a recovery is logged if an outage was reported. */
  succeeded(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.logger?.log(`${this.subject} is reachable again`);
  }
}

/** A failure's reason for the log: `fetchJson`'s fixed sentence, or the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof FetchJsonError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}
