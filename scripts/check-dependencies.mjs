// `npm run deps:check`: the dependency hygiene of issue 17 (docs/dependencies.md), in plain Node with nothing to
// install. For every package production installs (the runtime dependencies, transitively):
//   1. its `engines.node` must allow the oldest Node.js that Pathway's own `engines.node` allows, or the check fails
//      with the list (a dependency that needs a newer Node would break a council still on the oldest one we promise);
//   2. a `deprecated` notice in its installed package.json is reported;
//   3. `npm audit --omit=dev --json` is asked for known vulnerabilities; a high or critical one fails the check.
//      When the registry does not answer the audit (a mirror or proxy that refuses it, or no network), the check
//      says so plainly and does not fail on that account.
//
// Options: --no-audit skips step 3; --audit-level <low|moderate|high|critical> sets what fails it (high).
// The range check below covers the forms node-semver documents (comparators, partial versions, x-ranges, ~, ^,
// hyphen ranges, ||), which is every form found in `engines.node` across Pathway's dependencies; a range it cannot
// read fails the check rather than passing silently. test/dependencies.test.ts runs step 1 on the real node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export class RangeFormError extends Error {}

/** A version as [major, minor, patch]; build metadata and pre-release tags are left out (Node releases have none). */
export function parseVersion(text) {
  const match = /^\s*v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(text);
  if (!match) throw new RangeFormError(`"${text}" is not a version like 22.12.0`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

const WILDCARD = /^[xX*]$/;

/** A partial version, `22`, `22.12`, `10.x`, `*`: its numbers, undefined from the first one left open. */
function parsePartial(text) {
  const match = /^v?([0-9]+|[xX*])(?:\.([0-9]+|[xX*]))?(?:\.([0-9]+|[xX*])(?:[-+][0-9A-Za-z.+-]*)?)?$/.exec(text);
  if (!match) throw new RangeFormError(`"${text}" is not a version`);
  const parts = [];
  for (const part of match.slice(1, 4)) {
    if (part === undefined || WILDCARD.test(part)) break;
    parts.push(Number(part));
  }
  return parts;
}

/** [major, minor, patch] from a partial version, the missing numbers as 0. */
const floor = (parts) => [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];

/** The first version above everything a partial version names: 22 → 23.0.0, 22.12 → 22.13.0. */
function ceiling(parts) {
  if (parts.length === 1) return [parts[0] + 1, 0, 0];
  if (parts.length === 2) return [parts[0], parts[1] + 1, 0];
  return undefined;
}

/** One space-separated part of a range, as comparators [operator, version] that must all hold. */
function comparatorsOf(token) {
  const match = /^(<=|>=|<|>|=|~>|~|\^)?(.*)$/.exec(token);
  const operator = match[1] ?? '';
  const parts = parsePartial(match[2]);
  if (parts.length === 0) {
    // `*`, `x`, `>=*`: anything; `<*` and `>*`: nothing.
    return operator === '<' || operator === '>' ? [['<', [0, 0, 0]]] : [];
  }
  const low = floor(parts);
  const high = ceiling(parts);
  switch (operator) {
    case '':
    case '=':
      return high
        ? [
            ['>=', low],
            ['<', high],
          ]
        : [['=', low]];
    case '>=':
      return [['>=', low]];
    case '>':
      return high ? [['>=', high]] : [['>', low]];
    case '<':
      return [['<', low]];
    case '<=':
      return high ? [['<', high]] : [['<=', low]];
    case '~':
    case '~>':
      return [
        ['>=', low],
        ['<', parts.length === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]],
      ];
    case '^': {
      let upper;
      if (low[0] > 0 || parts.length === 1) upper = [low[0] + 1, 0, 0];
      else if (low[1] > 0 || parts.length === 2) upper = [0, low[1] + 1, 0];
      else upper = [0, 0, low[2] + 1];
      return [
        ['>=', low],
        ['<', upper],
      ];
    }
    default:
      throw new RangeFormError(`"${token}" has an operator this check does not know`);
  }
}

/**
 * A range such as `>=22.12`, `>= 10.x`, `20 || >=22`, `>=16 || 14 >=14.17`, `^18.0.0`, `1.2 - 2`: a list of
 * alternatives, each a list of comparators that must all hold. Throws RangeFormError for anything else.
 */
export function parseRange(range) {
  if (typeof range !== 'string') throw new RangeFormError(`${JSON.stringify(range)} is not a range`);
  return range.split('||').map((alternative) => {
    const text = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const from = parsePartial(hyphen[1]);
      const to = parsePartial(hyphen[2]);
      const upper = to.length === 0 ? [] : ceiling(to) ? [['<', ceiling(to)]] : [['<=', floor(to)]];
      return [['>=', floor(from)], ...upper];
    }
    // `>= 10` is `>=10`: an operator standing alone belongs to the version after it.
    const tokens = text
      .replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, '$1')
      .split(/\s+/)
      .filter((token) => token !== '');
    return tokens.flatMap(comparatorsOf);
  });
}

