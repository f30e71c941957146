import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../../options/resolved-options.js';
import { sendRefusal } from '../json-rpc-response.js';
import { McpServerFactory } from '../mcp-server.factory.js';
import type { McpHttpRequest, McpRequestHandler } from '../mcp-request.interface.js';
import { checkStatefulPost } from '../streamable-http.checks.js';
import { McpSessionStore } from './mcp-session.store.js';

const SESSION_NOT_FOUND = { status: 404, code: -32001, message: 'Session not found' };

/**
 * Stateful Streamable HTTP on the SDK's own transport (SSE streams, resumable GET stream,
 * server-to-client requests). Each session is bound to the issuer and subject of the token that
 * created it: every request still carries and is checked for its own token, and a token of another
 * subject gets 404 for the session, exactly as for a session that does not exist.
 */
@Injectable()
export class StatefulMcpHandler implements McpRequestHandler, OnModuleDestroy {
  private readonly sessions = new McpSessionStore();
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly servers: McpServerFactory,
  ) {}

  async handle(request: McpHttpRequest, response: ServerResponse): Promise<void> {
    const sessionId = request.headers['mcp-session-id'];
    const owner = sessionOwner(request.auth);
    hideCredentials(request);
    if (request.method === 'POST') {
      const refusal = checkStatefulPost(request.headers, request.body, typeof sessionId === 'string');
      if (refusal) return sendRefusal(response, refusal, undefined, request.body);
    }
    if (typeof sessionId === 'string') {
      const session = this.sessions.getOwned(sessionId, owner);
      if (!session) return sendRefusal(response, SESSION_NOT_FOUND, undefined, request.body);
      return session.transport.handleRequest(request, response, request.body);
    }
    if (request.method !== 'POST') {
      return sendRefusal(response, {
        status: 400,
        code: -32000,
        message: 'Bad Request: Mcp-Session-Id header is required',
      });
    }
    if (this.sessions.size >= this.options.mcp.maxSessions) {
      return sendRefusal(
        response,
        { status: 503, code: -32000, message: 'Too many sessions, try again later' },
        { 'Retry-After': '30' },
      );
    }
    return this.openSession(request, response, owner);
  }

  /** A POST without a session id: the SDK transport accepts it only if it is an initialize request. */
  private async openSession(request: McpHttpRequest, response: ServerResponse, owner: string): Promise<void> {
    this.startSweeper();
    const server = this.servers.create();
    const transport = new StreamableHTTPServerTransport({
      // Cryptographically random, as the spec requires.
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => this.sessions.add(id, { transport, server, owner, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
    if (!transport.sessionId) await server.close();
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    const idleMs = this.options.mcp.sessionIdleTimeoutMs;
    this.sweeper = setInterval(() => void this.sessions.sweep(idleMs), Math.min(idleMs / 2, 60_000));
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sessions.closeAll();
  }
}

/** Who a session belongs to: the token's issuer and subject (or client id, for client-credentials tokens). */
function sessionOwner(auth: AuthInfo | undefined): string {
  if (!auth) return 'anonymous';
  return `${auth.issuer}\n${auth.subject ?? `client:${auth.clientId}`}`;
}

/**
 * The SDK transport hands the request's headers to tools (`extra.requestInfo`); the token, already verified
 * and available as `authInfo.token`, is taken out so a tool forwarding headers upstream cannot pass it through.
 */
function hideCredentials(request: McpHttpRequest): void {
  delete request.headers.authorization;
  const raw = request.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i].toLowerCase() === 'authorization') raw.splice(i, 2);
  }
}
