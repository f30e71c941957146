import { spawnSync } from 'node:child_process';
import { freePort } from 'nest-mcp-auth/testing';
import { startProcess } from './child-process.js';
import { systemDepsRequired } from './system-chromium.js';

/** A throw-away `redis-server` on a free loopback port, nothing saved to disk. */
export interface TestRedis {
  url: string;
  close(): Promise<void>;
}

/** Why the Redis tests cannot run here, or `undefined` when `redis-server` is installed. */
function redisServerMissing(): string | undefined {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return undefined;
  return "no redis-server: install Debian's package (apt-get install -y --no-install-recommends redis-server)";
}

/** `false` to run, or the reason to skip: a missing `redis-server` fails in CI (NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS=1). */
export function skipWithoutRedis(): string | false {
  const missing = redisServerMissing();
  return missing !== undefined && !systemDepsRequired() ? missing : false;
}

/** Starts `redis-server` on 127.0.0.1 and resolves once it accepts connections (at most 10 s). */
export async function startRedis(): Promise<TestRedis> {
  const missing = redisServerMissing();
  if (missing !== undefined) throw new Error(`${missing} (required: NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS=1)`);
  const port = await freePort();
  const redis = await startProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { ready: /Ready to accept connections/, timeoutMs: 10_000 },
  );
  return { url: `redis://127.0.0.1:${port}`, close: redis.stop };
}
