import type { ServerResponse } from 'node:http';
import type { TransportRefusal } from './streamable-http.checks.js';

/** Ends `response` with a JSON body (status and extra headers given), unless it was already answered. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** A transport-level refusal as the SDK's transport words it: a JSON-RPC error with `id: null`. */
export function sendRefusal(
  response: ServerResponse,
  refusal: TransportRefusal,
  headers?: Record<string, string>,
): void {
  sendJson(
    response,
    refusal.status,
    { jsonrpc: '2.0', error: { code: refusal.code, message: refusal.message }, id: null },
    headers,
  );
}
