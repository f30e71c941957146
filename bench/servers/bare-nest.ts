// Rows 3 and 3f, the platform ceiling: a bare NestJS app (Express, or Fastify with BENCH_HTTP_ADAPTER) with one
// POST route returning JSON. Nest's default JSON body parser runs, as it does in every Nest app; nothing else does.
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHttpAdapter, httpAdapterFromEnv } from '../../src/http-adapter.js';
import { BENCH_SUBJECT, announceReady, readServerEnv } from '../common.js';

const RESULT = {
  jsonrpc: '2.0',
  id: 1,
  result: { content: [{ type: 'text', text: BENCH_SUBJECT }] },
};

@Controller()
class BareController {
  @Post('/mcp')
  @HttpCode(200)
  call(): typeof RESULT {
    return RESULT;
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

const env = readServerEnv();
const app = await NestFactory.create(
  BareModule,
  createHttpAdapter(httpAdapterFromEnv(process.env.BENCH_HTTP_ADAPTER)),
  {
    logger: false,
  },
);
await app.listen(Number(env.PORT), '127.0.0.1');
announceReady(Number(env.PORT));
