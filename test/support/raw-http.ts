import { request } from 'node:http';

/** The headers of an MCP POST as a raw list: a JSON body, and a JSON or event-stream answer accepted. */
export const MCP_HEADERS = ['Content-Type', 'application/json', 'Accept', 'application/json, text/event-stream'];
/** A JSON-RPC ping, as a raw body. */
export const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

/** What came back from a raw HTTP exchange. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A POST with headers given as a flat [name, value, name, value...] list, so a test can send what
 * fetch never would (two Authorization headers). Bounded by a timeout: a hang fails the test.
 */
export function rawPost(url: string, headers: string[], body: string, timeoutMs = 10_000): Promise<RawResponse> {
  return rawRequest('POST', url, ['Content-Length', String(Buffer.byteLength(body)), ...headers], body, timeoutMs);
}

/**
 * Any request, the path sent exactly as given (fetch and URL would normalise `//`, `%61` or letter case
 * away). A `Host` header is added unless `headers` has one. Each on a connection of its own: a server that
 * closes a connection without saying so (Fastify after a 431) must not fail the next request.
 */
export function rawRequest(
  method: string,
  url: string,
  headers: string[],
  body = '',
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2)) || `${pathname}${search}`;
    // With headers given as a list, Node adds no Host header itself (and a server refuses a request without one).
    const hasHost = headers.some((name, index) => index % 2 === 0 && name.toLowerCase() === 'host');
    const all = hasHost ? headers : ['Host', new URL(url).host, ...headers];
    const req = request({ method, hostname, port, path, headers: all, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
