import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** One live MCP session and the identity it is bound to. */
export interface McpSession {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** `issuer` + `subject` (or client id) of the token that opened it. */
  owner: string;
  lastSeen: number;
}

/**
 * Live sessions by id. Idle ones are closed by `sweep()`; a session id alone never authenticates:
 * `get()` returns a session only to the owner that opened it.
 */
export class McpSessionStore {
  private readonly sessions = new Map<string, McpSession>();

  get size(): number {
    return this.sessions.size;
  }

  add(id: string, session: McpSession): void {
    this.sessions.set(id, session);
  }

  /** The session, if it exists and belongs to `owner`; touching it keeps it alive. */
  getOwned(id: string, owner: string): McpSession | undefined {
    const session = this.sessions.get(id);
    if (!session || session.owner !== owner) return undefined;
    session.lastSeen = Date.now();
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Closes sessions idle for longer than `idleMs`. */
  async sweep(idleMs: number, now = Date.now()): Promise<void> {
    const idle = [...this.sessions].filter(([, session]) => now - session.lastSeen > idleMs);
    for (const [id, session] of idle) {
      this.sessions.delete(id);
      await session.server.close().catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    await this.sweep(-1, Number.POSITIVE_INFINITY);
  }
}
