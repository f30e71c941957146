import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CompactSign, base64url, decodeProtectedHeader, generateKeyPair } from 'jose';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { startLocalIssuer, type LocalIssuer } from '../testing/local-issuer.js';
import { JwksCache } from './jwks-cache.js';
import { JwtTokenVerifier, type JwtTokenVerifierOptions } from './jwt-token.verifier.js';
import { expectInvalid } from '../test-support/expect-invalid-token.js';
import { recordingLogger } from '../test-support/recording-logger.js';

const RESOURCE = 'http://localhost:3000/mcp';
const now = () => Math.floor(Date.now() / 1000);

describe('JwtTokenVerifier', () => {
  let as: LocalIssuer;
  let forger: LocalIssuer;
  let cache: JwksCache;
  const verifierFor = (overrides: Partial<JwtTokenVerifierOptions> = {}) =>
    new JwtTokenVerifier({
      issuer: as.issuer,
      audience: [RESOURCE],
      resource: RESOURCE,
      algorithms: ['ES256', 'RS256'],
      clockToleranceSeconds: 5,
      requireAccessTokenType: false,
      scopeClaim: undefined,
      getKey: cache.getKey,
      ...overrides,
    });
  const mint = (claims: Record<string, unknown>, options?: Parameters<LocalIssuer['mint']>[1]) =>
    as.mint({ sub: 'alice', aud: RESOURCE, ...claims }, options);

  before(async () => {
    [as, forger] = await Promise.all([startLocalIssuer({ issuerPath: '/tenant' }), startLocalIssuer()]);
    cache = new JwksCache(as.jwksUri, { timeoutMs: 1000, cooldownMs: 0, maxAgeMs: 60_000 });
  });
  after(() => Promise.all([as.close(), forger.close()]));

  describe('accepts', () => {
    it('a valid token and describes it', async () => {
      const token = await mint({
        scope: 'notes:read notes:write',
        client_id: 'app-1',
        aud: [RESOURCE, 'other'],
        custom: { a: [1] },
      });
      const auth = await verifierFor().verify(token);
      assert.equal(auth.token, token);
      assert.equal(auth.clientId, 'app-1');
      assert.deepEqual(auth.scopes, ['notes:read', 'notes:write']);
      assert.equal(auth.issuer, as.issuer);
      assert.equal(auth.subject, 'alice');
      assert.deepEqual(auth.audience, [RESOURCE, 'other']);
      assert.ok(auth.resource instanceof URL && auth.resource.href === RESOURCE);
      assert.equal(typeof auth.expiresAt, 'number');
      assert.equal(auth.expiresAt, auth.claims.exp);
      assert.deepEqual(auth.extra, {});
      assert.ok(Object.isFrozen(auth.claims) && Object.isFrozen((auth.claims.custom as { a: number[] }).a));
    });

    it('scopes from an scp array, an scp string, or a custom mapper', async () => {
      assert.deepEqual((await verifierFor().verify(await mint({ scp: ['a', 'b'] }))).scopes, ['a', 'b']);
      assert.deepEqual((await verifierFor().verify(await mint({ scp: 'c d' }))).scopes, ['c', 'd']);
      const mapper = (claims: Readonly<Record<string, unknown>>) =>
        (claims.roles as string[]).map((role) => `role:${role}`);
      assert.deepEqual((await verifierFor({ scopeClaim: mapper }).verify(await mint({ roles: ['x'] }))).scopes, [
        'role:x',
      ]);
    });

    it('azp as the client id when client_id is absent, else an empty string', async () => {
      assert.equal((await verifierFor().verify(await mint({ azp: 'spa' }))).clientId, 'spa');
      assert.equal((await verifierFor().verify(await mint({}))).clientId, '');
    });

    it('a token without kid when several keys could match (tries each)', async () => {
      const issuer = await startLocalIssuer();
      try {
        await issuer.rotateKey();
        const keys = new JwksCache(issuer.jwksUri, { timeoutMs: 1000, cooldownMs: 0, maxAgeMs: 60_000 });
        const token = await issuer.mint({ aud: RESOURCE }, { kid: null });
        const auth = await verifierFor({ issuer: issuer.issuer, getKey: keys.getKey }).verify(token);
        assert.equal(auth.issuer, issuer.issuer);
      } finally {
        await issuer.close();
      }
    });

    it('times within the clock tolerance', async () => {
      await verifierFor().verify(await mint({ exp: now() - 2, iat: now() + 3, nbf: now() + 3 }));
    });

    it('at+jwt or application/at+jwt when the type is required', async () => {
      const verifier = verifierFor({ requireAccessTokenType: true });
      await verifier.verify(await mint({}, { header: { typ: 'at+jwt' } }));
      await verifier.verify(await mint({}, { header: { typ: 'application/at+jwt' } }));
    });

    it('the b64 extension only as it must be for a JWT (crit ["b64"], b64 true)', async () => {
      await verifierFor().verify(await mint({}, { header: { crit: ['b64'], b64: true } }));
    });

    it('with a key resolver that answers synchronously', async () => {
      const key = await cache.getKey(decodeProtectedHeader(await mint({})));
      assert.equal((await verifierFor({ getKey: () => key }).verify(await mint({}))).subject, 'alice');
    });

    it('any audience, or none, only when the audience check is disabled', async () => {
      const verifier = verifierFor({ audience: undefined });
      assert.deepEqual((await verifier.verify(await mint({ aud: 'https://other.example' }))).audience, [
        'https://other.example',
      ]);
      assert.deepEqual((await verifier.verify(await mint({ aud: undefined }))).audience, []);
    });
  });

  it('hides the token from JSON, inspect and key enumeration', async () => {
    const token = await mint({ scope: 'a' });
    const auth = await verifierFor().verify(token);
    assert.ok(!JSON.stringify(auth).includes(token));
    assert.ok(!inspect(auth, { depth: 10 }).includes(token));
    assert.ok(!Object.keys(auth).includes('token'));
    assert.ok(!JSON.stringify({ ...auth }).includes(token));
    assert.throws(() => {
      (auth as { token: string }).token = 'changed';
    }, TypeError);
  });

  describe('rejects with invalid_token', () => {
    it('an expired token', async () => {
      const token = await mint({ exp: now() - 60 });
      await expectInvalid(verifierFor().verify(token), 'The access token expired', token);
    });

    it('a token not valid yet (nbf)', async () => {
      await expectInvalid(verifierFor().verify(await mint({ nbf: now() + 60 })), 'The access token is not valid yet');
    });

    it('a token issued in the future (iat)', async () => {
      await expectInvalid(
        verifierFor().verify(await mint({ iat: now() + 60 })),
        'The access token was issued in the future',
      );
    });

    it('a token from another issuer', async () => {
      await expectInvalid(
        verifierFor().verify(await mint({ iss: 'https://evil.example' })),
        'The access token issuer is not trusted',
      );
    });

    it('a token for another audience', async () => {
      await expectInvalid(
        verifierFor().verify(await mint({ aud: 'https://other.example/mcp' })),
        'The access token audience is not this resource',
      );
    });

    it('a token without audience', async () => {
      await expectInvalid(verifierFor().verify(await mint({ aud: undefined })), 'The access token has no audience');
    });

    it('a token without exp', async () => {
      await expectInvalid(verifierFor().verify(await mint({ exp: undefined })), 'The access token has no expiry');
    });

    it('a token whose payload was altered', async () => {
      const [header, , signature] = (await mint({ scope: 'read' })).split('.');
      const payload = base64url.encode(
        JSON.stringify({ iss: as.issuer, aud: RESOURCE, exp: now() + 60, scope: 'admin' }),
      );
      await expectInvalid(
        verifierFor().verify(`${header}.${payload}.${signature}`),
        'The access token signature is invalid',
      );
    });

    it('a token signed by another key under a known kid', async () => {
      const { kid } = decodeProtectedHeader(await mint({}));
      const forged = await forger.mint({ iss: as.issuer, aud: RESOURCE }, { kid });
      await expectInvalid(verifierFor().verify(forged), 'The access token signature is invalid');
    });

    it("a token signed with another issuer's key (unknown kid)", async () => {
      const forged = await forger.mint({ iss: as.issuer, aud: RESOURCE });
      await expectInvalid(verifierFor().verify(forged), 'The access token was signed with an unknown key');
    });

    it('alg none', async () => {
      await expectInvalid(
        verifierFor().verify(await mint({}, { alg: 'none' })),
        'The access token signing algorithm is not allowed',
      );
    });

    it('HS256 keyed with the public key', async () => {
      await expectInvalid(
        verifierFor().verify(await mint({}, { alg: 'HS256' })),
        'The access token signing algorithm is not allowed',
      );
      // Even if someone lists HS256, it is dropped: only asymmetric algorithms are ever passed to jose.
      const verifier = verifierFor({ algorithms: ['ES256', 'HS256'] });
      await expectInvalid(
        verifier.verify(await mint({}, { alg: 'HS256' })),
        'The access token signing algorithm is not allowed',
      );
    });

    it('an algorithm not in the allowed list', async () => {
      await expectInvalid(
        verifierFor({ algorithms: ['RS256'] }).verify(await mint({})),
        'The access token signing algorithm is not allowed',
      );
    });

    it('a missing or wrong typ when at+jwt is required', async () => {
      const verifier = verifierFor({ requireAccessTokenType: true });
      await expectInvalid(verifier.verify(await mint({})), 'The access token type is not at+jwt');
      await expectInvalid(
        verifier.verify(await mint({}, { header: { typ: 'JWT' } })),
        'The access token type is not at+jwt',
      );
    });

    it('malformed tokens', async () => {
      for (const token of ['', 'abc', 'a.b', 'a.b.c', 'a.b.c.d', '!!.??.##']) {
        await expectInvalid(verifierFor().verify(token), 'The access token is malformed');
      }
      const valid = await mint({});
      for (const token of [`${valid}=`, `${valid}~`, `${valid.slice(0, -2)}+/`]) {
        await expectInvalid(verifierFor().verify(token), 'The access token is malformed');
      }
    });

    it('a signature segment with one character too many (no encoding is 4n + 1 long)', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES384');
      const token = await new CompactSign(
        new TextEncoder().encode(JSON.stringify({ iss: as.issuer, aud: RESOURCE, exp: now() + 60 })),
      )
        .setProtectedHeader({ alg: 'ES384' })
        .sign(privateKey);
      const verifier = verifierFor({ algorithms: ['ES384'], getKey: () => publicKey });
      await verifier.verify(token);
      // A 96-byte signature is 128 characters: Buffer would decode 129 to the same bytes.
      await expectInvalid(verifier.verify(`${token}A`), 'The access token is malformed');
    });

    it('critical header extensions other than b64: true', async () => {
      const [, payload, signature] = (await mint({})).split('.');
      for (const header of [
        { alg: 'ES256', crit: ['b64'], b64: false },
        { alg: 'ES256', crit: ['b64'] },
        { alg: 'ES256', crit: ['exp'], exp: 1 },
        { alg: 'ES256', crit: [] },
        { alg: 'ES256', crit: 'b64', b64: true },
      ]) {
        const token = `${base64url.encode(JSON.stringify(header))}.${payload}.${signature}`;
        await expectInvalid(verifierFor().verify(token), 'The access token is malformed');
      }
    });

    it('with one shared, stackless error per reason (a flood of forgeries allocates no errors)', async () => {
      const { kid } = decodeProtectedHeader(await mint({}));
      const forged = await Promise.all([1, 2].map(() => forger.mint({ iss: as.issuer, aud: RESOURCE }, { kid })));
      const [first, second] = await Promise.all(
        forged.map((token) =>
          verifierFor()
            .verify(token)
            .catch((e) => e),
        ),
      );
      assert.equal(first, second);
      assert.equal(first.description, 'The access token signature is invalid');
      assert.doesNotMatch(String(first.stack), /\n\s+at /);
    });

    it('a correctly signed but non-JSON payload', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const token = await new CompactSign(new TextEncoder().encode('not json'))
        .setProtectedHeader({ alg: 'ES256' })
        .sign(privateKey);
      await expectInvalid(
        verifierFor({ getKey: async () => publicKey }).verify(token),
        'The access token is malformed',
      );
    });

    it('a token whose key the issuer published broken (private), logged once; a key-type mismatch silently', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const { publicKey: rsaKey } = await generateKeyPair('RS256');
      const { lines: errors, logger } = recordingLogger();
      const privateKeyPublished = verifierFor({ getKey: () => privateKey, logger });
      for (let i = 0; i < 3; i++) {
        await expectInvalid(privateKeyPublished.verify(await mint({})), 'The access token is invalid');
      }
      assert.equal(errors.length, 1);
      assert.match(
        errors[0],
        /^error Key "[^"]+" of http:\/\/127\.0\.0\.1:\d+\/tenant cannot verify ES256 tokens: The key is not usable for verification; the tokens it signed are refused$/,
      );
      // An ES256 token naming an RSA key: any client can send one, so it is refused without a log line.
      await expectInvalid(
        verifierFor({ getKey: () => rsaKey, logger }).verify(await mint({})),
        'The access token is invalid',
      );
      assert.equal(errors.length, 1);
    });

    it('any token when the keys are unavailable', async () => {
      const down = new JwksCache('http://127.0.0.1:1/jwks', { timeoutMs: 200, cooldownMs: 0, maxAgeMs: 60_000 });
      const description = 'The access token could not be verified: signing keys are unavailable';
      await expectInvalid(verifierFor({ getKey: down.getKey }).verify(await mint({})), description);
    });
  });

  it('refuses a configuration with no asymmetric algorithm', () => {
    assert.throws(() => verifierFor({ algorithms: ['HS256', 'none'] }), McpAuthConfigurationError);
  });
});
