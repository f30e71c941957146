// Row servers: each in its own Node process (bench/servers/<name>.js) on the server core, on a free port,
// with the issuer's metadata and its own resource URL. A server that cannot start makes its row SKIPPED,
// not the run fail; one that answers the sample request wrongly makes it INVALID.
import type { ServerReadyMessage, ServerSkipMessage } from './common.js';
import { credentialSource } from './credentials.js';
import { errorMessage } from './format.js';
import type { BenchIssuer } from './issuer.js';
import { SERVER_CORE, onLines, spawnNode, stopChild } from './processes.js';
import { freePort } from 'nest-mcp-auth/testing';
import type { RowState } from './rows.js';
import { validateSample } from './validation.js';

const SERVER_BOOT_TIMEOUT_MS = 30_000;
const STDERR_TAIL_LINES = 20;

/** Waits for the server's ready line (or its skip line, exit or boot timeout). */
function awaitReady(row: RowState): Promise<{ ready: true } | { skip: string }> {
  const child = row.child!;
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ skip: `server not ready within ${SERVER_BOOT_TIMEOUT_MS / 1000} s` }),
      SERVER_BOOT_TIMEOUT_MS,
    );
    const done = (value: { ready: true } | { skip: string }): void => {
      clearTimeout(timer);
      resolve(value);
    };
    onLines(child.stdout!, (line) => {
      let message: Partial<ServerReadyMessage & ServerSkipMessage>;
      try {
        message = JSON.parse(line) as Partial<ServerReadyMessage & ServerSkipMessage>;
      } catch {
        return; // the app's own output
      }
      if (message.ready === true) done({ ready: true });
      else if (message.skip === true) done({ skip: message.reason ?? 'skipped by its server' });
    });
    child.once('exit', (code, signal) => {
      // Give a skip line printed just before exiting the chance to win.
      setTimeout(() => {
        const last = row.stderrTail
          .filter((l) => l.trim())
          .slice(-3)
          .join(' | ');
        done({ skip: `server exited (${signal ?? `code ${code}`}) before listening${last ? `: ${last}` : ''}` });
      }, 50);
    });
  });
}

/** Starts the row's server and sets up the credentials its requests carry; on failure the row is SKIPPED. */
async function startServer(row: RowState, issuer: BenchIssuer): Promise<void> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  row.port = port;
  row.url = resource;
  const child = spawnNode(`servers/${row.spec.server}.js`, [], SERVER_CORE, {
    PORT: String(port),
    BENCH_ISSUER: issuer.issuer,
    BENCH_RESOURCE: resource,
    BENCH_AUTH: row.spec.auth,
    BENCH_HTTP_ADAPTER: row.spec.httpAdapter ?? 'express',
    ...(row.spec.tokenCacheTtlMs === undefined ? {} : { BENCH_TOKEN_CACHE_TTL_MS: String(row.spec.tokenCacheTtlMs) }),
    NODE_ENV: 'production',
  });
  row.child = child;
  onLines(child.stderr!, (line) => {
    row.stderrTail.push(line);
    if (row.stderrTail.length > STDERR_TAIL_LINES) row.stderrTail.shift();
  });

  const outcome = await awaitReady(row);
  if ('skip' in outcome) {
    row.status = 'SKIPPED';
    row.reason = outcome.skip;
    await stopChild(child);
    return;
  }
  row.credentials = await credentialSource(row.spec.token, issuer, resource);
}

/** Starts every row server, one after another (boots are CPU-heavy), and checks one sample answer each. */
export async function startRowServers(rows: readonly RowState[], issuer: BenchIssuer): Promise<void> {
  for (const row of rows) {
    process.stdout.write(`row ${row.spec.id.padEnd(3)} ${row.spec.label}: starting... `);
    await startServer(row, issuer);
    if (row.status === 'OK') {
      try {
        const problem = await validateSample(row);
        if (problem) {
          row.status = 'INVALID';
          row.reason = problem;
        }
      } catch (error) {
        row.status = 'INVALID';
        row.reason = `sample request failed: ${errorMessage(error)}`;
      }
    }
    console.log(row.status === 'OK' ? `listening on ${row.port}, sample answer OK` : `${row.status} (${row.reason})`);
  }
}
