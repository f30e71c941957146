import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import { Logger, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthorizationServerDiscoveryError, BearerAuthError } from '../errors/mcp-auth.errors.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type {
  ResolvedAuthorizationServer,
  ResolvedMcpAuthOptions,
  ResolvedResource,
} from '../options/resolved-options.js';
import { startLocalIssuer, type LocalIssuer } from '../testing/local-issuer.js';
import { resolveOptions } from '../options/resolve-options.js';
import { JwtTokenVerifier } from './jwt-token.verifier.js';
import { TokenVerificationService } from './token-verification.service.js';
import { expectInvalid } from '../test-support/expect-invalid-token.js';

const NOTES = 'http://localhost:3000/mcp';
const OTHER = 'http://localhost:3000/other';

function resource(url: string, servers: ResolvedAuthorizationServer[]): ResolvedResource {
  const path = new URL(url).pathname;
  return {
    resource: url,
    resourcePath: path,
    metadataUrl: `http://localhost:3000/.well-known/oauth-protected-resource${path}`,
    metadataPath: `/.well-known/oauth-protected-resource${path}`,
    authorizationServers: servers,
    scopesSupported: [],
    requiredScopes: [],
    metadataExtras: {},
    audience: [url],
    dpopRequired: false,
    initialScopes: [],
    scopeHierarchy: undefined,
  };
}

function options(
  resources: ResolvedResource[],
  mode: 'eager' | 'lazy' = 'lazy',
  retryAfterMs = 10_000,
): ResolvedMcpAuthOptions {
  return {
    resources,
    algorithms: ['ES256', 'RS256'],
    clockToleranceSeconds: 5,
    requireAccessTokenType: false,
    scopeClaim: undefined,
    maxTokenLength: 8192,
    discovery: { mode, timeoutMs: 1000, retryAfterMs },
    jwks: { timeoutMs: 1000, cooldownMs: 30_000, maxAgeMs: 600_000 },
    tokenCache: { ttlMs: 60_000, maxEntries: 100 },
    challengeScopes: 'by-protocol-version',
    dpop: resolveOptions({ resources: [{ resource: NOTES, authorizationServers: [{ issuer: NOTES }] }] }).dpop,
    // Not read by the token layer.
    mcp: {} as ResolvedMcpAuthOptions['mcp'],
  };
}

const jwt = (issuer: LocalIssuer): ResolvedAuthorizationServer => ({
  issuer: issuer.issuer,
  type: 'oauth',
  verifier: 'jwt',
});

