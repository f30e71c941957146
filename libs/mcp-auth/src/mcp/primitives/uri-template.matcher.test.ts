import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RESOURCE_URI_LENGTH, UriTemplateMatcher } from './uri-template.matcher.js';

const match = (template: string, uri: string) => UriTemplateMatcher.compile(template).match(uri);

describe('UriTemplateMatcher', () => {
  it('matches the forms the MCP SDK supports, percent-decoding values', () => {
    assert.deepEqual(match('notes://{id}', 'notes://42'), { id: '42' });
    assert.deepEqual(match('test://template/{id}/data', 'test://template/123/data'), { id: '123' });
    assert.deepEqual(match('files://{+path}', 'files://a/b/c.txt'), { path: 'a/b/c.txt' });
    assert.deepEqual(match('docs://{name}.{ext}', 'docs://read.me.md'), { name: 'read', ext: 'me.md' });
    assert.deepEqual(match('docs://{name}.md', 'docs://read.me.md'), { name: 'read.me' });
    assert.deepEqual(match('repo://x{/owner}{/name}', 'repo://x/ada/notes'), { owner: 'ada', name: 'notes' });
    assert.deepEqual(match('search://q{?term,page}', 'search://q?page=2&term=a%20b'), { term: 'a b', page: '2' });
    assert.deepEqual(match('search://q{?term,page}', 'search://q'), {});
    assert.deepEqual(match('notes://{id}', 'notes://caf%C3%A9'), { id: 'café' });
  });

  it('does not match what the template does not describe', () => {
    assert.equal(match('notes://{id}', 'other://42'), undefined);
    assert.equal(match('notes://{id}', 'notes://'), undefined, 'empty value');
    assert.equal(match('notes://{id}', 'notes://a/b'), undefined, 'a simple value has no /');
    assert.equal(match('notes://{id}', 'notes://%E0%A4%A'), undefined, 'malformed escape');
    assert.equal(match('test://template/{id}/data', 'test://template/1/other'), undefined);
    assert.equal(match('search://q{?term}', 'search://q?other=1'), undefined, 'unknown parameter');
    assert.equal(match('search://q{?term}', 'search://q?term=1&term=2'), undefined, 'parameter twice');
  });

  it('does not match a URI over the length bound, however it starts', () => {
    const uri = `notes://${'1'.repeat(MAX_RESOURCE_URI_LENGTH)}`;
    assert.equal(match('notes://{id}', uri), undefined);
    assert.deepEqual(match('notes://{id}', uri.slice(0, MAX_RESOURCE_URI_LENGTH)), {
      id: '1'.repeat(MAX_RESOURCE_URI_LENGTH - 'notes://'.length),
    });
  });

  // Templates whose SDK regular expression backtracks polynomially (`([^/,]+)\.([^/,]+)`, `(.+)/(.+)`) on a long URI
  // that almost matches. This matcher scans once: these finish at once. The SDK's take seconds to minutes on the
  // same input (measured, not asserted here; a hang would fail the test through its timeout).
  for (const [template, uri] of [
    ['x://{a}.{b}.{c}/end', `x://${'.'.repeat(MAX_RESOURCE_URI_LENGTH - 10)}`],
    ['x://{+a}/{+b}/{+c}!', `x://${'/'.repeat(MAX_RESOURCE_URI_LENGTH - 5)}`],
    ['x://{a}-{b}-{c}-{d}', `x://${'-a'.repeat((MAX_RESOURCE_URI_LENGTH - 4) / 2)}/`],
  ]) {
    it(`scans an adversarial URI in one pass (${template})`, { timeout: 5000 }, () => {
      assert.equal(match(template, uri), undefined);
    });
  }

  it('refuses templates it could not match unambiguously, saying why', () => {
    const refusals: Array<[string, RegExp]> = [
      ['notes://{a}{b}', /nothing between them/],
      ['notes://{+a}{b}', /nothing between them/],
      ['notes://{a*}', /explode and prefix/],
      ['notes://{a:3}', /explode and prefix/],
      ['notes://{#a}', /fragment/],
      ['notes://{a,b}', /only query expressions/],
      ['notes://{?a}/more', /must end the template/],
      ['notes://{a}/{a}', /appears twice/],
      ['notes://{a', /without a matching "\}"/],
      ['notes://a}', /without a matching "\{"/],
      ['notes://fixed', /no \{variable\}/],
      ['notes://{a-b}', /not a variable name/],
    ];
    for (const [template, reason] of refusals)
      assert.throws(() => UriTemplateMatcher.compile(template), reason, template);
  });

  it('gives templates that match the same URIs the same shape', () => {
    assert.equal(UriTemplateMatcher.compile('notes://{id}').shape, UriTemplateMatcher.compile('notes://{x}').shape);
    assert.notEqual(UriTemplateMatcher.compile('notes://{id}').shape, UriTemplateMatcher.compile('notes://{+x}').shape);
  });
});
