import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { extractBearerToken } from './bearer-token.extractor.js';

function request(headers: Array<[string, string]>, url = '/mcp'): IncomingMessage {
  const map: Record<string, string> = {};
  for (const [name, value] of headers) map[name.toLowerCase()] ??= value;
  return { headers: map, rawHeaders: headers.flat(), url } as unknown as IncomingMessage;
}

function refusal(headers: Array<[string, string]>, url?: string): string | undefined {
  try {
    extractBearerToken(request(headers, url), 100);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof BearerAuthError);
    return error.bearerError;
  }
}

describe('extractBearerToken', () => {
  it('reads the token, with the scheme in any case', () => {
    assert.equal(extractBearerToken(request([['Authorization', 'Bearer abc.def-ghi_~+/=']]), 100), 'abc.def-ghi_~+/=');
    assert.equal(extractBearerToken(request([['authorization', 'bEaReR abc']]), 100), 'abc');
  });

  it('treats no header, an empty header and other schemes as no credentials', () => {
    assert.equal(extractBearerToken(request([]), 100), undefined);
    assert.equal(extractBearerToken(request([['Authorization', '']]), 100), undefined);
    assert.equal(extractBearerToken(request([['Authorization', 'Basic dXNlcjpwYXNz']]), 100), undefined);
  });

  it('refuses malformed bearer credentials as invalid_request', () => {
    assert.equal(refusal([['Authorization', 'Bearer']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'Bearer ']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'Bearer a b']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'Bearer abc ']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'Bearer a"b']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'Bearer=abc']]), 'invalid_request');
    assert.equal(refusal([['Authorization', ' Bearer abc']]), 'invalid_request');
  });

  it('refuses two Authorization headers', () => {
    assert.equal(
      refusal([
        ['Authorization', 'Bearer a'],
        ['authorization', 'Bearer b'],
      ]),
      'invalid_request',
    );
  });

  it('refuses tokens in the query string even with a valid header', () => {
    assert.equal(refusal([['Authorization', 'Bearer a']], '/mcp?access_token=abc'), 'invalid_request');
    assert.equal(refusal([], '/mcp?x=1&access_token=abc'), 'invalid_request');
  });

  it('refuses a token longer than the limit as invalid_token', () => {
    assert.equal(refusal([['Authorization', `Bearer ${'a'.repeat(101)}`]]), 'invalid_token');
    assert.equal(refusal([['Authorization', `Bearer ${'a'.repeat(100)}`]]), undefined);
  });
});
