import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../auth/auth-info.interface.js';

/** A request as an HTTP adapter hands it over: Node's own (Express) or a wrapper holding it as `raw` (Fastify). */
export type AdapterRequest = IncomingMessage | { raw: IncomingMessage };

/**
 * A response as an HTTP adapter hands it over: Node's own (Express) or a wrapper holding it as `raw` (Fastify's
 * reply, which must be told with `hijack()` when a handler answers through `raw` itself).
 */
export type AdapterResponse = ServerResponse | { raw: ServerResponse; hijack?: () => unknown };

/** Node's request behind an adapter's request object. */
export function rawRequest(request: AdapterRequest): IncomingMessage {
  return 'raw' in request && request.raw ? request.raw : (request as IncomingMessage);
}

/** Node's response behind an adapter's response object. */
export function rawResponse(response: AdapterResponse): ServerResponse {
  return 'raw' in response && response.raw ? response.raw : (response as ServerResponse);
}

/**
 * Node's response, for a handler that answers it itself (status, headers, body or an SSE stream) whenever it
 * is ready. Fastify is told first (`reply.hijack()`): it would otherwise answer again, with an empty 200, as
 * soon as the handler's promise settles before the answer was written. Express leaves `@Res()` alone.
 */
export function takeOverResponse(response: AdapterResponse): ServerResponse {
  if ('hijack' in response && typeof response.hijack === 'function') response.hijack();
  return rawResponse(response);
}

/**
 * Attaches the verified identity where every reader finds it: on the adapter's request (`@Auth()`, the
 * exception filter) and on Node's request behind it, which is what Nest middleware (`McpAuthContext`) and the
 * MCP SDK's transport (`extra.authInfo`) hold on Fastify. On Express both are one object.
 */
export function attachAuth(request: AdapterRequest & { auth?: AuthInfo }, auth: AuthInfo): void {
  request.auth = auth;
  // Only when they differ: every Express request has a hidden class of its own, so each store is a slow one.
  const raw = rawRequest(request) as IncomingMessage & { auth?: AuthInfo };
  if (raw !== request) raw.auth = auth;
}

/**
 * Node's request carrying what the adapter parsed (the JSON body) and the identity the guard attached: what the
 * MCP handlers and the SDK's transport read. On Express that is the request Nest handed over.
 */
export function toNodeRequest<T extends IncomingMessage & { body?: unknown }>(
  request: AdapterRequest & { body?: unknown },
): T {
  const raw = rawRequest(request) as T;
  if (raw !== request) raw.body = request.body;
  return raw;
}

/** The path of a request target (`/mcp?x=1` → `/mcp`), as the client sent it. */
export function requestPath(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
