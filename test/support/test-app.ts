import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { INestApplication, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import { McpAuthModule, type McpAuthModuleOptions, type ProtectedResourceOptions } from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import { createHttpAdapter, HTTP_ADAPTERS, type HttpAdapterName } from '../../src/http-adapter.js';
import { TestPrompts, TestResources } from './test-primitives.js';
import { TestTools, ToolProbe } from './test-tools.js';

/**
 * Every HTTP platform the end-to-end suites run on: a suite parameterised with
 * `for (const adapter of ADAPTERS) describe(...)` proves the same behaviour on each.
 */
export const ADAPTERS: readonly HttpAdapterName[] = HTTP_ADAPTERS;
export type { HttpAdapterName };

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

/** How a test app is set up besides the module options. */
export interface TestAppSetup {
  /** The HTTP platform (default Express). */
  adapter?: HttpAdapterName;
  /** Providers on top of the probe and the primitives. */
  providers?: unknown[];
  /** The port to listen on (default: a free one). */
  port?: number;
  /** The MCP primitives served (default: the test tools, resources and prompts). */
  primitives?: unknown[];
  /** HTTP controllers (default none). */
  controllers?: Type[];
}

/**
 * A Nest application of `module` on the named platform (or on an adapter built with options), as an application
 * would create it. `forceCloseConnections`: a client's idle keep-alive socket would otherwise hold `close()` for seconds.
 */
export function createNestApp(
  module: Type,
  adapter: HttpAdapterName | AbstractHttpAdapter = 'express',
  options: { abortOnError?: boolean } = {},
): Promise<INestApplication> {
  return NestFactory.create(module, typeof adapter === 'string' ? createHttpAdapter(adapter) : adapter, {
    logger: false,
    forceCloseConnections: true,
    ...options,
  });
}

/**
 * Boots a tiny app with `McpAuthModule` and the test primitives on a free port. The resource URL must name
 * the port, so the port is reserved first: `options(baseUrl)` builds the module options for it.
 */
export async function startTestApp(
  options: (baseUrl: string) => McpAuthModuleOptions,
  setup: TestAppSetup = {},
): Promise<TestApp> {
  const port = setup.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  @Module({
    imports: [McpAuthModule.forRoot(options(baseUrl))],
    providers: [
      ToolProbe,
      ...((setup.primitives ?? TEST_PRIMITIVES) as never[]),
      ...((setup.providers ?? []) as never[]),
    ],
    controllers: setup.controllers,
  })
  class TestAppModule {}
  const app = await createNestApp(TestAppModule, setup.adapter);
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

/** How `startAppWithIssuer` sets up its app. */
export interface AppWithIssuerSetup extends Omit<TestAppSetup, 'port' | 'providers'> {
  /** Options of the `/mcp` resource besides its URL and issuer (`scopesSupported`, `scopeHierarchy`...). */
  resource?: Omit<Partial<ProtectedResourceOptions>, 'resource' | 'authorizationServers'>;
  mcp?: McpAuthModuleOptions['mcp'];
}

/** Starts a local issuer and a test app whose single resource (`/mcp`) trusts it. */
export async function startAppWithIssuer(extra: AppWithIssuerSetup = {}): Promise<AppWithIssuer> {
  const issuer = await startLocalIssuer();
  const app = await startTestApp(
    (baseUrl) => ({
      resources: [{ ...extra.resource, resource: `${baseUrl}/mcp`, authorizationServers: [{ issuer: issuer.issuer }] }],
      mcp: extra.mcp,
    }),
    { adapter: extra.adapter, primitives: extra.primitives, controllers: extra.controllers },
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

/**
 * `startAppWithIssuer` for the enclosing `describe`: started before its tests, closed after them. Read `issuer`
 * and `app` in its tests and hooks (reading them earlier, while the suite is being declared, throws).
 */
export function appWithIssuerForSuite(extra: AppWithIssuerSetup = {}): Omit<AppWithIssuer, 'close'> {
  let started: AppWithIssuer | undefined;
  before(async () => {
    started = await startAppWithIssuer(extra);
  });
  after(() => started?.close());
  const current = () => started ?? assert.fail('the suite has not started its app yet (read it inside a test)');
  return {
    get issuer() {
      return current().issuer;
    },
    get app() {
      return current().app;
    },
  };
}
