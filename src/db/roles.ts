// The grants that let the application run as a role that does not own the tables (docs/operations.md, "Database
// roles"): it reads and writes Pathway's tables and pg-boss's, adds to the audit trail and reads it, and can neither
// change nor empty the audit trail, nor switch off or drop its triggers, which only the owner could.
import type { Database } from './database.ts';

/** What a role's name may be here: plain letters, digits and underscores, as PostgreSQL folds them. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class GrantRefused extends Error {}

function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL the owner runs, after migrating, for the application's role; run again it changes nothing. */
export function grantStatements(role: string, databaseName: string): string {
  if (!ROLE_NAME.test(role)) {
    throw new GrantRefused(
      `"${role}" is not a role name this command accepts: use lower-case letters, digits and underscores.`,
    );
  }
  const to = identifier(role);
  const lines = [
    `grant connect, temporary on database ${identifier(databaseName)} to ${to};`,
    `grant usage on schema public, pgboss to ${to};`,
    // Reading and writing the rows, never the tables' shape: no truncate, references or trigger.
    `grant select, insert, update, delete on all tables in schema public, pgboss to ${to};`,
    `grant usage, select on all sequences in schema public, pgboss to ${to};`,
    `grant execute on all functions in schema public, pgboss to ${to};`,
    // The audit trail is read and added to, never changed (its trigger refuses that even to the owner).
    `revoke all on table audit_events from ${to};`,
    `grant select, insert on table audit_events to ${to};`,
    // Which migrations ran is the owner's to say; the application only checks.
    `revoke all on table schema_migrations from ${to};`,
    `grant select on table schema_migrations to ${to};`,
    // Tables a later migration makes (and pg-boss's queues) come with the same rights.
    `alter default privileges in schema public, pgboss grant select, insert, update, delete on tables to ${to};`,
    `alter default privileges in schema public, pgboss grant usage, select on sequences to ${to};`,
  ];
  return lines.join('\n');
}

/**
 * Grants the role what the application needs, in one transaction, as the owner of the tables. Refused for a role
 * that could change the audit trail anyway (a superuser, the owner or a member of the owner's role), and before
 * pg-boss's schema exists (`npm run migrate` makes it).
 */
export async function grantApplicationRole(database: Database, role: string): Promise<void> {
  if (database.kind !== 'server') {
    throw new GrantRefused('Roles belong to a PostgreSQL server: set DATABASE_URL to the database, as its owner.');
  }
  const { rows } = await database.executeSql(
    `select current_database() as database,
            (select rolsuper from pg_roles where rolname = $1) as superuser,
            pg_has_role($1, current_user, 'member') as owner_powers,
            to_regnamespace('pgboss') is not null as pgboss,
            to_regclass('audit_events') is not null as audit
       from pg_roles where rolname = $1`,
    [role],
  );
  const found = rows[0];
  if (!found) throw new GrantRefused(`There is no role "${role}": create it first (create role ${role} login …).`);
  if (found.superuser === true || found.owner_powers === true) {
    throw new GrantRefused(
      `"${role}" is a superuser, the owner, or a member of the owner's role, so it could change the audit trail ` +
        'whatever it is granted: the application needs a role of its own.',
    );
  }
  if (found.pgboss !== true || found.audit !== true) {
    throw new GrantRefused('The database is not migrated yet: run npm run migrate as the owner first.');
  }
  // Several statements in one simple query run as one transaction: all are granted, or none.
  await database.executeSql(grantStatements(role, String(found.database)));
}
