import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpAdapter, httpAdapterFromEnv } from './http-adapter.js';

describe('HTTP_ADAPTER', () => {
  it('defaults to Express and accepts fastify in any case', () => {
    assert.equal(httpAdapterFromEnv(undefined), 'express');
    assert.equal(httpAdapterFromEnv(''), 'express');
    assert.equal(httpAdapterFromEnv('Fastify'), 'fastify');
    assert.equal(createHttpAdapter('fastify').getType(), 'fastify');
    assert.equal(createHttpAdapter('express').getType(), 'express');
  });

  it('refuses a value it does not know, naming those it does, rather than quietly running Express', () => {
    assert.throws(() => httpAdapterFromEnv('fastfy'), /HTTP_ADAPTER must be one of express, fastify \(got "fastfy"\)/);
  });
});
