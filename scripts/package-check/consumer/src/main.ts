// The consumer project's check (scripts/check-package.mjs runs it after `tsc`): boots the app on
// 127.0.0.1 against a throw-away issuer from nest-mcp-auth/testing, then checks what a client meets
// first: the 401 challenge, the RFC 9728 metadata it points to, and a tool call with a token. On the platform
// named by the first argument: `express` (Nest's default adapter) or `fastify`; the app code is the same.
// No top-level await: the same file is also compiled as CommonJS (package.json "type": "commonjs"),
// where Node loads the ESM-only library and NestJS through require(esm).
import 'reflect-metadata';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { protectedResourceMetadataUrl } from 'nest-mcp-auth';
import { freePort, startLocalIssuer } from 'nest-mcp-auth/testing';
import { AppModule } from './app.module.js';

function check(condition: boolean, what: string, detail: unknown): void {
  if (!condition) throw new Error(`${what}: got ${JSON.stringify(detail)}`);
  console.log(`  ok  ${what}`);
}

async function main(): Promise<void> {
  const issuer = await startLocalIssuer();
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  const metadataUrl = protectedResourceMetadataUrl(resource);
  const platform = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const module = AppModule.register(resource, issuer.issuer);
  const logger: ('error' | 'warn')[] = ['error', 'warn'];
  const app: INestApplication =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger })
      : await NestFactory.create(module, { logger });
  await app.listen(port, '127.0.0.1');
  check(app.getHttpAdapter().getType() === platform, `runs on ${platform}`, app.getHttpAdapter().getType());
  try {
    const unauthenticated = await fetch(resource, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    check(unauthenticated.status === 401, 'no token: 401', unauthenticated.status);
    check(
      challenge.startsWith('Bearer ') && challenge.includes(`resource_metadata="${metadataUrl}"`),
      'no token: WWW-Authenticate Bearer with resource_metadata',
      challenge,
    );

    const metadataResponse = await fetch(metadataUrl);
    const metadata = (await metadataResponse.json()) as Record<string, unknown>;
    check(metadataResponse.status === 200, 'RFC 9728 metadata: 200', metadataResponse.status);
    check(metadata.resource === resource, 'RFC 9728 metadata: resource', metadata.resource);
    check(
      JSON.stringify(metadata.authorization_servers) === JSON.stringify([issuer.issuer]),
      'RFC 9728 metadata: authorization_servers',
      metadata.authorization_servers,
    );

    const token = await issuer.mint({ sub: 'consumer', aud: resource, scope: 'greetings:write' });
    const transport = new StreamableHTTPClientTransport(new URL(resource), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'package-check', version: '1.0.0' });
    await client.connect(transport);
    const result = await client.callTool({ name: 'greet', arguments: { name: 'npm' } });
    await client.close();
    const text = (result.content as { type: string; text?: string }[])[0]?.text;
    check(text === 'Hello npm, from consumer', 'tool call with a token (official SDK client)', result);
  } finally {
    await app.close();
    await issuer.close();
  }
}

// Every step talks to 127.0.0.1 only; this bounds the whole run.
const deadline = setTimeout(() => {
  console.error('consumer check: no result within 60 s');
  process.exit(1);
}, 60_000);
deadline.unref();
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
