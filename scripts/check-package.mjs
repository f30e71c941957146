// The package as users get it: builds, checks what `npm pack` puts in the tarball, then installs the
// tarball into a fresh project outside this repository with only the documented peer dependencies,
// compiles a small app with that project's own TypeScript and tsconfig (ESM, module nodenext), and runs
// it: 401 challenge, RFC 9728 metadata and a tool call (scripts/package-check/consumer/src/main.ts), on
// Express and on Fastify; then the same as a CommonJS project. Both platform packages are optional peers: the
// shipped JavaScript must not import either (types only), so an app installs just the one it runs on.
//
//   node scripts/check-package.mjs [NODE ...]   (npm run check:package; CI adds Node 24)
//   KEEP_CONSUMER=1 node scripts/...            keeps the consumer project and prints where it is
//
// NODE: further Node binaries to run the compiled app with (besides the one running this script).
//
// Versions of the peers, TypeScript and @types/node are the root lockfile's, so the check tests what the
// repository tests and installs from the npm cache when the registry is not reachable.
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const library = join(repo, 'libs/mcp-auth');
const template = join(repo, 'scripts/package-check/consumer');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const nodes = [process.execPath, ...process.argv.slice(2).map((path) => resolve(path))];

class CheckFailed extends Error {}

function fail(message) {
  throw new CheckFailed(message);
}

/** Runs a command to its end (bounded); its output, or a failure that shows what it printed. */
function run(command, args, cwd, timeoutMinutes = 5) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMinutes * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    const how = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
    fail(`${command} ${args.join(' ')} failed (${how})`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** What the tarball must and must not hold; every shipped source map must find its sources in it. */
function checkContents(files) {
  const shipped = new Set(files);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
    if (!shipped.has(required)) fail(`the package lacks ${required}`);
  }
  for (const required of ['dist/testing/index.js', 'dist/testing/index.d.ts']) {
    if (!shipped.has(required)) fail(`the package lacks ${required} (the nest-mcp-auth/testing export)`);
  }
  const unwanted = files.filter((file) => /\.test\.|(^|\/)test-support\/|tsbuildinfo|(^|\/)tsconfig\.json$/.test(file));
  if (unwanted.length > 0) fail(`the package holds files users do not need: ${unwanted.join(', ')}`);
  let maps = 0;
  for (const file of files.filter((name) => name.endsWith('.map'))) {
    const { sources } = JSON.parse(readFileSync(join(library, file), 'utf8'));
    for (const source of sources) {
      const target = posix.normalize(posix.join(posix.dirname(file), source));
      if (!shipped.has(target)) fail(`${file} points at ${target}, which the package does not ship`);
    }
    maps++;
  }
  console.log(`  ok  ${files.length} files; ${maps} source maps, each with its source`);
  const platformImport =
    /\b(?:from|import)\s*\(?\s*['"](@nestjs\/platform-[\w-]+|express|fastify|@fastify\/[\w-]+)['"]/;
  const importing = files
    .filter((file) => file.endsWith('.js'))
    .map((file) => [file, platformImport.exec(readFileSync(join(library, file), 'utf8'))?.[1]])
    .filter(([, specifier]) => specifier !== undefined);
  if (importing.length > 0) {
    fail(`the library imports an HTTP platform at run time: ${importing.map((entry) => entry.join(' → ')).join(', ')}`);
  }
  console.log('  ok  no HTTP platform imported at run time (Express and Fastify are optional peers)');
}

function consumerPackageJson(tarball) {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  const locked = (name) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) fail(`${name} is not in the root package-lock.json`);
    return version;
  };
  const { peerDependencies } = JSON.parse(readFileSync(join(library, 'package.json'), 'utf8'));
  const dependencies = { 'nest-mcp-auth': `file:${tarball}` };
  for (const name of Object.keys(peerDependencies)) dependencies[name] = locked(name);
  return {
    name: 'nest-mcp-auth-consumer',
    private: true,
    type: 'module',
    dependencies,
    devDependencies: { typescript: locked('typescript'), '@types/node': locked('@types/node') },
  };
}

const work = realpathSync(mkdtempSync(join(tmpdir(), 'nest-mcp-auth-package-')));
try {
  if (!relative(repo, work).startsWith('..')) fail(`${work} is inside the repository`);
  console.log('check-package: build');
  run(npm, ['run', 'build'], repo);

  console.log('check-package: contents (npm pack)');
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], library).stdout);
  checkContents(packed.files.map((file) => file.path));
  const tarball = join(work, packed.filename);
  console.log(`  ok  ${packed.filename}: ${(packed.size / 1024).toFixed(0)} kB packed, ${packed.entryCount} files`);

  const consumer = join(work, 'consumer');
  cpSync(template, consumer, { recursive: true });
  const manifest = consumerPackageJson(tarball);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`check-package: a fresh project in ${consumer}`);
  console.log(`  npm install nest-mcp-auth (tarball) ${Object.keys(manifest.dependencies).slice(1).join(' ')}`);
  const install = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline'], consumer, 8);
  const warnings = `${install.stdout}${install.stderr}`.split('\n').filter((text) => /warn/i.test(text));
  if (warnings.length > 0) console.log(warnings.map((text) => `  ${text}`).join('\n'));

  // The same sources as an ES module project, then as a CommonJS one (NestJS 12 and the library are ESM
  // only; CommonJS code loads them with require(esm), unflagged since Node 20.19 and 22.12).
  for (const type of ['module', 'commonjs']) {
    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ ...manifest, type }, null, 2)}\n`);
    rmSync(join(consumer, 'dist'), { recursive: true, force: true });
    console.log(`check-package: tsc, the project's own (module nodenext, package.json "type": "${type}")`);
    run(join(consumer, 'node_modules/.bin/tsc'), ['-p', '.'], consumer);
    if (!existsSync(join(consumer, 'dist/main.js'))) fail('tsc wrote no dist/main.js');
    for (const node of nodes) {
      const version = run(node, ['--version'], consumer).stdout.trim();
      for (const platform of ['express', 'fastify']) {
        const passed = run(node, ['dist/main.js', platform], consumer, 2)
          .stdout.split('\n')
          .filter((text) => text.startsWith('  ok  '))
          .map((text) => text.slice(6));
        console.log(`  ok  Node ${version}, ${platform}: ${passed.join('; ')}`);
      }
    }
  }
  console.log('check-package: the packed library works outside the workspace');
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`check-package: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (process.env.KEEP_CONSUMER) console.log(`check-package: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
