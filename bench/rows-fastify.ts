// The rows on Fastify (`@nestjs/platform-fastify`): the library and the bare-NestJS ceiling measured on the
// same platform, beside their Express rows (1, 3, 5a). Same servers, same requests; only the adapter differs.
import { BENCH_SUBJECT } from './common.js';
import type { RowSpec } from './rows.js';

export const FASTIFY_ROWS: RowSpec[] = [
  {
    id: '1f',
    label: 'library app on Fastify, valid token',
    server: 'library-app',
    httpAdapter: 'fastify',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  {
    id: '3f',
    label: 'bare NestJS on Fastify POST route',
    server: 'bare-nest',
    httpAdapter: 'fastify',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  {
    id: '5af',
    label: 'library app on Fastify, no token',
    server: 'library-app',
    httpAdapter: 'fastify',
    auth: 'on',
    token: 'none',
    expectStatus: 401,
  },
];
