// Runs every compiled `*.test.js` (the library's unit tests and the app's tests) with Node's own test runner.
// (Node 20's `--test` takes no globs, and its default file patterns would also run every helper module
// under test/, so the list is built here.) Ends with a plain "summary: N passed, M failed[, K skipped]" line.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = ['libs/mcp-auth/dist', 'dist']
  .flatMap(findTests)
  .filter((file) => only.length === 0 || only.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('No compiled test files found under dist/ or libs/mcp-auth/dist/ (did the build run?)');
  process.exit(1);
}

// The spec reporter for people, a TAP copy in a temporary file for the counts.
const tapDir = mkdtempSync(join(tmpdir(), 'nest-mcp-auth-tests-'));
const tapFile = join(tapDir, 'results.tap');
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
  { stdio: 'inherit' },
);
const tap = readFileSync(tapFile, 'utf8');
rmSync(tapDir, { recursive: true, force: true });
const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
// Skips are named so a test that needs a missing system package (and says so) is not mistaken for a pass.
const skipped = count('skipped') ? `, ${count('skipped')} skipped` : '';
console.log(`\nsummary: ${count('pass')} passed, ${count('fail')} failed${skipped}`);
process.exit(result.status ?? 1);
