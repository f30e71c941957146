import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { NotFoundException } from '@nestjs/common';
import { resolveOptions } from '../options/resolve-options.js';
import { createWellKnownController, wellKnownPaths } from './well-known.controller.js';

const issuer = { issuer: 'https://as.example' };
const oneResource = resolveOptions({
  resources: [{ resource: 'https://api.example.com/mcp', authorizationServers: [issuer] }],
});
const twoResources = resolveOptions({
  resources: [
    { resource: 'https://api.example.com/mcp', authorizationServers: [issuer] },
    { resource: 'https://api.example.com/api', authorizationServers: [issuer] },
  ],
});

describe('The metadata routes', () => {
  it("are each resource's path-suffixed well-known path, and the root one with exactly one resource", () => {
    assert.deepEqual(wellKnownPaths(oneResource), [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
    assert.deepEqual(wellKnownPaths(twoResources), [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource/api',
    ]);
  });

  it('serve the document of the route that matched (Express or Fastify), whatever URL the client sent', () => {
    const Controller = createWellKnownController();
    const controller = new Controller(twoResources) as { metadata(request: object): string };
    const express = { route: { path: '/.well-known/oauth-protected-resource/api' }, url: '/.WELL-KNOWN/x' };
    const fastify = { routeOptions: { url: '/.well-known/oauth-protected-resource/mcp' }, url: '/.well-known/x' };
    assert.equal(JSON.parse(controller.metadata(express)!).resource, 'https://api.example.com/api');
    assert.equal(JSON.parse(controller.metadata(fastify)!).resource, 'https://api.example.com/mcp');
  });

  it('fall back to the exact path where an adapter exposes no matched route, and 404 anything else', () => {
    const Controller = createWellKnownController();
    const controller = new Controller(twoResources) as { metadata(request: object): string };
    const api = controller.metadata({ url: '/.well-known/oauth-protected-resource/api?x' });
    assert.equal(JSON.parse(api).resource, 'https://api.example.com/api');
    for (const url of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/API']) {
      assert.throws(() => controller.metadata({ url }), NotFoundException, url);
    }
  });

  it('are fresh per module registration, so two registrations never share paths', () => {
    assert.notEqual(createWellKnownController(), createWellKnownController());
  });
});

/**
 * Request input never meets a super-linear regular expression. On these inputs a quadratic scan takes hours
 * (10^12 steps) and a linear one milliseconds; each scan runs in a child process that is killed after 10 s,
 * so a regression fails here instead of hanging the suite.
 */
function scanInChild(body: string): { status: number | null; output: string } {
  const imports = [
    `import { extractCredentials } from ${JSON.stringify(new URL('../token/credentials.extractor.js', import.meta.url).href)};`,
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `${imports}\n${body}`], {
    timeout: 10_000,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Request input is scanned in linear time', () => {
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
