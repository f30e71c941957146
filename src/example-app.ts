import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import type { ExampleConfig } from './example-config.js';
import { createHttpAdapter } from './http-adapter.js';

/** What `createExampleApp` needs at least; everything else has the defaults below. */
export type ExampleAppOptions = Pick<ExampleConfig, 'port' | 'issuer' | 'resourceUrl'> & Partial<ExampleConfig>;

/** Boots the example and listens; used by `main.ts`, the end-to-end tests and the benchmark. */
export async function createExampleApp(options: ExampleAppOptions): Promise<INestApplication> {
  const config: ExampleConfig = {
    host: '127.0.0.1',
    issuerType: 'oauth',
    httpAdapter: 'express',
    mode: 'stateless',
    allowedOrigins: [],
    authEnabled: true,
    logger: true,
    ...options,
  };
  // The same AppModule on either platform: nothing in it, nor in the library, is specific to one.
  const app = await NestFactory.create(AppModule.register(config), createHttpAdapter(config.httpAdapter), {
    logger: config.logger ? ['log', 'warn', 'error'] : false,
  });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  return app;
}
