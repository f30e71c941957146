import { Injectable } from '@nestjs/common';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';

/** Most URIs one session may subscribe to: subscriptions are memory the client makes the server hold. */
const MAX_SUBSCRIPTIONS_PER_SESSION = 1000;

/**
 * Which stateful sessions subscribed to which resource URIs (`resources/subscribe`). A session's
 * subscriptions go with it when it closes (ended, idle, or the module shutting down).
 */
@Injectable()
export class McpResourceSubscriptions {
  private readonly byUri = new Map<string, Set<McpConnectionState>>();

  /** @throws McpError when the session already holds `MAX_SUBSCRIPTIONS_PER_SESSION` subscriptions. */
  subscribe(uri: string, session: McpConnectionState): void {
    session.subscriptions ??= new Set();
    const mine = session.subscriptions;
    if (mine.has(uri)) return;
    if (mine.size >= MAX_SUBSCRIPTIONS_PER_SESSION) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `At most ${MAX_SUBSCRIPTIONS_PER_SESSION} subscriptions per session`,
      );
    }
    mine.add(uri);
    let sessions = this.byUri.get(uri);
    if (!sessions) {
      sessions = new Set();
      this.byUri.set(uri, sessions);
    }
    sessions.add(session);
  }

  unsubscribe(uri: string, session: McpConnectionState): void {
    if (!session.subscriptions?.delete(uri)) return;
    const sessions = this.byUri.get(uri);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byUri.delete(uri);
  }

  /** Forgets every subscription of a closed session. */
  drop(session: McpConnectionState): void {
    for (const uri of [...(session.subscriptions ?? [])]) this.unsubscribe(uri, session);
  }

  /** The sessions subscribed to `uri`. */
  subscribers(uri: string): McpConnectionState[] {
    return [...(this.byUri.get(uri) ?? [])];
  }
}
