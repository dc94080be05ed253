// Builds dist/, what production runs with node alone: src/ compiled to JavaScript (tsconfig.build.json), and beside
// it every other file under src/ that the code reads from its own folder at run time (views, static files,
// migrations), copied as it is. locales/ and node_modules/ are found from the project folder, as from src/.
//
// With --when-stale it builds only when something under src/ or a tsconfig is newer than the last build: npm runs
// it so on `npm ci` (prepare) and before `npm start` and the other commands, so a fresh clone and a `git pull`
// both run what the sources say. A production install (`npm ci --omit=dev`) has no TypeScript: there it runs the
// dist/ already built by `npm ci` from the same sources (docs/operations.md).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
// Written last, so a build that stopped half way is never taken for a finished one.
const STAMP = join(DIST, '.built');

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function isStale() {
  if (!existsSync(STAMP)) return true;
  const sources = [SRC, join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json')];
  return Math.max(...sources.map(newestChange)) > statSync(STAMP).mtimeMs;
}

function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--when-stale') && !isStale()) process.exit(0);

const tsc = typescriptCompiler();
if (!tsc) {
  if (existsSync(STAMP)) {
    console.log('TypeScript is not installed (a production install): using the dist/ already built.');
    process.exit(0);
  }
  console.error(
    'dist/ is not built and TypeScript is not installed: run `npm ci` (it builds) before `npm ci --omit=dev`.',
  );
  process.exit(1);
}

// Built beside dist/ and swapped in whole: a Pathway already running from dist/ (a build started by `npm run
// migrate` on a live server, say) keeps finding its views and migrations, and a file removed from src/ does not
// live on in dist/. The names carry this process's id, so two builds at once never share a folder.
const next = `${DIST}.next-${process.pid}`;
const old = `${DIST}.old-${process.pid}`;
rmSync(next, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', next], {
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.exit(compiled.status ?? 1);
}
cpSync(SRC, next, {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
});
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);
if (existsSync(DIST)) renameSync(DIST, old);
renameSync(next, DIST);
rmSync(old, { recursive: true, force: true });
