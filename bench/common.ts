// Shared constants and helpers of the benchmark harness (bench/ only; never imported by the library).

/** Subject every bench token carries; MCP rows must echo it back from the `whoami` tool. */
export const BENCH_SUBJECT = 'bench-user';
/** Scopes every bench token carries (adjust if the example app's `whoami` requires another scope). */
export const BENCH_SCOPE = 'mcp:tools whoami';
/** Client id claim (RFC 9068 `client_id`). */
export const BENCH_CLIENT_ID = 'bench-client';
/** Tool called by every MCP row. */
export const TOOL_NAME = 'whoami';

/**
 * The token cache size the library app is run with (`bench/servers/library-app.ts` sets it, whatever the
 * library's default): the distinct-token pools and the instruction-count warm-up are sized beyond it, so a
 * pooled token comes back only once it has been evicted.
 */
export const BENCH_TOKEN_CACHE_MAX_ENTRIES = 10_000;

/** The one JSON-RPC request every MCP row is loaded with. */
export const TOOLS_CALL_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: TOOL_NAME, arguments: {} },
});

/** What one request presents: its `Authorization` value and, for a DPoP-bound token, its `DPoP` proof. */
export interface Credentials {
  authorization: string;
  dpop?: string;
}

/** A bearer token as request credentials. */
export const bearer = (token: string): Credentials => ({ authorization: `Bearer ${token}` });

/** Headers of every MCP request (plus `authorization`, and `dpop`, when the request carries credentials). */
export function mcpHeaders(credentials?: Credentials): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
  if (credentials !== undefined) headers.authorization = credentials.authorization;
  if (credentials?.dpop !== undefined) headers.dpop = credentials.dpop;
  return headers;
}

/** Environment a row server process receives (besides PORT). */
export interface ServerEnv {
  PORT: string;
  /** Issuer identifier of the local bench issuer (RFC 8414 metadata served under it). */
  BENCH_ISSUER: string;
  /** Canonical resource URL, `http://127.0.0.1:<PORT>/mcp`; tokens carry it in `aud`. */
  BENCH_RESOURCE: string;
  /** `on` or `off`: whether the library app authenticates requests. */
  BENCH_AUTH: 'on' | 'off';
}

/** First line a row server prints on stdout once listening. */
export interface ServerReadyMessage {
  ready: true;
  port: number;
}

/** Printed by a row server instead when it cannot start (e.g. its module is not written yet). */
export interface ServerSkipMessage {
  skip: true;
  reason: string;
}

/** Configuration of one load-generator run (`bench/load.ts`). */
export interface LoadConfig {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /**
   * Per-request credentials: a JSON file of `Credentials[]`, taken in order from index `start` (wrapping
   * around), one per request across all connections. Unset: `headers` carry the same credentials every time.
   */
  pool?: { file: string; start: number };
}

/** What `bench/load.ts` prints (one JSON line). */
export interface LoadResult {
  /** Completed responses per second over the whole run. */
  rps: number;
  /** Completed responses. */
  requests: number;
  /** Milliseconds, from every response (any status). */
  p50: number;
  p99: number;
  /** Response counts by HTTP status. */
  statuses: Record<string, number>;
  /** Socket errors (including timeouts). */
  errors: number;
  timeouts: number;
  /** Seconds actually run. */
  duration: number;
  /** CPU seconds (user + system) the load generator itself used during the run. */
  loadCpuSeconds: number;
  /** With a pool: credentials taken (requests built), and the pool's size. */
  poolUsed?: number;
  poolSize?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile of a sorted array (p in 0..100). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads a positive number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Prints the ready line of a row server. */
export function announceReady(port: number): void {
  const message: ServerReadyMessage = { ready: true, port };
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Reads the env every row server needs. */
export function readServerEnv(): ServerEnv {
  const { PORT, BENCH_ISSUER, BENCH_RESOURCE, BENCH_AUTH } = process.env;
  if (!PORT || !BENCH_ISSUER || !BENCH_RESOURCE) {
    throw new Error('row servers need PORT, BENCH_ISSUER and BENCH_RESOURCE (run them through dist/bench/run.js)');
  }
  return { PORT, BENCH_ISSUER, BENCH_RESOURCE, BENCH_AUTH: BENCH_AUTH === 'off' ? 'off' : 'on' };
}
