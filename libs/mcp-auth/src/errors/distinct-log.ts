import type { Logger } from '@nestjs/common';

/** Longest line logged; what comes after is cut (a message may quote a value a client sent). */
const MAX_LINE = 300;

/**
 * Logs each distinct message once. For problems every request would hit alike (a configuration found wrong
 * late, a scope function that throws, a key the issuer published broken), where a line per request would
 * flood the log at the clients' pace. A message may quote what a client sent, so lines are cut to 300
 * characters with control characters blanked (no forged log lines), and at most `limit` distinct lines are
 * ever written.
 */
export class DistinctLog {
  readonly #logged = new Set<string>();

  constructor(
    private readonly logger: Pick<Logger, 'error'> | undefined,
    private readonly limit = 100,
  ) {}

  error(message: string): void {
    const line = message.slice(0, MAX_LINE).replace(/\p{Cc}/gu, ' ');
    if (this.#logged.has(line) || this.#logged.size >= this.limit) return;
    this.#logged.add(line);
    this.logger?.error(message.length > MAX_LINE ? `${line}…` : line);
  }
}
