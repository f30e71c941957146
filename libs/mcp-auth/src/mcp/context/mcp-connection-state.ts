import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

const SEVERITY: Readonly<Record<LoggingLevel, number>> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

/**
 * What one SDK `Server` remembers about its client: a whole session in stateful mode, a single POST in
 * stateless mode (where nothing outlives the request).
 */
export class McpConnectionState {
  /** Set by `logging/setLevel`; until then every log message is sent. */
  logLevel: LoggingLevel | undefined = undefined;
  /** The resource URIs this session subscribed to (stateful mode only). */
  subscriptions: Set<string> | undefined = undefined;

  constructor(
    readonly server: Server,
    readonly stateful: boolean,
  ) {}

  /** Whether a message at `level` is below the level the client asked for. */
  ignores(level: LoggingLevel): boolean {
    return this.logLevel !== undefined && SEVERITY[level] < SEVERITY[this.logLevel];
  }
}
