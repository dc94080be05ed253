// Dependency hygiene (issue 17): no runtime dependency may need a newer Node.js than Pathway's `engines.node`
// allows, so a council on the oldest Node we promise can still run it. Checked on the real node_modules by
// scripts/check-dependencies.mjs (`npm run deps:check`), whose range reading is tested here on examples.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

interface RuntimePackage {
  name: string;
  version: string;
  path: string;
  node: string | undefined;
  deprecated: string | undefined;
}

interface DependencyCheck {
  RangeFormError: new (message: string) => Error;
  satisfies(version: string, range: string): boolean;
  minimumVersion(range: string): string | undefined;
  runtimePackages(root: string): RuntimePackage[];
  enginesProblems(
    packages: RuntimePackage[],
    nodeVersion: string,
  ): { tooNew: RuntimePackage[]; unreadable: (RuntimePackage & { reason: string })[] };
  oldestSupportedNode(root: string): { range: string; oldest: string };
}

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'check-dependencies.mjs');
// A plain script without type declarations: imported by its address and described by the interface above.
const check = (await import(pathToFileURL(SCRIPT).href)) as DependencyCheck;

describe('Runtime dependencies and the Node.js versions Pathway supports', () => {
  test('every installed runtime dependency allows the oldest Node.js that engines.node allows', () => {
    const { range, oldest } = check.oldestSupportedNode(ROOT);
    assert.equal(oldest, '22.12.0', `engines.node is "${range}"`);
    const packages = check.runtimePackages(ROOT);
    assert.ok(packages.length > 20, 'the runtime dependencies were found, transitively');
    assert.ok(
      packages.some((pkg) => pkg.name === 'fastify'),
      'fastify is among them',
    );
    assert.ok(!packages.some((pkg) => pkg.name === 'typescript'), 'development tools are not');
    const { tooNew, unreadable } = check.enginesProblems(packages, oldest);
    assert.deepEqual(
      tooNew.map((pkg) => `${pkg.name}@${pkg.version} needs node "${pkg.node ?? ''}"`),
      [],
      `runtime dependencies that need a newer Node.js than ${oldest}: pin older versions or raise engines.node`,
    );
    assert.deepEqual(
      unreadable.map((pkg) => `${pkg.name}: ${pkg.reason}`),
      [],
      'engines.node ranges the check cannot read: extend parseRange in scripts/check-dependencies.mjs',
    );
  });

  test('npm run deps:check passes without asking the registry for an audit', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--no-audit'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /every runtime dependency allows Node\.js 22\.12\.0/);
    assert.match(run.stdout, /Dependency check passed/);
  });

  test('a dependency that needs a newer Node.js is named, and one with an unreadable range fails too', () => {
    const pkg = (name: string, node: string | undefined): RuntimePackage => ({
      name,
      version: '1.0.0',
      path: `node_modules/${name}`,
      node,
      deprecated: undefined,
    });
    const { tooNew, unreadable } = check.enginesProblems(
      [pkg('fits', '>=20'), pkg('no-range', undefined), pkg('too-new', '>=24'), pkg('odd', 'node 22 please')],
      '22.12.0',
    );
    assert.deepEqual(
      tooNew.map((found) => found.name),
      ['too-new'],
    );
    assert.deepEqual(
      unreadable.map((found) => found.name),
      ['odd'],
    );
  });
});

describe('Reading engines.node ranges', () => {
  const examples: [range: string, version: string, allowed: boolean][] = [
    ['>=22.12', '22.12.0', true],
    ['>=22.12', '22.11.9', false],
    ['>= 10.x', '22.12.0', true],
    ['>=20', '22.12.0', true],
    ['>=22', '22.0.0', true],
    ['>=24', '22.12.0', false],
    ['>22', '22.12.0', false],
    ['>22.11', '22.12.0', true],
    ['<=22.11', '22.12.0', false],
    ['18 || 20 || >=22', '22.12.0', true],
    ['18 || 20 || >=22', '21.7.0', false],
    ['20 || >=22', '20.9.0', true],
    ['>=16 || 14 >=14.17', '14.16.0', false],
    ['>=16 || 14 >=14.17', '14.17.0', true],
    ['^20.19.0 || >=22.12.0', '22.12.0', true],
    ['^20.19.0 || >=22.12.0', '21.0.0', false],
    ['^22.13', '22.12.0', false],
    ['~22.12.0', '22.13.0', false],
    ['^0.2.3', '0.3.0', false],
    ['1.2 - 2', '2.9.9', true],
    ['1.2 - 2', '3.0.0', false],
    ['22.x', '22.12.0', true],
    ['*', '22.12.0', true],
    ['v22', '23.0.0', false],
  ];
  for (const [range, version, allowed] of examples) {
    test(`"${range}" ${allowed ? 'allows' : 'does not allow'} Node.js ${version}`, () => {
      assert.equal(check.satisfies(version, range), allowed);
    });
  }

  test('the oldest version a range allows', () => {
    assert.equal(check.minimumVersion('>=22.12'), '22.12.0');
    assert.equal(check.minimumVersion('^20.19.0 || >=22.12.0'), '20.19.0');
    assert.equal(check.minimumVersion('>22'), '23.0.0');
    assert.equal(check.minimumVersion('<0.0.0'), undefined);
  });

  test('a range it cannot read is an error, never a pass', () => {
    assert.throws(() => check.satisfies('22.12.0', 'lts/jod'), check.RangeFormError);
    assert.throws(() => check.satisfies('22.12.0', '>=22 !23'), check.RangeFormError);
  });

  // semver is installed with fastify; when it is, the reading is compared with npm's own on every range installed.
  const semverPath = (() => {
    try {
      return createRequire(join(ROOT, 'package.json')).resolve('semver');
    } catch {
      return undefined;
    }
  })();
  test('agrees with npm’s semver on every engines.node range in node_modules', { skip: !semverPath }, async () => {
    const semver = (await import(pathToFileURL(semverPath!).href)) as {
      default: { satisfies(version: string, range: string): boolean };
    };
    const ranges = new Set(
      check
        .runtimePackages(ROOT)
        .map((pkg) => pkg.node)
        .filter((range): range is string => range !== undefined),
    );
    const versions = ['14.16.0', '14.17.0', '18.0.0', '20.0.0', '21.0.0', '22.11.0', '22.12.0', '23.0.0', '24.0.0'];
    for (const range of ranges) {
      for (const version of versions) {
        assert.equal(check.satisfies(version, range), semver.default.satisfies(version, range), `${range} ${version}`);
      }
    }
  });
});
