// The local token issuer of the benchmark: an RS256 key pair, an HTTP server publishing RFC 8414
// metadata and the JWKS (counting JWKS fetches), and token minting. Runs in the orchestrator process.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { BENCH_CLIENT_ID, BENCH_SCOPE, BENCH_SUBJECT } from './common.js';

export interface BenchIssuer {
  /** Issuer identifier (`http://127.0.0.1:<port>`, no trailing slash). */
  readonly issuer: string;
  /** JWKS requests served since start. */
  jwksFetches(): number;
  /** `performance.now()` of the last JWKS request, or undefined. */
  lastJwksFetchAt(): number | undefined;
  /** A valid RS256 access token for `audience` (valid for an hour). */
  mint(audience: string): Promise<string>;
  /** Same header (`kid`) and claims as a valid token, signed by another key. */
  mintBadSignature(audience: string): Promise<string>;
  /** Signed under a random `kid` the JWKS does not have. */
  mintUnknownKid(audience: string): Promise<string>;
  close(): Promise<void>;
}

/** Outlives any run: tokens are minted once, when each row server starts. */
const TOKEN_LIFETIME_SECONDS = 3600;

interface SigningKey {
  privateKey: CryptoKey;
  kid: string;
}

async function newKey(kid: string): Promise<SigningKey & { publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, kid, publicJwk };
}

async function sign(key: SigningKey, issuer: string, audience: string): Promise<string> {
  return new SignJWT({ scope: BENCH_SCOPE, client_id: BENCH_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(BENCH_SUBJECT)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

export async function startIssuer(): Promise<BenchIssuer> {
  const key = await newKey('bench-key-1');
  const impostor = await newKey(key.kid); // same kid, different key: bad signature
  let jwksCount = 0;
  let lastJwksAt: number | undefined;
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        jwks_uri: `${issuer}/jwks.json`,
        token_endpoint: `${issuer}/token`,
        authorization_endpoint: `${issuer}/authorize`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: BENCH_SCOPE.split(' '),
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
    }
    if (path === '/jwks.json') {
      jwksCount++;
      lastJwksAt = performance.now();
      return json(200, { keys: [key.publicJwk] });
    }
    json(404, { error: 'not_found' });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    jwksFetches: () => jwksCount,
    lastJwksFetchAt: () => lastJwksAt,
    mint: (audience) => sign(key, issuer, audience),
    mintBadSignature: (audience) => sign(impostor, issuer, audience),
    // The verifier never gets to the signature (no key has that kid), so one extra key serves every kid.
    mintUnknownKid: (audience) =>
      sign({ privateKey: impostor.privateKey, kid: `unknown-${randomUUID()}` }, issuer, audience),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
