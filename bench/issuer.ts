// The local token issuer of the benchmark: an RS256 key pair, an HTTP server publishing RFC 8414
// metadata and the JWKS (counting JWKS fetches), and token minting. Runs in the orchestrator process.
import { createServer, type Server } from 'node:http';
import { KeyObject, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { BENCH_CLIENT_ID, BENCH_SCOPE, BENCH_SUBJECT } from './common.js';
import { compactJws, withSignature } from './jws.js';

export interface BenchIssuer {
  /** Issuer identifier (`http://127.0.0.1:<port>`, no trailing slash). */
  readonly issuer: string;
  /** JWKS requests served since start. */
  jwksFetches(): number;
  /** `performance.now()` of the last JWKS request, or undefined. */
  lastJwksFetchAt(): number | undefined;
  /** A valid RS256 access token for `audience` (valid for an hour), each with its own `jti`. */
  mint(audience: string): Promise<string>;
  /** A valid token bound to the DPoP key whose RFC 7638 thumbprint is `jkt` (`cnf.jkt`, RFC 9449 §6). */
  mintDpopBound(audience: string, jkt: string): Promise<string>;
  /** `count` valid tokens, all different (about 0.25 ms each: RSA signing). */
  mintMany(audience: string, count: number): string[];
  /** Same header (`kid`) and claims as a valid token, signed by another key. */
  mintBadSignature(audience: string): Promise<string>;
  /**
   * `count` different forgeries: right `iss`, `aud` and `kid`, own `jti`, and 256 random bytes as the
   * signature, kept below any 2048-bit modulus (top bit clear) so the verifier does the whole RSA check
   * as for a real forgery (OpenSSL refuses a signature at or above the modulus before any arithmetic).
   * Cheap to make: no signing.
   */
  forge(audience: string, count: number): string[];
  /** Signed under a random `kid` the JWKS does not have. */
  mintUnknownKid(audience: string): Promise<string>;
  close(): Promise<void>;
}

/** Outlives any run: tokens are minted when each row server starts, or in pools before the rounds. */
const TOKEN_LIFETIME_SECONDS = 3600;

interface SigningKey {
  privateKey: KeyObject;
  kid: string;
}

async function newKey(kid: string): Promise<SigningKey & { publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey: KeyObject.from(privateKey), kid, publicJwk };
}

const header = (kid: string) => ({ alg: 'RS256' as const, kid, typ: 'at+jwt' });

/** The claims of every bench access token (plus `extra`), with a fresh `jti`. */
function claims(issuer: string, audience: string, extra: object = {}): object {
  const now = Math.floor(Date.now() / 1000);
  return {
    scope: BENCH_SCOPE,
    client_id: BENCH_CLIENT_ID,
    iss: issuer,
    aud: audience,
    sub: BENCH_SUBJECT,
    iat: now,
    jti: randomUUID(),
    exp: now + TOKEN_LIFETIME_SECONDS,
    ...extra,
  };
}

function sign(key: SigningKey, issuer: string, audience: string, extra?: object): string {
  return compactJws(header(key.kid), claims(issuer, audience, extra), key.privateKey);
}

function forgery(kid: string, issuer: string, audience: string): string {
  const signature = randomBytes(256);
  signature[0]! &= 0x7f;
  return withSignature(header(kid), claims(issuer, audience), signature);
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
    mint: async (audience) => sign(key, issuer, audience),
    mintDpopBound: async (audience, jkt) => sign(key, issuer, audience, { cnf: { jkt } }),
    mintMany: (audience, count) => Array.from({ length: count }, () => sign(key, issuer, audience)),
    mintBadSignature: async (audience) => sign(impostor, issuer, audience),
    forge: (audience, count) => Array.from({ length: count }, () => forgery(key.kid, issuer, audience)),
    // The verifier never gets to the signature (no key has that kid), so one extra key serves every kid.
    mintUnknownKid: async (audience) =>
      sign({ privateKey: impostor.privateKey, kid: `unknown-${randomUUID()}` }, issuer, audience),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
