import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusalAnswer } from '../errors/challenge-answers.js';
import { sendJson } from '../mcp/json-rpc-response.js';
import { jsonAnswer } from './json-answer.js';

/** What `writeHead` and `end` were given, in order: the headers exactly as they go on the wire. */
function recordingResponse() {
  const written: { status?: number; headers?: object; body?: string } = {};
  const response = {
    headersSent: false,
    writeHead(status: number, headers: object) {
      Object.assign(written, { status, headers });
      return this;
    },
    end(body: string) {
      written.body = body;
    },
  };
  return { response: response as never, written };
}

describe('JSON answers', () => {
  it('puts the given headers first, then the content type and the byte length', () => {
    const answer = jsonAnswer(200, { text: 'é' }, { 'Retry-After': '30' });
    assert.equal(answer.body, '{"text":"é"}');
    assert.deepEqual(Object.entries(answer.headers), [
      ['Retry-After', '30'],
      ['Content-Type', 'application/json'],
      ['Content-Length', 13],
    ]);
  });

  it('answers a refusal as JSON no cache stores, frozen so it can be shared', () => {
    const answer = refusalAnswer(401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
    assert.deepEqual(Object.entries(answer.headers), [
      ['WWW-Authenticate', 'Bearer'],
      ['Cache-Control', 'no-store'],
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Content-Length', 24],
    ]);
    assert.ok(Object.isFrozen(answer) && Object.isFrozen(answer.headers));
  });

  it('writes a JSON-RPC answer with its own headers, without a cache directive', () => {
    const { response, written } = recordingResponse();
    sendJson(response, 503, { jsonrpc: '2.0' }, { 'Retry-After': '30' });
    assert.deepEqual(written, {
      status: 503,
      headers: { 'Retry-After': '30', 'Content-Type': 'application/json', 'Content-Length': 17 },
      body: '{"jsonrpc":"2.0"}',
    });
    assert.deepEqual(Object.keys(written.headers!), ['Retry-After', 'Content-Type', 'Content-Length']);
  });
});
