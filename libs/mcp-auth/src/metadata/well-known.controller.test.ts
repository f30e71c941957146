import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/**
 * Request input never meets a super-linear regular expression. On these inputs a quadratic scan takes hours
 * (10^12 steps) and a linear one milliseconds; each scan runs in a child process that is killed after 10 s,
 * so a regression fails here instead of hanging the suite.
 */
function scanInChild(body: string): { status: number | null; output: string } {
  const imports = [
    `import { NotFoundException } from '@nestjs/common';`,
    `import { resolveOptions } from ${JSON.stringify(new URL('../options/resolve-options.js', import.meta.url).href)};`,
    `import { WellKnownController } from ${JSON.stringify(new URL('./well-known.controller.js', import.meta.url).href)};`,
    `import { extractCredentials } from ${JSON.stringify(new URL('../token/credentials.extractor.js', import.meta.url).href)};`,
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `${imports}\n${body}`], {
    timeout: 10_000,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Request input is scanned in linear time', () => {
  it('finds (or not) the metadata document of a path of a million slashes', () => {
    const { status, output } = scanInChild(`
      const controller = new WellKnownController(resolveOptions({
        resources: [{ resource: 'https://api.example.com/mcp', authorizationServers: [{ issuer: 'https://as.example' }] }],
      }));
      const slashes = '/'.repeat(1_000_000);
      const unknown = '/.well-known/oauth-protected-resource' + slashes + 'x';
      try { controller.metadata({ url: unknown, path: unknown }); process.exit(3); } catch (e) { if (!(e instanceof NotFoundException)) throw e; }
      const known = '/.well-known/oauth-protected-resource/mcp' + slashes;
      if (!controller.metadata({ url: known + '?q', path: known }).includes('"resource"')) process.exit(4);
    `);
    assert.equal(status, 0, output || 'killed after 10 s: the scan is not linear');
  });

  it('reads Authorization headers built to backtrack', () => {
    const { status, output } = scanInChild(`
      const n = 1_000_000;
      for (const authorization of ['Bearer ' + 'a'.repeat(n) + '!', 'Bearer' + ' '.repeat(n) + '!',
          'Bearer ' + '='.repeat(n) + 'a', 'B'.repeat(n) + ' x', 'DPoP ' + 'a'.repeat(n) + '!']) {
        try { extractCredentials({ headers: { authorization }, rawHeaders: ['Authorization', authorization], url: '/mcp' }); }
        catch { /* refused as malformed: fine, it answered */ }
      }
    `);
    assert.equal(status, 0, output || 'killed after 10 s: the scan is not linear');
  });
});
