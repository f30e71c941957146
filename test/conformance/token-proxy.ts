import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy and where to reach it. */
export interface TokenProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 that adds `Authorization: Bearer <token>` to every request without one and
 * forwards it, untouched otherwise (Host and Origin included, responses streamed), to `target`.
 *
 * The conformance CLI cannot send headers, yet the suite should run against the real guard rather than
 * `dangerouslyDisableAuthentication`: the proxy plays the part of an authorized client's transport.
 */
export async function startTokenProxy(target: URL, token: string, port: number): Promise<TokenProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, authorization: incoming.headers.authorization ?? `Bearer ${token}` };
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