const HOLDS = {
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
  '=': (order) => order === 0,
};

/** Whether a version (`22.12.0`) is in a range (`>=20`, `18 || 20 || >=22`). */
export function satisfies(version, range) {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  return parseRange(range).some((comparators) =>
    comparators.every(([operator, bound]) => HOLDS[operator](compare(v, bound))),
  );
}

/** The lowest version a range allows, as text (`>=22.12` → `22.12.0`); undefined when it allows none. */
export function minimumVersion(range) {
  const candidates = parseRange(range).map((comparators) => {
    let lowest = [0, 0, 0];
    for (const [operator, bound] of comparators) {
      const from = operator === '>' ? [bound[0], bound[1], bound[2] + 1] : bound;
      if ((operator === '>=' || operator === '>' || operator === '=') && compare(from, lowest) > 0) lowest = from;
    }
    return lowest;
  });
  const allowed = candidates.filter((candidate) => satisfies(candidate, range)).sort(compare);
  return allowed[0]?.join('.');
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * Every package a production install holds (not marked `dev` in npm's lockfile), as installed: its name, version,
 * folder, `engines.node` and any `deprecated` notice. Reads the lockfile npm keeps in node_modules (what is
 * installed), or package-lock.json; optional packages for other platforms, not installed here, are skipped.
 */
export function runtimePackages(root) {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  const lockPath = existsSync(hidden) ? hidden : join(root, 'package-lock.json');
  if (!existsSync(lockPath)) throw new Error(`No lockfile in ${root}: run npm ci first.`);
  const lock = readJson(lockPath);
  const found = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.dev || entry.link) continue;
    const manifestPath = join(root, path, 'package.json');
    if (!existsSync(manifestPath)) {
      if (entry.optional) continue;
      throw new Error(`${path} is in ${lockPath} but not installed: run npm ci.`);
    }
    const manifest = readJson(manifestPath);
    found.push({
      name: manifest.name ?? path.replace(/^.*node_modules\//, ''),
      version: manifest.version,
      path,
      node: manifest.engines?.node,
      deprecated: typeof manifest.deprecated === 'string' ? manifest.deprecated : undefined,
    });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The runtime packages whose `engines.node` does not allow a Node.js version (Pathway's oldest), and those whose
 * range this check cannot read. Packages that declare no range are taken to run anywhere.
 */
export function enginesProblems(packages, nodeVersion) {
  const tooNew = [];
  const unreadable = [];
  for (const pkg of packages) {
    if (pkg.node === undefined) continue;
    try {
      if (!satisfies(nodeVersion, pkg.node)) tooNew.push(pkg);
    } catch (error) {
      if (!(error instanceof RangeFormError)) throw error;
      unreadable.push({ ...pkg, reason: error.message });
    }
  }
  return { tooNew, unreadable };
}

/** The oldest Node.js that the project's package.json `engines.node` allows. */
export function oldestSupportedNode(root) {
  const range = readJson(join(root, 'package.json')).engines?.node;
  if (!range) throw new Error('package.json declares no engines.node.');
  const oldest = minimumVersion(range);
  if (!oldest) throw new Error(`package.json's engines.node "${range}" allows no version.`);
  return { range, oldest };
}

const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];

/**
 * `npm audit --omit=dev --json`, read: { answered: true, counts, findings } when the registry answered, or
 * { answered: false, reason } when it did not (refused, unreachable, or no npm to ask).
 */
export function runAudit(root, timeoutMs = 120_000) {
  const npm = process.env.npm_execpath
    ? { command: process.execPath, args: [process.env.npm_execpath] }
    : { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
  const result = spawnSync(npm.command, [...npm.args, 'audit', '--omit=dev', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { answered: false, reason: `npm could not be run: ${result.error.message}` };
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    const said = `${result.stderr}`.trim().split('\n').slice(0, 3).join(' ');
    return { answered: false, reason: `npm audit gave no report (exit code ${result.status}): ${said}` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const reason = report.message ?? report.error?.summary ?? `npm audit exited with ${result.status}`;
    return { answered: false, reason };
  }
  const findings = Object.values(report.vulnerabilities ?? {}).map((vulnerability) => ({
    name: vulnerability.name,
    severity: vulnerability.severity,
    range: vulnerability.range,
    fixAvailable: Boolean(vulnerability.fixAvailable),
    advisories: (vulnerability.via ?? [])
      .filter((via) => typeof via === 'object')
      .map((via) => `${via.title ?? 'advisory'}${via.url ? ` (${via.url})` : ''}`),
  }));
  return { answered: true, counts, findings };
}

function optionValue(args, name, fallback) {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
}

function main(args) {
  const root = resolve(import.meta.dirname, '..');
  let failed = false;
  const say = (line = '') => process.stdout.write(`${line}\n`);

  const { range, oldest } = oldestSupportedNode(root);
  const packages = runtimePackages(root);
  say(`Runtime dependencies installed: ${packages.length} packages (production, transitively).`);

  // 1. Node.js versions.
  const { tooNew, unreadable } = enginesProblems(packages, oldest);
  if (tooNew.length === 0 && unreadable.length === 0) {
    say(`Node.js: every runtime dependency allows Node.js ${oldest}, the oldest that engines.node "${range}" allows.`);
  }
  if (tooNew.length > 0) {
    failed = true;
    say(`Node.js: these runtime dependencies need a newer Node.js than ${oldest} (engines.node "${range}"):`);
    for (const pkg of tooNew) say(`  ${pkg.name}@${pkg.version} needs node "${pkg.node}" (${pkg.path})`);
    say('  Pin an older version of each, or raise engines.node (and say so in docs/operations.md).');
  }
  if (unreadable.length > 0) {
    failed = true;
    say('Node.js: this check cannot read these engines.node ranges; extend parseRange in this script:');
    for (const pkg of unreadable) say(`  ${pkg.name}@${pkg.version}: ${pkg.reason}`);
  }
  const running = process.versions.node;
  const notHere = packages.filter((pkg) => {
    try {
      return pkg.node !== undefined && !satisfies(running, pkg.node);
    } catch {
      return false;
    }
  });
  if (notHere.length > 0) {
    say(`Note: these do not declare support for the Node.js running this check (${running}):`);
    for (const pkg of notHere) say(`  ${pkg.name}@${pkg.version} declares node "${pkg.node}"`);
  }

  // 2. Deprecation notices.
  const deprecated = packages.filter((pkg) => pkg.deprecated);
  if (deprecated.length === 0) {
    say('Deprecated: no installed runtime package carries a deprecation notice in its package.json.');
  } else {
    say('Deprecated: these installed runtime packages say they are deprecated:');
    for (const pkg of deprecated) say(`  ${pkg.name}@${pkg.version}: ${pkg.deprecated}`);
  }

  // 3. Known vulnerabilities.
  if (args.includes('--no-audit')) {
    say('Audit: skipped (--no-audit).');
  } else {
    const level = optionValue(args, '--audit-level', 'high');
    if (!SEVERITIES.includes(level)) throw new Error(`--audit-level must be one of ${SEVERITIES.join(', ')}`);
    const audit = runAudit(root);
    if (!audit.answered) {
      say(`Audit: NOT CHECKED. The registry did not answer npm audit: ${audit.reason}`);
      say('  Known vulnerabilities were not looked up on this machine; run it where the registry answers');
      say('  (docs/dependencies.md, "Running npm audit").');
    } else {
      const worrying = audit.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(level));
      const total = audit.counts.total ?? audit.findings.length;
      say(`Audit: the registry answered; ${total} known vulnerabilities in runtime dependencies.`);
      for (const finding of audit.findings) {
        say(
          `  ${finding.severity}: ${finding.name} ${finding.range ?? ''}${finding.fixAvailable ? ' (fix available)' : ''}`,
        );
        for (const advisory of finding.advisories) say(`    ${advisory}`);
      }
      if (worrying.length > 0) {
        failed = true;
        say(`  ${worrying.length} at ${level} or above: fix them now (docs/dependencies.md, "Update policy").`);
      }
    }
  }

  say(failed ? 'Dependency check FAILED.' : 'Dependency check passed.');
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
