import 'reflect-metadata';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { McpAuthModule } from 'nest-mcp-auth';
import { freePort, type LocalIssuer, startLocalIssuer } from 'nest-mcp-auth/testing';
import {
  CONFORMANCE_SCOPE,
  ConformancePrompts,
  ConformanceResources,
  ConformanceTools,
} from './conformance-primitives.js';
import { startTokenProxy, type TokenProxy } from './token-proxy.js';

/** The fixture the conformance suite runs against, and how to stop it. */
export interface ConformanceFixture {
  /** The MCP URL to give the suite: the token proxy's, which is also the resource (the tokens' audience). */
  mcpUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the conformance primitives in a plain Nest app with `McpAuthModule` (public API only), trusting a local
 * issuer, behind a proxy that adds a token carrying the fixture's scope. The proxy's URL is the protected
 * resource, as a gateway's would be: tokens name it as their audience, and it is the origin browsers see.
 */
export async function startConformanceFixture(mode: 'stateless' | 'stateful'): Promise<ConformanceFixture> {
  const issuer: LocalIssuer = await startLocalIssuer();
  const [appPort, proxyPort] = [await freePort(), await freePort()];
  const resource = `http://127.0.0.1:${proxyPort}/mcp`;

  @Module({
    imports: [
      McpAuthModule.forRoot({
        resources: [
          { resource, authorizationServers: [{ issuer: issuer.issuer }], scopesSupported: [CONFORMANCE_SCOPE] },
        ],
        mcp: { mode, serverInfo: { name: 'nest-mcp-auth-conformance', version: '1.0.0' } },
      }),
    ],
    providers: [ConformanceTools, ConformanceResources, ConformancePrompts],
  })
  class ConformanceModule {}

  const app: INestApplication = await NestFactory.create(ConformanceModule, { logger: false });
  await app.listen(appPort, '127.0.0.1');
  // Valid for the whole run (the suite takes well under a minute per mode).
  const token = await issuer.mint({
    sub: 'conformance-suite',
    aud: resource,
    scope: CONFORMANCE_SCOPE,
    client_id: 'conformance',
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  let proxy: TokenProxy;
  try {
    proxy = await startTokenProxy(new URL(`http://127.0.0.1:${appPort}`), token, proxyPort);
  } catch (error) {
    await app.close();
    await issuer.close();
    throw error;
  }
  return {
    mcpUrl: resource,
    close: async () => {
      await proxy.close();
      await app.close();
      await issuer.close();
    },
  };
}