/** A local introspection endpoint that calls every token active and counts calls. */
async function startIntrospection(): Promise<{ endpoint: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      calls.push(new URLSearchParams(body).get('token') ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ active: true, aud: NOTES, exp: Math.floor(Date.now() / 1000) + 60, scope: 'opaque' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('TokenVerificationService', () => {
  let trusted: LocalIssuer;
  let second: LocalIssuer;
  let untrusted: LocalIssuer;
  let introspection: Awaited<ReturnType<typeof startIntrospection>>;
  const logs: { level: string; message: string }[] = [];
  const record = (level: string) => (message: unknown) => void logs.push({ level, message: String(message) });
  const recorder: LoggerService = { log: record('log'), error: record('error'), warn: record('warn') };

  before(async () => {
    [trusted, second, untrusted, introspection] = await Promise.all([
      startLocalIssuer({ issuerPath: '/tenant' }),
      startLocalIssuer(),
      startLocalIssuer(),
      startIntrospection(),
    ]);
  });
  beforeEach(() => {
    // Set before each test: booting a Nest testing module replaces the logger.
    Logger.overrideLogger(recorder);
    logs.length = 0;
    introspection.calls.length = 0;
    for (const issuer of [trusted, second, untrusted]) Object.assign(issuer.requests, { discovery: 0, jwks: 0 });
  });
  afterEach(() => trusted.setDiscoveryAvailable(true));
  after(async () => {
    Logger.overrideLogger(true);
    await Promise.all([trusted.close(), second.close(), untrusted.close(), introspection.close()]);
  });

  it('verifies a JWT from a trusted issuer, discovering lazily once for concurrent first uses', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    await service.onModuleInit();
    assert.equal(trusted.requests.discovery, 0, 'lazy: nothing fetched at boot');
    const token = await trusted.mint({ aud: NOTES, sub: 'alice', scope: 'notes:read' });
    const results = await Promise.all(Array.from({ length: 20 }, () => service.verify(token, notes)));
    assert.deepEqual(results[0]!.scopes, ['notes:read']);
    assert.equal(results[0]!.subject, 'alice');
    assert.equal(trusted.requests.discovery, 1);
    assert.equal(trusted.requests.jwks, 1);
    assert.equal(service.jwksFetchCount(), 1);
  });

  it('verifies a reused token twice and a retried expired one once, each answer a fresh copy', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    await service.onModuleInit();
    const verify = mock.method(JwtTokenVerifier.prototype, 'check');
    try {
      const token = await trusted.mint({ aud: NOTES, sub: 'alice', scope: 'notes:read' });
      const first = await service.verify(token, notes);
      const second = await service.verify(token, notes);
      assert.equal(verify.mock.callCount(), 2, 'a token is remembered from its second verification');
      const third = await service.verify(token, notes);
      assert.equal(verify.mock.callCount(), 2, 'then reused without verification');
      assert.notEqual(second, third, 'each request gets its own AuthInfo');
      assert.deepEqual({ ...third }, { ...first });
      assert.equal(third.token, token);
      const expired = await trusted.mint({ aud: NOTES, sub: 'alice', exp: Math.floor(Date.now() / 1000) - 600 });
      await assert.rejects(service.verify(expired, notes), BearerAuthError);
      await assert.rejects(service.verify(expired, notes), BearerAuthError);
      assert.equal(verify.mock.callCount(), 3, 'the expired token was checked once');
    } finally {
      verify.mock.restore();
    }
  });

  it('rejects an untrusted issuer without any network call', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    const forged = await untrusted.mint({ aud: NOTES });
    await expectInvalid(service.verify(forged, notes), 'The access token issuer is not trusted');
    for (const issuer of [trusted, untrusted]) assert.deepEqual(issuer.requests, { discovery: 0, jwks: 0 });
  });

  it('routes by iss to the matching one of several issuers only', async () => {
    const notes = resource(NOTES, [jwt(trusted), jwt(second)]);
    const service = new TokenVerificationService(options([notes]));
    await service.verify(await second.mint({ aud: NOTES }), notes);
    assert.deepEqual(trusted.requests, { discovery: 0, jwks: 0 });
    assert.deepEqual(second.requests, { discovery: 1, jwks: 1 });
  });

  it('shares one JWKS cache between resources but checks each audience', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const other = resource(OTHER, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes, other]));
    const token = await trusted.mint({ aud: NOTES });
    await service.verify(token, notes);
    await expectInvalid(service.verify(token, other), 'The access token audience is not this resource');
    await service.verify(await trusted.mint({ aud: OTHER }), other);
    assert.equal(service.jwksFetchCount(), 1);
    assert.equal(trusted.requests.discovery, 1);
  });

  it('answers 401 while lazy discovery fails, remembers the failure, and retries later', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes], 'lazy', 100));
    const token = await trusted.mint({ aud: NOTES });
    trusted.setDiscoveryAvailable(false);
    const error = await expectInvalid(service.verify(token, notes), 'The authorization server is unavailable');
    assert.ok(error.cause instanceof AuthorizationServerDiscoveryError);
    await expectInvalid(service.verify(token, notes), 'The authorization server is unavailable');
    assert.equal(trusted.requests.discovery, 1, 'the failure is remembered for retryAfterMs');
    assert.equal(logs.filter((log) => log.level === 'error').length, 1);
    assert.ok(logs[0]!.message.includes(trusted.metadataUrl), 'the log names the URL');
    trusted.setDiscoveryAvailable(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await service.verify(token, notes);
    assert.equal(trusted.requests.discovery, 2, 'not cached forever');
  });

  it('fails an eager boot with an error naming the URL', async () => {
    trusted.setDiscoveryAvailable(false);
    const service = new TokenVerificationService(options([resource(NOTES, [jwt(trusted)])], 'eager'));
    await assert.rejects(service.onModuleInit(), (error: unknown) => {
      assert.ok(error instanceof AuthorizationServerDiscoveryError);
      assert.ok(error.message.includes(`${trusted.metadataUrl}: HTTP 503`), error.message);
      return true;
    });
  });

  it('boots eagerly through Nest and verifies without further discovery', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: MCP_AUTH_RESOLVED_OPTIONS, useValue: options([notes], 'eager') },
        TokenVerificationService,
      ],
    }).compile();
    await moduleRef.init();
    try {
      assert.equal(trusted.requests.discovery, 1);
      await moduleRef.get(TokenVerificationService).verify(await trusted.mint({ aud: NOTES }), notes);
      assert.equal(trusted.requests.discovery, 1);
    } finally {
      await moduleRef.close();
    }
  });

  it('sends opaque tokens (and JWTs without iss) to the introspecting server, JWTs by iss elsewhere', async () => {
    const introspecting: ResolvedAuthorizationServer = {
      issuer: 'https://opaque.example',
      type: 'oauth',
      verifier: {
        type: 'introspection',
        endpoint: introspection.endpoint,
        clientId: 'rs',
        clientSecret: 's',
        clientAuthMethod: 'client_secret_basic',
        cacheTtlMs: 60_000,
        inactiveCacheTtlMs: 5000,
        cacheMaxEntries: 10,
        maxConcurrentRequests: 16,
      },
    };
    const notes = resource(NOTES, [jwt(trusted), introspecting]);
    const service = new TokenVerificationService(options([notes]));
    const auth = await service.verify('opaque-token-value', notes);
    assert.equal(auth.issuer, 'https://opaque.example');
    assert.deepEqual(auth.scopes, ['opaque']);
    const withoutIss = await trusted.mint({ aud: NOTES, iss: undefined });
    await service.verify(withoutIss, notes);
    await service.verify(await trusted.mint({ aud: NOTES }), notes);
    assert.deepEqual(introspection.calls, ['opaque-token-value', withoutIss]);
  });

  it('rejects an opaque token when no server can take it, without network', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    await expectInvalid(
      service.verify('opaque-token-value', notes),
      'The access token is not a JWT from a trusted issuer',
    );
    assert.deepEqual(trusted.requests, { discovery: 0, jwks: 0 });
  });

  it('answers 401 when a lazily discovered server has no introspection endpoint', async () => {
    const server: ResolvedAuthorizationServer = {
      issuer: trusted.issuer,
      type: 'oauth',
      verifier: {
        type: 'introspection',
        endpoint: '',
        clientId: 'rs',
        clientSecret: 's',
        clientAuthMethod: 'client_secret_post',
        cacheTtlMs: 0,
        inactiveCacheTtlMs: 5000,
        cacheMaxEntries: 1,
        maxConcurrentRequests: 16,
      },
    };
    const notes = resource(NOTES, [server]);
    const service = new TokenVerificationService(options([notes]));
    await expectInvalid(service.verify('opaque-token-value', notes), 'The access token could not be verified');
    assert.match(logs.find((log) => log.level === 'error')!.message, /introspection_endpoint/);
  });

  describe('custom verifiers', () => {
    const serviceWith = (verify: ResolvedAuthorizationServer['verifier']) => {
      const notes = resource(NOTES, [{ issuer: 'https://custom.example', type: 'oauth', verifier: verify }]);
      return { notes, service: new TokenVerificationService(options([notes])) };
    };
    const answer =
      (overrides: Record<string, unknown> = {}) =>
      async (token: string) =>
        ({
          token,
          clientId: 'c',
          scopes: ['s'],
          audience: [NOTES],
          issuer: 'https://custom.example',
          claims: {},
          ...overrides,
        }) as never;

    it('are called and their result re-wrapped', async () => {
      const { notes, service } = serviceWith(answer());
      const auth = await service.verify('custom-token', notes);
      assert.deepEqual(auth.scopes, ['s']);
      assert.equal(auth.token, 'custom-token');
      assert.ok(!JSON.stringify(auth).includes('custom-token'));
    });

    it('are held to the audience and expiry', async () => {
      const wrongAudience = serviceWith(answer({ audience: ['https://elsewhere'] }));
      await expectInvalid(
        wrongAudience.service.verify('t', wrongAudience.notes),
        'The access token audience is not this resource',
      );
      const expired = serviceWith(answer({ expiresAt: Math.floor(Date.now() / 1000) - 60 }));
      await expectInvalid(expired.service.verify('t', expired.notes), 'The access token expired');
    });

    it('that throw give a generic invalid_token', async () => {
      const { notes, service } = serviceWith(async () => {
        throw new Error('database password is hunter2');
      });
      const error = await expectInvalid(service.verify('t', notes), 'The access token is invalid');
      assert.ok(!error.message.includes('hunter2'));
    });
  });

  it('warns once per boot about a resource without audience check', async () => {
    const service = new TokenVerificationService(
      options([{ ...resource(NOTES, [jwt(trusted)]), audience: undefined }, resource(OTHER, [jwt(trusted)])]),
    );
    await service.onModuleInit();
    const warnings = logs.filter((log) => log.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]!.message.includes(NOTES));
  });

  it('rejects tokens longer than maxTokenLength without network', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    await expectInvalid(service.verify('x'.repeat(8193), notes), 'The access token is too long');
    assert.deepEqual(trusted.requests, { discovery: 0, jwks: 0 });
  });

  it('remembers forged tokens by a 32-character digest and one shared error, never the token itself', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    const genuine = await trusted.mint({ aud: NOTES, sub: 'alice', pad: 'x'.repeat(5000) });
    const [header, payload] = genuine.split('.');
    // Distinct 7 KB forgeries: a valid header and payload under random signatures.
    const forgeries = Array.from(
      { length: 20 },
      () => `${header}.${payload}.${randomBytes(256).toString('base64url')}`,
    );
    const errors: BearerAuthError[] = [];
    for (const forgery of forgeries) {
      errors.push(
        await service.verify(forgery, notes).then(
          () => assert.fail('accepted'),
          (error: BearerAuthError) => error,
        ),
      );
    }
    for (const forgery of forgeries) {
      errors.push(
        await service.verify(forgery, notes).then(
          () => assert.fail('accepted'),
          (error: BearerAuthError) => error,
        ),
      );
    }
    const caches = (service as unknown as { resultCaches: Map<unknown, { rejected: { keys(): string[] } }> })
      .resultCaches;
    const keys = [...caches.values()][0]!.rejected.keys();
    assert.ok(forgeries.every((forgery) => forgery.length > 7000));
    assert.equal(keys.length, 20);
    assert.ok(keys.every((key) => key.length === 32 && !forgeries.includes(key)));
    // Every refusal, the first ones and the replays answered from the cache, is one shared error object, and
    // nothing in it (its cause included) comes from a token.
    assert.ok(errors.every((error) => error === errors[0]));
    const described = inspect(errors[0], { depth: null, showHidden: true });
    assert.ok(!described.includes(payload!));
    assert.ok(forgeries.every((forgery) => !described.includes(forgery.split('.')[2]!)));
    assert.equal(errors[0].description, 'The access token signature is invalid');
  });

  it('refuses a sender-constrained token presented as a plain bearer token', async () => {
    const notes = resource(NOTES, [jwt(trusted)]);
    const service = new TokenVerificationService(options([notes]));
    for (const cnf of [{ jkt: 'b'.repeat(43) }, { 'x5t#S256': 'c'.repeat(43) }]) {
      const bound = await trusted.mint({ aud: NOTES, sub: 'alice', cnf });
      await expectInvalid(
        service.verify(bound, notes),
        'The access token is bound to a key; present it with a proof of that key',
      );
      // ...also when the outcome of verifying it was remembered.
      await expectInvalid(
        service.verify(bound, notes),
        'The access token is bound to a key; present it with a proof of that key',
      );
    }
  });
});
