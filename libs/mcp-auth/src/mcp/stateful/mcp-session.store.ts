import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isSameOwner, ownerKey, type SessionOwner } from './session-owner.js';

/** One live MCP session and the identity it is bound to. */
export interface McpSession {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** The issuer, subject and client of the token that opened it. */
  owner: SessionOwner;
  lastSeen: number;
}

/**
 * Live sessions by id. Idle ones are closed by `sweep()`; a session id alone never authenticates:
 * `getOwned()` returns a session only to the owner that opened it. Each owner holds at most
 * `maxPerOwner` sessions: adding one more closes that owner's least recently used session.
 */
export class McpSessionStore {
  private readonly sessions = new Map<string, McpSession>();
  /** Session ids per owner key, least recently used first. */
  private readonly byOwner = new Map<string, Set<string>>();

  constructor(private readonly maxPerOwner: number) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Adds a session; when its owner would hold more than `maxPerOwner`, closes their least recently used one. */
  async add(id: string, session: McpSession): Promise<void> {
    const key = ownerKey(session.owner);
    let ids = this.byOwner.get(key);
    if (!ids) {
      ids = new Set();
      this.byOwner.set(key, ids);
    }
    ids.add(id);
    this.sessions.set(id, session);
    // Bounded: at most one eviction per session added.
    while (ids.size > this.maxPerOwner) await this.close(ids.values().next().value!);
  }

  /** The session, if it exists and belongs to `owner`; touching it keeps it alive. */
  getOwned(id: string, owner: SessionOwner): McpSession | undefined {
    const session = this.sessions.get(id);
    if (!session || !isSameOwner(session.owner, owner)) return undefined;
    session.lastSeen = Date.now();
    const ids = this.byOwner.get(ownerKey(owner))!;
    ids.delete(id);
    ids.add(id);
    return session;
  }

  delete(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const key = ownerKey(session.owner);
    const ids = this.byOwner.get(key);
    ids?.delete(id);
    if (ids?.size === 0) this.byOwner.delete(key);
  }

  /** Closes sessions idle for longer than `idleMs`. */
  async sweep(idleMs: number, now = Date.now()): Promise<void> {
    const idle = [...this.sessions].filter(([, session]) => now - session.lastSeen > idleMs);
    for (const [id] of idle) await this.close(id);
  }

  async closeAll(): Promise<void> {
    await this.sweep(-1, Number.POSITIVE_INFINITY);
  }

  private async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    this.delete(id);
    await session?.server.close().catch(() => undefined);
  }
}
