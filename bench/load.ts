// Load generator process: `node dist/bench/load.js '<LoadConfig JSON>'` runs autocannon once and prints
// one LoadResult JSON line on stdout. The orchestrator pins it to its own core.
//
// With a credentials pool, every request autocannon builds takes the next credentials of the pool (one
// counter for all connections, so no two requests share them until the pool wraps around, which the
// orchestrator treats as INVALID). The pool is read before the run starts: nothing is minted under load.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Credentials, LoadConfig, LoadResult } from './common.js';
import { percentileSorted } from './common.js';

// autocannon ships no types (and @types/autocannon is not installed): type the part used here.
interface AutocannonRequest {
  headers: Record<string, string>;
}
interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** `setupRequest` runs before each request is built (autocannon rebuilds a request that has one). */
  requests?: { setupRequest(request: AutocannonRequest): AutocannonRequest }[];
  body?: string;
  connections: number;
  duration: number;
  pipelining: number;
  timeout: number;
}
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
type Autocannon = (
  options: AutocannonOptions,
  callback?: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Growable float buffer of every response time (autocannon's histogram has 1 ms resolution). */
class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

/** The per-request credentials of `config.pool`, and how many were taken. */
function poolOf(config: LoadConfig) {
  if (config.pool === undefined) return undefined;
  const pool = JSON.parse(readFileSync(config.pool.file, 'utf8')) as Credentials[];
  let next = config.pool.start;
  let used = 0;
  return {
    size: pool.length,
    used: () => used,
    setupRequest(request: AutocannonRequest): AutocannonRequest {
      const credentials = pool[next++ % pool.length]!;
      used++;
      request.headers = { ...request.headers, authorization: credentials.authorization };
      if (credentials.dpop !== undefined) request.headers.dpop = credentials.dpop;
      return request;
    },
  };
}

function runLoad(config: LoadConfig): Promise<LoadResult> {
  const pool = poolOf(config);
  return new Promise((resolve, reject) => {
    const latencies = new Samples();
    const cpuBefore = process.cpuUsage();
    const instance = autocannon(
      {
        url: config.url,
        method: config.method,
        headers: config.headers,
        ...(pool ? { requests: [{ setupRequest: pool.setupRequest }] } : {}),
        body: config.body,
        connections: config.connections,
        duration: config.duration,
        pipelining: 1,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const cpu = process.cpuUsage(cpuBefore);
        const sorted = latencies.sorted();
        const requests = result.requests.total;
        const statuses: Record<string, number> = {};
        for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = count;
        resolve({
          rps: result.duration > 0 ? requests / result.duration : 0,
          requests,
          p50: percentileSorted(sorted, 50),
          p99: percentileSorted(sorted, 99),
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          duration: result.duration,
          loadCpuSeconds: (cpu.user + cpu.system) / 1e6,
          ...(pool ? { poolUsed: pool.used(), poolSize: pool.size } : {}),
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => {
      latencies.push(responseTimeMs);
    });
  });
}

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: node dist/bench/load.js '<LoadConfig JSON>'");
  const result = await runLoad(JSON.parse(raw) as LoadConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load generator failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
