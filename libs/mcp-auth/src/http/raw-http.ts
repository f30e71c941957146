import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as an HTTP adapter hands it over: Node's own (Express) or a wrapper holding it as `raw` (Fastify). */
export type AdapterRequest = IncomingMessage | { raw: IncomingMessage };

/** A response as an HTTP adapter hands it over: Node's own (Express) or a wrapper holding it as `raw` (Fastify). */
export type AdapterResponse = ServerResponse | { raw: ServerResponse };

/** Node's request behind an adapter's request object. */
export function rawRequest(request: AdapterRequest): IncomingMessage {
  return 'raw' in request && request.raw ? request.raw : (request as IncomingMessage);
}

/** Node's response behind an adapter's response object. */
export function rawResponse(response: AdapterResponse): ServerResponse {
  return 'raw' in response && response.raw ? response.raw : (response as ServerResponse);
}

/** The path of a request target (`/mcp?x=1` → `/mcp`), as the client sent it. */
export function requestPath(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
