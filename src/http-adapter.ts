import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** The HTTP platforms the example (and the test suites and benchmark that boot it) run on. */
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;

/** `express` (Nest's default) or `fastify`. */
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

/**
 * The adapter named by `HTTP_ADAPTER` (unset: Express, Nest's default).
 *
 * @throws Error naming the accepted values, rather than quietly falling back to Express for a typo.
 */
export function httpAdapterFromEnv(value: string | undefined): HttpAdapterName {
  if (value === undefined || value === '') return 'express';
  const name = value.toLowerCase();
  if ((HTTP_ADAPTERS as readonly string[]).includes(name)) return name as HttpAdapterName;
  throw new Error(`HTTP_ADAPTER must be one of ${HTTP_ADAPTERS.join(', ')} (got "${value}")`);
}

/**
 * A fresh adapter for `NestFactory.create(module, adapter)`: exactly what an application on that platform
 * writes, with no option the library would need (it needs none).
 */
export function createHttpAdapter(name: HttpAdapterName): AbstractHttpAdapter {
  return name === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
}
