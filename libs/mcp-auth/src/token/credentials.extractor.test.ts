import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';
import { credentialsScheme, extractCredentials } from './credentials.extractor.js';

const extractBearerToken = (request: IncomingMessage) => extractCredentials(request)?.token;

function request(headers: Array<[string, string]>, url = '/mcp'): IncomingMessage {
  const map: Record<string, string> = {};
  for (const [name, value] of headers) map[name.toLowerCase()] ??= value;
  return { headers: map, rawHeaders: headers.flat(), url } as unknown as IncomingMessage;
}

function refusal(headers: Array<[string, string]>, url?: string): string | undefined {
  try {
    extractCredentials(request(headers, url));
    return undefined;
  } catch (error) {
    assert.ok(error instanceof BearerAuthError);
    return error.bearerError;
  }
}

describe('extractCredentials', () => {
  it('reads the token, with the scheme in any case', () => {
    assert.equal(extractBearerToken(request([['Authorization', 'Bearer abc.def-ghi_~+/=']])), 'abc.def-ghi_~+/=');
    assert.equal(extractBearerToken(request([['authorization', 'bEaReR abc']])), 'abc');
  });

  it('treats no header, an empty header and other schemes as no credentials', () => {
    assert.equal(extractBearerToken(request([])), undefined);
    assert.equal(extractBearerToken(request([['Authorization', '']])), undefined);
    assert.equal(extractBearerToken(request([['Authorization', 'Basic dXNlcjpwYXNz']])), undefined);
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

  it('leaves the length to verification: a long token is extracted as it is', () => {
    assert.equal(extractBearerToken(request([['Authorization', `Bearer ${'a'.repeat(10_000)}`]]))?.length, 10_000);
  });

  it('reads DPoP credentials with every DPoP proof header, in any case', () => {
    assert.deepEqual(
      extractCredentials(
        request([
          ['Authorization', 'DPoP abc'],
          ['DPoP', 'proof'],
        ]),
      ),
      {
        scheme: 'dpop',
        token: 'abc',
        proofs: ['proof'],
      },
    );
    assert.deepEqual(
      extractCredentials(
        request([
          ['authorization', 'dpop abc'],
          ['dpop', 'one'],
          ['DPoP', 'two'],
        ]),
      ),
      { scheme: 'dpop', token: 'abc', proofs: ['one', 'two'] },
    );
    assert.deepEqual(extractCredentials(request([['Authorization', 'Bearer abc']])), {
      scheme: 'bearer',
      token: 'abc',
      proofs: [],
    });
    assert.equal(refusal([['Authorization', 'DPoP']]), 'invalid_request');
    assert.equal(refusal([['Authorization', 'DPoP a b']]), 'invalid_request');
  });

  it('names the scheme of any credentials, for the challenge', () => {
    assert.equal(credentialsScheme(request([['Authorization', 'DPoP abc']])), 'dpop');
    assert.equal(credentialsScheme(request([['Authorization', 'bearer abc def']])), 'bearer');
    assert.equal(credentialsScheme(request([['Authorization', 'Basic abc']])), undefined);
    assert.equal(credentialsScheme(request([['Authorization', 'DPoP']])), undefined);
    assert.equal(credentialsScheme(request([])), undefined);
  });
});
