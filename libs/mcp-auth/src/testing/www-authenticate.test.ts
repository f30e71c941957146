import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('splits several challenges and unescapes quoted values', () => {
    assert.deepEqual(
      parseWwwAuthenticate(
        'Bearer error="insufficient_scope", error_description="say \\"hi\\"", scope="a b", DPoP algs="ES256 PS256"',
      ),
      [
        { scheme: 'Bearer', params: { error: 'insufficient_scope', error_description: 'say "hi"', scope: 'a b' } },
        { scheme: 'DPoP', params: { algs: 'ES256 PS256' } },
      ],
    );
  });

  it('reads a challenge without parameters and an empty header', () => {
    assert.deepEqual(parseWwwAuthenticate('Bearer'), [{ scheme: 'Bearer', params: {} }]);
    assert.deepEqual(parseWwwAuthenticate(''), []);
  });
});
