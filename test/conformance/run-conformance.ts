// `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
// package.json) runs every server scenario against the fixture app, stateless then stateful. A scenario may fail
// only if `expected-failures.<mode>.yml` lists it (with the reason); one that fails unlisted, or passes while
// listed, fails the run. The suite's CLI needs Node 22+ (`fs.globSync`), so it runs on the pinned Node 24 of
// scripts/node24.sh; the fixture itself runs here, on the project's Node.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startConformanceFixture } from './conformance-fixture.js';

type Mode = 'stateless' | 'stateful';
interface Check {
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  name: string;
  errorMessage?: string;
}

const MODES: Mode[] = ['stateless', 'stateful'];
const SOURCE_DIR = resolve('test/conformance');
const require = createRequire(import.meta.url);
const SUITE_PACKAGE = require.resolve('@modelcontextprotocol/conformance/package.json');
const SUITE_VERSION = (JSON.parse(readFileSync(SUITE_PACKAGE, 'utf8')) as { version: string }).version;
const CLI = join(dirname(SUITE_PACKAGE), 'dist/index.js');
/** How long one mode may take before it is stopped (the suite takes about half a minute). */
const MODE_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<void> {
  const node24 = execFileSync('bash', ['scripts/node24.sh'], { encoding: 'utf8' }).trim();
  const nodeVersion = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`MCP conformance suite ${SUITE_VERSION} (server scenarios, suite "all"), CLI on Node ${nodeVersion}`);
  let ok = true;
  for (const mode of MODES) ok = (await runMode(mode, node24)) && ok;
  console.log(`conformance: ${ok ? 'OK' : 'FAILED'}`);
  process.exit(ok ? 0 : 1);
}

async function runMode(mode: Mode, node24: string): Promise<boolean> {
  const expectedFile = join(SOURCE_DIR, `expected-failures.${mode}.yml`);
  const expected = readExpectedFailures(expectedFile);
  const outDir = mkdtempSync(join(tmpdir(), `nest-mcp-auth-conformance-${mode}-`));
  const fixture = await startConformanceFixture(mode);
  let run: { code: number | null; output: string };
  try {
    run = await runCli(node24, [
      CLI,
      'server',
      '--url',
      fixture.mcpUrl,
      '--suite',
      'all',
      '--expected-failures',
      expectedFile,
      '-o',
      outDir,
    ]);
  } finally {
    await fixture.close();
  }
  const results = readResults(outDir);
  rmSync(outDir, { recursive: true, force: true });
  const total = Number(/Running all suite \((\d+) scenarios\)/.exec(run.output)?.[1] ?? NaN);
  const failed = [...results].filter(([, checks]) => failedChecks(checks).length > 0).map(([name]) => name);
  const unexpected = failed.filter((name) => !expected.includes(name));
  const stale = expected.filter((name) => results.has(name) && !failed.includes(name));
  const notRun = expected.filter((name) => !results.has(name));
  const passed = results.size - failed.length;
  const good =
    run.code === 0 && results.size === total && unexpected.length === 0 && stale.length === 0 && notRun.length === 0;
  console.log(
    `conformance ${mode.padEnd(9)} ${passed}/${Number.isNaN(total) ? '?' : total} scenarios pass, ` +
      `${failed.length - unexpected.length} expected failures (${expectedFile.slice(SOURCE_DIR.length + 1)})` +
      (good ? '' : ' — FAILED'),
  );
  if (!good) {
    for (const name of unexpected) {
      const reasons = failedChecks(results.get(name)!).map(
        (check) => `${check.name}: ${check.errorMessage ?? check.status}`,
      );
      console.log(`  unexpected failure ${name}: ${reasons.join('; ')}`);
    }
    for (const name of stale) console.log(`  now passes (remove it from the expected failures): ${name}`);
    for (const name of notRun) console.log(`  expected failure that did not run: ${name}`);
    const log = join(tmpdir(), `nest-mcp-auth-conformance-${mode}.log`);
    writeFileSync(log, run.output);
    console.log(`  CLI exit code ${run.code}; its full output: ${log}`);
  }
  return good;
}

/** The CLI fails a scenario on any FAILURE or WARNING check; so does this summary. */
function failedChecks(checks: Check[]): Check[] {
  return checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
}

/** `server:` entries of an expected-failures file (YAML as the CLI reads it; comments give the reasons). */
function readExpectedFailures(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s+-\s+([\w-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** The checks of every scenario, from the `server-<scenario>-<timestamp>/checks.json` files the CLI wrote. */
function readResults(outDir: string): Map<string, Check[]> {
  const results = new Map<string, Check[]>();
  for (const entry of readdirSync(outDir)) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(entry)?.[1];
    if (!scenario) continue;
    results.set(scenario, JSON.parse(readFileSync(join(outDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return results;
}

function runCli(node: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), MODE_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output: Buffer.concat(chunks).toString() });
    });
  });
}

await main();
