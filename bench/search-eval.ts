// Search quality on an evaluation set (shared/data/search-eval by default): imports its services with the
// Open Referral importer into a fresh database, runs every query through the same ranking as the public
// search page, and prints nDCG@10 and success@3. Queries that miss are listed on standard error.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemoCouncil, DEMO_COUNCIL } from '../src/demo/council.ts';
import { importFeed } from '../src/features/directory/import.ts';
import { locatePostcode } from '../src/features/directory/places.ts';
import { DirectorySearch } from '../src/features/directory/search/directory-search.ts';

interface EvalQuery {
  id: string;
  query: string;
  filters?: { age?: number; postcode?: string; max_distance_km?: number };
  relevant: Record<string, number>;
}

function ndcgAt10(ranked: string[], relevant: Record<string, number>): number {
  const gain = (grade: number | undefined) => (grade === 2 ? 3 : grade === 1 ? 1 : 0);
  const seen = new Set<string>();
  let dcg = 0;
  let position = 0;
  for (const id of ranked) {
    if (seen.has(id)) continue;
    seen.add(id);
    position += 1;
    if (position > 10) break;
    dcg += gain(relevant[id]) / Math.log2(position + 1);
  }
  const ideal = Object.values(relevant)
    .map(gain)
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum: number, points, index) => sum + points / Math.log2(index + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export async function searchEvalBenchmark(): Promise<Record<string, unknown>> {
  const folder = resolve(
    process.env.SEARCH_EVAL_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'search-eval'),
  );
  const queries = JSON.parse(readFileSync(join(folder, 'queries.json'), 'utf8')) as EvalQuery[];
  const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {});
  await migrate(database);
  await seedDemoCouncil(database.db, 'development');
  const laCode = DEMO_COUNCIL.laCode;
  const report = await importFeed(database.db, laCode, join(folder, 'services.json'), 'search-eval');
  const search = new DirectorySearch(database);
  await search.understanding(laCode);

  let ndcgSum = 0;
  let successSum = 0;
  const misses: string[] = [];
  const started = performance.now();
  for (const query of queries) {
    const near = query.filters?.postcode ? await locatePostcode(database.db, laCode, query.filters.postcode) : null;
    const result = await search.services(laCode, {
      text: query.query,
      filters: {
        ...(query.filters?.age !== undefined ? { age: query.filters.age } : {}),
        ...(near ? { near, maxDistanceKm: query.filters?.max_distance_km } : {}),
      },
      order: 'relevance',
      page: 1,
      perPage: 10,
    });
    const ranked = result.hits.map((hit) => hit.id);
    const ndcg = ndcgAt10(ranked, query.relevant);
    const success = ranked.slice(0, 3).some((id) => query.relevant[id] === 2) ? 1 : 0;
    ndcgSum += ndcg;
    successSum += success;
    if (success === 0 || ndcg < 0.6) {
      misses.push(
        `${query.id} "${query.query}" nDCG ${ndcg.toFixed(2)} success ${success}: ${result.hits
          .slice(0, 3)
          .map((hit) => hit.name)
          .join(' | ')}`,
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await search.close();
  await database.close();
  if (misses.length > 0) process.stderr.write(`${misses.join('\n')}\n`);
  return {
    benchmark: 'search-eval',
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    services_imported: report.accepted,
    queries: queries.length,
    ndcg_at_10: Math.round((ndcgSum / queries.length) * 1000) / 1000,
    success_at_3: Math.round((successSum / queries.length) * 1000) / 1000,
    mean_query_ms: Math.round((seconds / queries.length) * 1000 * 10) / 10,
  };
}
