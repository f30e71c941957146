// `node dist/bench/pool-check.js`: checks that the load generator sends each pooled credential once. A local
// server counts every Authorization/DPoP pair it receives while bench/load.ts runs for 3 s over a pool
// larger than it can use; any pair seen twice, or fewer distinct pairs than requests, is a failure.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials, LoadConfig, LoadResult } from './common.js';
import { runNodeScript } from './processes.js';

const seen = new Map<string, number>();
const server = createServer((req, res) => {
  const pair = `${req.headers.authorization}\n${req.headers.dpop}`;
  seen.set(pair, (seen.get(pair) ?? 0) + 1);
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const directory = mkdtempSync(join(tmpdir(), 'nest-mcp-auth-pool-check-'));
try {
  const pool: Credentials[] = Array.from({ length: 200_000 }, (_, i) => ({
    authorization: `Bearer t${i}`,
    dpop: `p${i}`,
  }));
  const file = join(directory, 'pool.json');
  writeFileSync(file, JSON.stringify(pool));
  const config: LoadConfig = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    connections: 32,
    duration: 3,
    pool: { file, start: 7 },
  };
  const { code, stdout } = await runNodeScript('load.js', [JSON.stringify(config)], 1, {}, 60_000);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
  const received = [...seen.values()].reduce((sum, count) => sum + count, 0);
  const repeated = [...seen.values()].filter((count) => count > 1).length;
  console.log(
    `load generator exit ${code}: ${received} requests received, ${seen.size} distinct credentials, ${repeated} repeated;` +
      ` it took ${result.poolUsed} credentials and counted ${result.requests} completed responses`,
  );
  process.exitCode = code === 0 && repeated === 0 && seen.size === received && result.poolUsed === received ? 0 : 1;
} finally {
  server.close();
  rmSync(directory, { recursive: true, force: true });
}
