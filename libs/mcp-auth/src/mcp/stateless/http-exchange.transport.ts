import type { ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { sendJson } from '../json-rpc-response.js';

const STATELESS_REQUEST_ERROR = {
  code: -32600,
  message: 'Server-to-client requests need a stateful MCP session (mcp.mode: "stateful")',
};

/**
 * An SDK `Transport` for exactly one HTTP POST of the stateless mode.
 *
 * Answers with one JSON body when the handlers only return results, and switches to an SSE stream the
 * moment a handler sends something related to the request before its result (progress, logging,
 * a server-to-client request): streaming costs only the requests that need it.
 */
export class HttpExchangeTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  readonly sessionId = undefined;

  private readonly pending: Set<RequestId>;
  private readonly collected: JSONRPCMessage[] = [];
  private streaming = false;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    requestIds: RequestId[],
    /** A batch is answered with an array, a single message with an object. */
    private readonly batch: boolean,
  ) {
    this.pending = new Set(requestIds);
    // The client went away before the answer: abort the handlers (their `signal` fires).
    response.once('close', () => void this.close());
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) return;
    if ('result' in message || 'error' in message) {
      if (message.id === undefined || !this.pending.delete(message.id)) return;
      if (this.streaming) this.writeEvent(message);
      else this.collected.push(message);
      if (this.pending.size === 0) this.finish();
      return;
    }
    // Without a session, only messages tied to a request still being answered have somewhere to go.
    const related = options?.relatedRequestId;
    if (related === undefined || !this.pending.has(related)) return;
    if ('id' in message) {
      // A server-to-client request: the client's answer would arrive in another POST, at another server.
      // Fail it at once rather than let the tool wait for the SDK's request timeout.
      queueMicrotask(() => this.onmessage?.({ jsonrpc: '2.0', id: message.id, error: STATELESS_REQUEST_ERROR }));
      return;
    }
    if (!this.streaming) this.startStream();
    this.writeEvent(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  private startStream(): void {
    this.streaming = true;
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    for (const message of this.collected.splice(0)) this.writeEvent(message);
  }

  private writeEvent(message: JSONRPCMessage): void {
    this.response.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private finish(): void {
    // Done: detach without `onclose`. The SDK's close would abort the handlers' (already settled) signals,
    // building an AbortError and a ConnectionClosed error per request for nothing; the server is dropped anyway.
    this.closed = true;
    if (this.streaming) this.response.end();
    else sendJson(this.response, 200, this.batch ? this.collected : this.collected[0]);
  }
}
