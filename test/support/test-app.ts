import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { McpAuthModule, type McpAuthModuleOptions } from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { TestPrompts, TestResources } from './test-primitives.js';
import { TestTools, ToolProbe } from './test-tools.js';

/** What a test app serves unless told otherwise: tools, resources, a template, prompts and completions. */
const TEST_PRIMITIVES: unknown[] = [TestTools, TestResources, TestPrompts];

/** A running test application and where to reach it. */
export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  mcpUrl: string;
  probe: ToolProbe;
  close(): Promise<void>;
}

/**
 * Boots a tiny app with `McpAuthModule` and the test primitives on a free port. The resource URL must name
 * the port, so the port is reserved first: `options(port)` builds the module options for it.
 */
export async function startTestApp(
  options: (baseUrl: string) => McpAuthModuleOptions,
  extraProviders: unknown[] = [],
  port?: number,
  primitives: unknown[] = TEST_PRIMITIVES,
): Promise<TestApp> {
  port ??= await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  @Module({
    imports: [McpAuthModule.forRoot(options(baseUrl))],
    providers: [ToolProbe, ...(primitives as never[]), ...(extraProviders as never[])],
  })
  class TestAppModule {}
  // forceCloseConnections: a client's idle keep-alive socket would otherwise hold close() for seconds.
  const app = await NestFactory.create(TestAppModule, { logger: false, forceCloseConnections: true });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    probe: app.get(ToolProbe),
    close: () => app.close(),
  };
}

/** A test app trusting one fresh local issuer, and both their lifetimes. */
export interface AppWithIssuer {
  issuer: LocalIssuer;
  app: TestApp;
  close(): Promise<void>;
}

/** Starts a local issuer and a test app whose single resource (`/mcp`) trusts it. */
export async function startAppWithIssuer(
  extra: {
    scopesSupported?: string[];
    initialScopes?: string[];
    mcp?: McpAuthModuleOptions['mcp'];
    primitives?: unknown[];
  } = {},
): Promise<AppWithIssuer> {
  const issuer = await startLocalIssuer();
  const app = await startTestApp(
    (baseUrl) => ({
      resources: [
        {
          resource: `${baseUrl}/mcp`,
          authorizationServers: [{ issuer: issuer.issuer }],
          scopesSupported: extra.scopesSupported,
          initialScopes: extra.initialScopes,
        },
      ],
      mcp: extra.mcp,
    }),
    [],
    undefined,
    extra.primitives,
  );
  return {
    issuer,
    app,
    close: async () => {
      await app.close();
      await issuer.close();
    },
  };
}
