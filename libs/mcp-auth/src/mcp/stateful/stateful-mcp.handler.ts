import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../../options/resolved-options.js';
import { routeCheckedMessagesDirectly } from '../direct-message-routing.js';
import { sendRefusal } from '../json-rpc-response.js';
import { McpServerFactory } from '../mcp-server.factory.js';
import type { McpHttpRequest, McpRequestHandler } from '../mcp-request.interface.js';
import { checkStatefulPost } from '../streamable-http.checks.js';
import { McpSessionStore } from './mcp-session.store.js';
import { type SessionOwner, sessionOwnerOf } from './session-owner.js';

const SESSION_NOT_FOUND = { status: 404, code: -32001, message: 'Session not found' };
const NO_OWNER = {
  status: 403,
  code: -32000,
  message: 'Forbidden: the access token names no subject or client, so it cannot own a session',
};

/**
 * Stateful Streamable HTTP on the SDK's own transport (SSE streams, resumable GET stream,
 * server-to-client requests). Each session is bound to the issuer, subject and client of the token that
 * created it: every request still carries and is checked for its own token, and a token of another owner
 * gets 404 for the session, exactly as for a session that does not exist. One owner holds at most
 * `mcp.maxSessionsPerSubject` sessions (the least recently used goes first), so nobody can fill the store.
 */
@Injectable()
export class StatefulMcpHandler implements McpRequestHandler, OnModuleDestroy {
  private readonly sessions: McpSessionStore;
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
    private readonly servers: McpServerFactory,
  ) {
    this.sessions = new McpSessionStore(options.mcp.maxSessionsPerSubject);
  }

  async handle(request: McpHttpRequest, response: ServerResponse): Promise<void> {
    const sessionId = request.headers['mcp-session-id'];
    // Without authentication (dangerouslyDisableAuthentication) everyone is the same anonymous owner.
    const owner = request.auth ? sessionOwnerOf(request.auth) : ANONYMOUS;
    hideCredentials(request);
    if (owner === undefined) return sendRefusal(response, NO_OWNER, undefined, request.body);
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
  private async openSession(request: McpHttpRequest, response: ServerResponse, owner: SessionOwner): Promise<void> {
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
    routeCheckedMessagesDirectly(server, transport);
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

const ANONYMOUS: SessionOwner = { issuer: '', subject: undefined, clientId: undefined };

/**
 * The SDK transport hands the request's headers to tools (`extra.requestInfo`); the token (already verified
 * and available as `authInfo.token`) and its DPoP proof are taken out, so a tool forwarding headers upstream
 * cannot pass them through.
 */
function hideCredentials(request: McpHttpRequest): void {
  delete request.headers.authorization;
  delete request.headers.dpop;
  const raw = request.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    const name = raw[i].toLowerCase();
    if (name === 'authorization' || name === 'dpop') raw.splice(i, 2);
  }
}
