import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchJsonError, type FetchJsonFailure, fetchJson } from './fetch-json.js';

/** What misbehaving authorization servers answer, one path each. */
const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  // Announces a body far over the limit, then never sends it: reading it would end in the timeout.
  '/announces-too-much': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
    response.flushHeaders();
  },
  '/not-utf8': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  },
  // Promises 100 bytes, sends 10, then drops the connection.
  '/cut-off': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    response.write('{"keys": [', () => response.socket?.destroy());
  },
  '/ok': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  },
};

describe('fetchJson against a misbehaving server', () => {
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((request, response) => {
      const route = routes[request.url ?? ''];
      if (route) route(request, response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const failure = async (path: string, failure: FetchJsonFailure, reason: RegExp) => {
    const error = await fetchJson(`${base}${path}`, { timeoutMs: 2000, maxBytes: 1024 }).then(
      () => assert.fail('expected a failure'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FetchJsonError, String(error));
    assert.equal(error.failure, failure);
    assert.match(error.reason, reason);
    assert.equal(error.url, `${base}${path}`);
  };

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    await failure('/announces-too-much', 'too-large', /larger than 1024 bytes/);
  });

  it('refuses a body that is not UTF-8', async () => {
    await failure('/not-utf8', 'not-json', /not UTF-8 JSON/);
  });

  it('reports a connection dropped in the middle of the body as a network error', async () => {
    await failure('/cut-off', 'network', /^network error/);
  });

  it('still reads a well-formed document from the same server', async () => {
    assert.deepEqual(await fetchJson(`${base}/ok`, { timeoutMs: 2000, maxBytes: 1024 }), { ok: true });
  });
});
