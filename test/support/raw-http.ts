import { request } from 'node:http';

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
  return new Promise((resolve, reject) => {
    // With headers given as a list, Node adds no Host header itself (and a server refuses a request without one).
    const withHost = ['Host', new URL(url).host, 'Content-Length', String(Buffer.byteLength(body)), ...headers];
    const req = request(url, { method: 'POST', headers: withHost, timeout: timeoutMs }, (res) => {
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
