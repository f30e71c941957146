// Rows 1, 2 and 5 (and 1f, 5af on Fastify, BENCH_HTTP_ADAPTER): the example app built with this library
// (`src/example-app.ts`).
//
// Assumed contract (adjust here when the example app lands):
//   export function createExampleApp(options: {
//     port: number; issuer: string; resourceUrl: string; authEnabled: boolean; logger: false;
//     httpAdapter: 'express' | 'fastify';
//   }): Promise<INestApplication>   // already listening when it resolves
// serving stateless MCP at POST /mcp with a `whoami` tool that returns the token's subject as text
// ('anonymous' when authEnabled is false).
//
// The module is imported dynamically so this file compiles before src/example-app.ts exists; once it
// does, a static `import { createExampleApp } from '../../src/example-app.js'` works just as well.
//
// `tokenCache.maxEntries` is the bench's (BENCH_TOKEN_CACHE_MAX_ENTRIES), and BENCH_TOKEN_CACHE_TTL_MS (rows
// 1n, 7n) sets `tokenCache.ttlMs`. The example keeps its configuration to itself, so its call to
// `McpAuthModule.forRoot` is wrapped before it is loaded, and the options the module received are checked
// once it runs.
import type { INestApplication } from '@nestjs/common';
import { MCP_AUTH_MODULE_OPTIONS, McpAuthModule, type McpAuthModuleOptions } from 'nest-mcp-auth';
import { announceReady, BENCH_TOKEN_CACHE_MAX_ENTRIES, readServerEnv, type ServerSkipMessage } from '../common.js';

interface ExampleAppOptions {
  port: number;
  issuer: string;
  resourceUrl: string;
  authEnabled: boolean;
  logger: false;
  httpAdapter: 'express' | 'fastify';
}
type CreateExampleApp = (options: ExampleAppOptions) => Promise<INestApplication>;

// BENCH_EXAMPLE_APP (a file URL) swaps in another module with the same contract, to test the harness.
const EXAMPLE_APP_MODULE = process.env.BENCH_EXAMPLE_APP ?? '../../src/example-app.js';

function skip(reason: string): never {
  const message: ServerSkipMessage = { skip: true, reason };
  process.stdout.write(`${JSON.stringify(message)}\n`);
  process.exit(0);
}

const env = readServerEnv();
const tokenCacheTtlMs = process.env.BENCH_TOKEN_CACHE_TTL_MS ? Number(process.env.BENCH_TOKEN_CACHE_TTL_MS) : undefined;
// The cache size is the bench's (the pools are sized from it), the TTL the row's when it sets one.
const tokenCache = {
  maxEntries: BENCH_TOKEN_CACHE_MAX_ENTRIES,
  ...(tokenCacheTtlMs === undefined ? {} : { ttlMs: tokenCacheTtlMs }),
};
const forRoot = McpAuthModule.forRoot.bind(McpAuthModule);
McpAuthModule.forRoot = (options: McpAuthModuleOptions) =>
  forRoot({ ...options, tokenCache: { ...options.tokenCache, ...tokenCache } });

let createExampleApp: CreateExampleApp;
try {
  const loaded = (await import(EXAMPLE_APP_MODULE)) as { createExampleApp?: unknown };
  if (typeof loaded.createExampleApp !== 'function') skip('src/example-app.ts does not export createExampleApp');
  createExampleApp = loaded.createExampleApp as CreateExampleApp;
} catch (error) {
  skip(`src/example-app.ts failed to load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}

const port = Number(env.PORT);
const httpAdapter = process.env.BENCH_HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
const app = await createExampleApp({
  port,
  issuer: env.BENCH_ISSUER,
  resourceUrl: env.BENCH_RESOURCE,
  authEnabled: env.BENCH_AUTH === 'on',
  logger: false,
  httpAdapter,
});
// A row is only worth its label if the app really runs on that platform.
if (app.getHttpAdapter().getType() !== httpAdapter) skip(`the app runs on ${app.getHttpAdapter().getType()}`);
const received = app.get<McpAuthModuleOptions>(MCP_AUTH_MODULE_OPTIONS, { strict: false }).tokenCache;
if (received?.maxEntries !== tokenCache.maxEntries || received?.ttlMs !== tokenCacheTtlMs) {
  await app.close();
  skip(`tokenCache ${JSON.stringify(tokenCache)} did not reach the module (it got ${JSON.stringify(received)})`);
}
announceReady(port);
