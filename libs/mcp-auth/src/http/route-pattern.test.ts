import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpAdapterHost } from '@nestjs/core';
import { isRouterCaseSensitive, matchedRoutePattern } from './route-pattern.js';

const host = (httpAdapter: object) => ({ httpAdapter }) as unknown as HttpAdapterHost;

describe('matchedRoutePattern', () => {
  it("reads Express's matched route and Fastify's route options, never the URL", () => {
    assert.equal(matchedRoutePattern({ route: { path: '/api/:id' } }), '/api/:id');
    assert.equal(matchedRoutePattern({ routeOptions: { url: '/api/:id' } }), '/api/:id');
    assert.equal(matchedRoutePattern({}), undefined);
    assert.equal(matchedRoutePattern({ route: { path: /api/ } }), undefined);
  });
});

describe('isRouterCaseSensitive', () => {
  it("asks the adapter's route matching options first", () => {
    assert.equal(isRouterCaseSensitive(host({ getRouteMatchingOptions: () => ({ caseSensitive: true }) })), true);
    assert.equal(isRouterCaseSensitive(host({ getRouteMatchingOptions: () => ({ caseSensitive: false }) })), false);
  });

  it('reads the instance of an adapter that does not say: Express setting, Fastify 4 and 5 options', () => {
    const express = (on: boolean) => ({ getType: () => 'express', getInstance: () => ({ enabled: () => on }) });
    assert.equal(isRouterCaseSensitive(host(express(true))), true);
    assert.equal(isRouterCaseSensitive(host(express(false))), false);
    const fastify = (initialConfig: object) => ({ getType: () => 'fastify', getInstance: () => ({ initialConfig }) });
    assert.equal(isRouterCaseSensitive(host(fastify({}))), true, "Fastify's default");
    assert.equal(isRouterCaseSensitive(host(fastify({ caseSensitive: false }))), false);
    assert.equal(isRouterCaseSensitive(host(fastify({ routerOptions: { caseSensitive: false } }))), false);
  });

  it('is case-insensitive without an HTTP adapter (as Express, Nest’s default)', () => {
    assert.equal(isRouterCaseSensitive(undefined), false);
  });
});
