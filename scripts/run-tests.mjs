// Runs every *.test.ts and *.spec.ts under src/ and test/ with Node's own test runner (Node 20 has no --test globs),
// or only the files named on the command line.
//
// Before several files run, one database of each kind is migrated (test/helpers/database-templates.ts) and each
// test file starts from a copy of it: creating and migrating one per file cost seconds a file. One file alone
// creates its own, which is no slower than making the template first.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts') || name.endsWith('.spec.ts')) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : ['src', 'test'].flatMap(findTests).sort();

const withTemplates = files.length > 1;
const templateFolder = withTemplates ? mkdtempSync(join(tmpdir(), 'pathway-tests-')) : undefined;
const env = { ...process.env, NODE_ENV: 'test' };
if (templateFolder) {
  env.PATHWAY_TEST_PGLITE_ARCHIVE = join(templateFolder, 'migrated-pglite.tar');
  if (env.TEST_DATABASE_URL) env.PATHWAY_TEST_POSTGRES_TEMPLATE = `pathway_template_${randomBytes(6).toString('hex')}`;
}

// The run stops cleanly when told to (Ctrl-C, a time-out's SIGTERM): the signal is passed to the step running, and
// the templates are still removed.
let running;
let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopped = true;
    running?.kill(signal);
  });
}

/** Runs node with these arguments and resolves whether it succeeded. */
function node(args) {
  return new Promise((resolve) => {
    running = spawn(process.execPath, args, { stdio: 'inherit', env });
    running.on('exit', (code) => resolve(code === 0));
  });
}

// Node 24 runs TypeScript itself by erasing the types (the code uses only erasable syntax: tsconfig's
// erasableSyntaxOnly), which starts each test file about two seconds sooner than through tsx; an older Node uses tsx.
const typescript = process.features.typescript ? [] : ['--import', 'tsx'];

const templates = (command) => node([...typescript, 'test/helpers/database-templates.ts', command]);

const testRunner = ['--test', '--test-concurrency=2', '--test-timeout=300000', '--test-reporter=spec'];
let passed = false;
try {
  const ready = !withTemplates || (await templates('make'));
  if (ready && !stopped) passed = await node([...typescript, ...testRunner, ...files]);
} finally {
  if (env.PATHWAY_TEST_POSTGRES_TEMPLATE && !(await templates('remove'))) passed = false;
  if (templateFolder) rmSync(templateFolder, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);
