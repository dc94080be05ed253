// `npm run bench -- <name>`: runs one benchmark and prints its figures as one JSON line.
import { applicationsBenchmark } from './applications.ts';
import { caseworkBenchmark } from './casework.ts';
import { childSearchBenchmark } from './child-search.ts';
import { platformBenchmark } from './platform.ts';
import { reliabilityBenchmark } from './reliability.ts';
import { searchBenchmark } from './search.ts';
import { searchEvalBenchmark } from './search-eval.ts';

const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  applications: applicationsBenchmark,
  casework: caseworkBenchmark,
  'child-search': childSearchBenchmark,
  platform: platformBenchmark,
  reliability: reliabilityBenchmark,
  search: searchBenchmark,
  'search-eval': searchEvalBenchmark,
};

const name = process.argv[2] ?? 'platform';
const benchmark = benchmarks[name];
if (!benchmark) {
  console.error(`Unknown benchmark "${name}". Choose one of: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const figures = await benchmark();
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
