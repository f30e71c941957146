// Runs every compiled `*.test.js` (the library's unit tests and the app's tests) with Node's own test runner.
// (Node 20's `--test` takes no globs, and its default file patterns would also run every helper module
// under test/, so the list is built here.) Ends with a plain "summary: N passed, M failed[, K skipped]" line.
//
//   node scripts/run-tests.mjs [--coverage] [PART ...]
//
// PART: run only the files whose path contains it. --coverage: line and branch coverage of the library
// (libs/mcp-auth/src), printed as a table before the summary line (npm test passes it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { findFiles, reportLibraryCoverage } from './test-coverage.mjs';

const args = process.argv.slice(2);
const coverage = args.includes('--coverage');
const only = args.filter((arg) => arg !== '--coverage');
const files = ['libs/mcp-auth/dist', 'dist']
  .flatMap((dir) => findFiles(dir, '.test.js'))
  .filter((file) => only.length === 0 || only.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('No compiled test files found under dist/ or libs/mcp-auth/dist/ (did the build run?)');
  process.exit(1);
}
console.log(`Node ${process.version}, ${files.length} test files${coverage ? ', with coverage' : ''}`);

// The spec reporter for people, a TAP copy in a temporary file for the counts. With coverage, V8 writes
// what each process ran into NODE_V8_COVERAGE: the runner's child per test file inherits it, and so do
// the processes those tests start (the example's own entry point), so their library code counts too.
const workDir = mkdtempSync(join(tmpdir(), 'nest-mcp-auth-tests-'));
const tapFile = join(workDir, 'results.tap');
const coverageDir = join(workDir, 'v8-coverage');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit', env: coverage ? { ...process.env, NODE_V8_COVERAGE: coverageDir } : process.env },
);
try {
  const tap = readFileSync(tapFile, 'utf8');
  if (coverage) await reportLibraryCoverage(coverageDir);
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  // Skips are named so a test that needs a missing system package (and says so) is not mistaken for a pass.
  const skipped = count('skipped') ? `, ${count('skipped')} skipped` : '';
  console.log(`\nsummary: ${count('pass')} passed, ${count('fail')} failed${skipped}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
