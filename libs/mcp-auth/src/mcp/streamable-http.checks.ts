import type { IncomingHttpHeaders } from 'node:http';
import { mediaTypeEssence } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { type JSONRPCMessage, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { isJsonRpcMessage } from './json-rpc-message.check.js';

/** A Streamable HTTP request the transport refuses before any JSON-RPC processing. */
export interface TransportRefusal {
  status: number;
  code: number;
  message: string;
  /** The JSON-RPC error's `data`, when there is something to add. */
  data?: unknown;
}

const MAX_BATCH_SIZE = 100;

/** Accept and Content-Type checks of a POST (Streamable HTTP §"Sending Messages to the Server"). */
export function checkPostHeaders(headers: IncomingHttpHeaders): TransportRefusal | undefined {
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return {
      status: 406,
      code: -32000,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    };
  }
  if (mediaTypeEssence(headers['content-type']) !== 'application/json') {
    return { status: 415, code: -32000, message: 'Unsupported Media Type: Content-Type must be application/json' };
  }
  return undefined;
}

/**
 * After initialization the client states its protocol version; one this server does not implement is refused
 * with 400 Bad Request, as the 2025-11-25 transport requires.
 *
 * That is also how a client of revision 2026-07-28 that probes first learns this server predates it: the
 * probe (`server/discover` with `MCP-Protocol-Version: 2026-07-28`) gets "a 4xx without a recognized modern
 * error body", upon which that revision's Backward Compatibility section tells the client to fall back to
 * `initialize`. So the error is never a modern one (no -32022 UnsupportedProtocolVersionError), echoes the id,
 * and for `server/discover` says "Method not found" (-32601): the method indeed does not exist here, and it is
 * the one code every SDK's fallback recognizes (some accept no other).
 */
export function checkProtocolVersion(headers: IncomingHttpHeaders, body?: unknown): TransportRefusal | undefined {
  const version = headers['mcp-protocol-version'];
  if (version === undefined || (typeof version === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(version))) {
    return undefined;
  }
  const supported = `supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`;
  const data = { supported: SUPPORTED_PROTOCOL_VERSIONS, requested: String(version).slice(0, 64) };
  if ((body as { method?: unknown } | null)?.method === 'server/discover') {
    return { status: 400, code: -32601, message: `Method not found: server/discover (${supported})`, data };
  }
  return { status: 400, code: -32600, message: `Bad Request: Unsupported protocol version (${supported})`, data };
}

/**
 * Stateful mode: what is refused before the SDK's transport sees a POST (it would answer with `id: null`), so
 * the refusal can echo the request's id. Initialize requests are left to the transport entirely.
 */
export function checkStatefulPost(
  headers: IncomingHttpHeaders,
  body: unknown,
  hasSession: boolean,
): TransportRefusal | undefined {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  if (messages.some((message) => (message as { method?: unknown } | null)?.method === 'initialize')) return undefined;
  const versionRefusal = checkProtocolVersion(headers, body);
  if (versionRefusal) return versionRefusal;
  if (!hasSession) {
    return { status: 400, code: -32000, message: 'Bad Request: Server not initialized (no Mcp-Session-Id)' };
  }
  return batchSizeRefusal(messages) ?? (hasDuplicates(requestIdsOf(messages)) ? DUPLICATE_REQUEST_IDS : undefined);
}

/** The refusal of a batch that uses one request id twice (see `hasDuplicates`). */
export const DUPLICATE_REQUEST_IDS: TransportRefusal = Object.freeze({
  status: 400,
  code: -32600,
  message: 'Invalid Request: duplicate request ids',
});

/**
 * Whether two requests of a batch share an id. JSON-RPC forbids it: their answers could not be told apart,
 * and what is kept per request id between the guard and the handlers (the arguments validated to decide the
 * scopes) could go to the wrong request, one tool then running with arguments another tool's schema accepted.
 * Both modes refuse such a batch (the SDK's stateful transport would take it).
 */
export function hasDuplicates(requestIds: readonly unknown[]): boolean {
  return requestIds.length > 1 && new Set(requestIds).size < requestIds.length;
}

/** The ids of the requests among messages not checked yet (what has both a `method` and an `id`). */
function requestIdsOf(messages: readonly unknown[]): unknown[] {
  const ids: unknown[] = [];
  for (const message of messages) {
    if (typeof message === 'object' && message !== null && 'method' in message && 'id' in message) ids.push(message.id);
  }
  return ids;
}

/** An empty batch, or one longer than `MAX_BATCH_SIZE`: refused in both modes. */
function batchSizeRefusal(messages: readonly unknown[]): TransportRefusal | undefined {
  if (messages.length > 0 && messages.length <= MAX_BATCH_SIZE) return undefined;
  return { status: 400, code: -32600, message: `Invalid Request: a batch holds 1 to ${MAX_BATCH_SIZE} messages` };
}

/** The parsed body as JSON-RPC messages, or the refusal for a body that is not one. */
export function parseMessages(body: unknown): JSONRPCMessage[] | TransportRefusal {
  const messages = Array.isArray(body) ? body : [body];
  const sizeRefusal = batchSizeRefusal(messages);
  if (sizeRefusal) return sizeRefusal;
  for (const message of messages) {
    if (!isJsonRpcMessage(message))
      return { status: 400, code: -32700, message: 'Parse error: Invalid JSON-RPC message' };
  }
  return messages as JSONRPCMessage[];
}

export function isRequest(
  message: JSONRPCMessage,
): message is JSONRPCMessage & { id: string | number; method: string } {
  return 'method' in message && 'id' in message;
}

export function isInitialize(message: JSONRPCMessage): boolean {
  return isRequest(message) && message.method === 'initialize';
}
