// Load generator process: `node dist/bench/load.js '<LoadConfig JSON>'` runs autocannon once and prints
// one LoadResult JSON line on stdout. The orchestrator pins it to its own core.
import { createRequire } from 'node:module';
import type { LoadConfig, LoadResult } from './common.js';
import { percentileSorted } from './common.js';

// autocannon ships no types (and @types/autocannon is not installed): type the part used here.
interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
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

function runLoad(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies = new Samples();
    const instance = autocannon(
      {
        url: config.url,
        method: config.method,
        headers: config.headers,
        body: config.body,
        connections: config.connections,
        duration: config.duration,
        pipelining: 1,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
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
