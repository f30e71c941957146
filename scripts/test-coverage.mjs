// Library coverage for scripts/run-tests.mjs: turns the V8 coverage that the test processes wrote into
// line and branch figures per source file of libs/mcp-auth/src (through the compiled files' source maps),
// prints them as a table, and leaves coverage/lcov.info (+ an HTML report) for editors and tools.
// Thresholds are not enforced yet: the table is there to be read.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Report } from 'c8';

const LIBRARY_DIST = 'libs/mcp-auth/dist';
const LIBRARY_SRC = 'libs/mcp-auth/src';
const REPORTS_DIR = 'coverage';

/** Every file under `dir` whose name ends with `suffix` (an empty list when `dir` does not exist). */
export function findFiles(dir, suffix) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findFiles(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

/**
 * A module with only types compiles to `export {};`: nothing runs, so it has nothing to cover (counted as
 * never loaded, its interface lines would read as 0 %).
 */
function isTypeOnly(compiledFile) {
  const code = readFileSync(compiledFile, 'utf8')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
    .replace(/^export \{\};$/m, '')
    .trim();
  return code === '';
}

/** Prints the table of `libs/mcp-auth/src` coverage from the V8 coverage files in `v8CoverageDir`. */
export async function reportLibraryCoverage(v8CoverageDir) {
  const typeOnly = findFiles(LIBRARY_DIST, '.js').filter(isTypeOnly);
  await Report({
    tempDirectory: v8CoverageDir,
    reportsDirectory: REPORTS_DIR,
    reporter: ['json-summary', 'lcov'],
    // `all`: a library file that no test loads counts, with 0 %, instead of silently missing.
    all: true,
    src: [LIBRARY_DIST],
    include: [`${LIBRARY_DIST}/**`],
    // The tests themselves and the testing kit (test support, exercised by every test) are not the library.
    exclude: ['**/*.test.js', `${LIBRARY_DIST}/testing/**`, ...typeOnly],
    extension: ['.js'],
    excludeNodeModules: true,
    omitRelative: true,
    resolve: '',
  }).run();

  const summary = JSON.parse(readFileSync(join(REPORTS_DIR, 'coverage-summary.json'), 'utf8'));
  const rows = Object.entries(summary)
    .filter(([file]) => file !== 'total')
    .map(([file, figures]) => [relative(LIBRARY_SRC, file), figures])
    .sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) throw new Error(`No coverage recorded for ${LIBRARY_SRC} (did the tests run?)`);

  const width = Math.max(...rows.map(([file]) => file.length), 'all files'.length);
  const cell = ({ pct, covered, total }) => `${pct.toFixed(1).padStart(5)}% ${`${covered}/${total}`.padStart(9)}`;
  const line = (file, figures) => `  ${file.padEnd(width)}  ${cell(figures.lines)}  ${cell(figures.branches)}`;
  console.log(`\ncoverage of ${LIBRARY_SRC} (${REPORTS_DIR}/lcov.info has the lines):`);
  console.log(`  ${'file'.padEnd(width)}  ${'lines'.padEnd(16)}  branches`);
  for (const [file, figures] of rows) console.log(line(file, figures));
  console.log(line('all files', summary.total));
}
