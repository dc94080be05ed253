// Applies the numbered SQL files in migrations/ in order, each once, each in its own transaction.
// Migrations only go forward: to change something, add a new file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
const MIGRATION_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((name) => MIGRATION_NAME.test(name))
    .sort();
}

/** Returns the versions it applied. */
export async function migrate(database: Database): Promise<string[]> {
  return database.withMigrationLock(async (run) => {
    await run(
      'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
    );
    const { rows } = await run('select version from schema_migrations');
    const applied = new Set(rows.map((row) => String(row.version)));
    const newlyApplied: string[] = [];
    for (const file of migrationFiles()) {
      const version = file.replace(/\.sql$/, '');
      if (applied.has(version)) continue;
      const script = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      // The version comes from a file name that matched MIGRATION_NAME, so it is safe to inline.
      try {
        await run(`begin;\n${script}\n;insert into schema_migrations (version) values ('${version}');\ncommit;`);
      } catch (error) {
        await run('rollback');
        throw new Error(`Migration ${version} failed and was rolled back: ${(error as Error).message}`);
      }
      newlyApplied.push(version);
    }
    return newlyApplied;
  });
}

/**
 * The migrations this database lacks, without changing anything: for a start with MIGRATE=false, as a role that
 * may not create tables, which should stop with a clear message rather than fail on a missing column later.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const { rows: found } = await database.executeSql("select to_regclass('schema_migrations') is not null as present");
  const applied = new Set<string>();
  if (found[0]?.present === true) {
    const { rows } = await database.executeSql('select version from schema_migrations');
    for (const row of rows) applied.add(String(row.version));
  }
  return migrationFiles()
    .map((file) => file.replace(/\.sql$/, ''))
    .filter((version) => !applied.has(version));
}
