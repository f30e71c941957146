import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** Options of {@link startLocalIssuer}. */
export interface LocalIssuerOptions {
  /** Path of the issuer identifier, e.g. `/tenant` gives `http://127.0.0.1:<port>/tenant`. Default none. */
  issuerPath?: string;
  /**
   * Key type and default signing algorithm. Default `ES256`: P-256 keys take milliseconds to generate,
   * 2048-bit RSA keys up to a second, which adds up over a test suite. Ask for `RS256` where it matters.
   */
  alg?: 'RS256' | 'ES256';
}

/** Options of {@link LocalIssuer.mint}. */
export interface MintOptions {
  /** `kid` header. Default: the current key's id; `null` leaves the header out. */
  kid?: string | null;
  /**
   * Signing algorithm. Default: the issuer's. Another algorithm valid for the key (`RS384`, `PS256` for RSA)
   * signs with the current key; two forgeries are built in: `none` (unsigned) and `HS256` keyed with the
   * public JWK's JSON (the classic "HMAC with the public key" confusion attack).
   */
  alg?: string;
  /** Extra protected-header fields, e.g. `{ typ: 'at+jwt' }`. */
  header?: Record<string, unknown>;
}

/** A throw-away authorization server on 127.0.0.1: RFC 8414 metadata, a JWKS and a token minter. */
export interface LocalIssuer {
  /** The issuer identifier (`iss`), e.g. `http://127.0.0.1:40123/tenant`. */
  readonly issuer: string;
  /** Where the JWKS is served. */
  readonly jwksUri: string;
  /** Where the RFC 8414 metadata is served (the path-inserted `oauth-authorization-server` URL). */
  readonly metadataUrl: string;
  /**
   * Signs an access token. Defaults `iss` (this issuer), `iat` (now) and `exp` (now + 5 min); set a
   * claim to `undefined` to leave it out (e.g. `{ exp: undefined }`).
   */
  mint(claims: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** Creates a new signing key with a new `kid`; the JWKS then publishes it and the previous one. */
  rotateKey(): Promise<void>;
  /** `false`: the JWKS endpoint answers 503 until set back to `true`. */
  setJwksAvailable(ok: boolean): void;
  /** `false`: the metadata endpoint answers 503 until set back to `true`. */
  setDiscoveryAvailable(ok: boolean): void;
  /** How many requests each endpoint received (failed ones included). */
  readonly requests: { discovery: number; jwks: number };
  /** Stops the server (and drops its connections). */
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Starts a local issuer for tests: it serves its metadata and JWKS on 127.0.0.1 (random port) and mints
 * tokens with its own keys. Start two to get a "forged tokens" issuer whose signatures the first one's keys
 * do not verify.
 *
 * @example
 * ```ts
 * const as = await startLocalIssuer({ issuerPath: '/tenant' });
 * const token = await as.mint({ sub: 'alice', aud: 'http://localhost:3000/mcp', scope: 'notes:read' });
 * await as.close();
 * ```
 */
export async function startLocalIssuer(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const alg = options.alg ?? 'ES256';
  const issuerPath = (options.issuerPath ?? '').replace(/\/+$/, '');
  const keys: SigningKey[] = [await newKey(alg)];
  const requests = { discovery: 0, jwks: 0 };
  const availability = { jwks: true, discovery: true };
  const metadataPath = `/.well-known/oauth-authorization-server${issuerPath}`;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === metadataPath) {
      requests.discovery++;
      if (!availability.discovery) return send(response, 503, { error: 'unavailable' });
      return send(response, 200, {
        issuer,
        jwks_uri: jwksUri,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === `${issuerPath}/jwks`) {
      requests.jwks++;
      if (!availability.jwks) return send(response, 503, { error: 'unavailable' });
      // Newest first, at most two: the current key and the one it replaced.
      return send(response, 200, {
        keys: keys
          .slice(-2)
          .reverse()
          .map((key) => key.publicJwk),
      });
    }
    send(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = origin + issuerPath;
  const jwksUri = `${issuer}/jwks`;

  return {
    issuer,
    jwksUri,
    metadataUrl: origin + metadataPath,
    requests,
    async mint(claims, mintOptions = {}) {
      const key = keys[keys.length - 1]!;
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: issuer, iat: now, exp: now + 300, ...claims };
      const kid = mintOptions.kid === undefined ? key.kid : mintOptions.kid;
      const header = { ...mintOptions.header, alg: mintOptions.alg ?? alg, ...(kid === null ? {} : { kid }) };
      if (header.alg === 'none') {
        const encode = (part: object) => base64url.encode(JSON.stringify(part));
        return `${encode(header)}.${encode(payload)}.`;
      }
      const signingKey =
        header.alg === 'HS256' ? new TextEncoder().encode(JSON.stringify(key.publicJwk)) : key.privateKey;
      return new SignJWT(payload).setProtectedHeader(header).sign(signingKey);
    },
    async rotateKey() {
      keys.push(await newKey(alg));
    },
    setJwksAvailable(ok) {
      availability.jwks = ok;
    },
    setDiscoveryAvailable(ok) {
      availability.discovery = ok;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function newKey(alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
