// JWKS behaviour under load: a burst of concurrent requests, each bearing a token whose `kid` the JWKS
// does not have (a different random kid each), against the library app. Every one must get 401, and the
// issuer must see at most one JWKS fetch per cooldown (the library's default cooldown is 30 s).
import { Agent, request } from 'node:http';
import { TOOLS_CALL_BODY, bearer, mcpHeaders, sleep } from './common.js';
import type { BenchIssuer } from './issuer.js';

export interface JwksBurstResult {
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  /** JWKS fetches the issuer saw from the burst's start until shortly after its end. */
  jwksFetches: number;
  elapsedMs: number;
  /** Seconds between the issuer's previous JWKS fetch (by any server) and the burst; undefined if none. */
  secondsSincePreviousFetch?: number;
  /** At most one fetch and every response 401. */
  pass: boolean;
}

function post(
  url: URL,
  agent: Agent,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runJwksBurst(options: {
  url: string;
  resource: string;
  issuer: BenchIssuer;
  count: number;
  /** Sockets used at once. */
  connections: number;
}): Promise<JwksBurstResult> {
  const { issuer, count } = options;
  const tokens = await Promise.all(Array.from({ length: count }, () => issuer.mintUnknownKid(options.resource)));
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.url);
  const statuses: Record<string, number> = {};
  let errors = 0;
  const before = issuer.jwksFetches();
  const start = performance.now();
  const previous = issuer.lastJwksFetchAt();
  const secondsSincePreviousFetch = previous === undefined ? undefined : (start - previous) / 1000;
  try {
    await Promise.all(
      tokens.map(async (token) => {
        try {
          const status = await post(url, agent, mcpHeaders(bearer(token)), TOOLS_CALL_BODY, 15_000);
          statuses[status] = (statuses[status] ?? 0) + 1;
        } catch {
          errors++;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - start;
  await sleep(300); // a fetch started by the last rejections still counts
  const jwksFetches = issuer.jwksFetches() - before;
  const all401 = statuses['401'] === count && errors === 0;
  return {
    requests: count,
    statuses,
    errors,
    jwksFetches,
    elapsedMs,
    secondsSincePreviousFetch,
    pass: all401 && jwksFetches <= 1,
  };
}
