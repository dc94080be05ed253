// Table types for Kysely. Keep in step with migrations/*.sql.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A calendar date (PostgreSQL `date`), read as YYYY-MM-DD text. */
type CalendarDate = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export const ROLES = [
  'parent_carer',
  'young_person',
  'professional_referrer',
  'triage_worker',
  'short_breaks_officer',
  'social_worker',
  'team_manager',
  'panel_member',
  'send_caseworker',
  'dsco',
  'provider',
  'directory_editor',
  'analyst',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export interface CouncilsTable {
  la_code: string;
  name: string;
  created_at: CreatedAt;
}

export interface LocalitiesTable {
  id: Generated<string>;
  la_code: string;
  name: string;
}

export interface TeamsTable {
  id: Generated<string>;
  la_code: string;
  name: string;
}

export interface UsersTable {
  id: Generated<string>;
  la_code: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  oidc_subject: string | null;
  failed_sign_in_attempts: Generated<number>;
  locked_until: Timestamp | null;
  preferred_language: Generated<string>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface UserRolesTable {
  user_id: string;
  la_code: string;
  role: Role;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  la_code: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  la_code: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface FamiliesTable {
  id: Generated<string>;
  la_code: string;
  family_name: string;
  locality_id: string | null;
  created_at: CreatedAt;
}

export interface FamilyCarersTable {
  family_id: string;
  user_id: string;
  la_code: string;
  relationship: string;
}

export interface ChildrenTable {
  id: Generated<string>;
  la_code: string;
  family_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface AuditEventsTable {
  id: ColumnType<string, never, never>;
  la_code: string | null;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  subject_child_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

export type OutboxStatus = 'recorded' | 'queued' | 'sending' | 'sent' | 'failed';

export interface NotificationsOutboxTable {
  id: Generated<string>;
  la_code: string;
  template: string;
  channel: Generated<'email'>;
  recipient: string;
  subject: string;
  body: string;
  status: OutboxStatus;
  provider_reference: string | null;
  failure_reason: string | null;
  claimed_at: Timestamp | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: CreatedAt;
}

export interface Schema {
  councils: CouncilsTable;
  localities: LocalitiesTable;
  teams: TeamsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  families: FamiliesTable;
  family_carers: FamilyCarersTable;
  children: ChildrenTable;
  audit_events: AuditEventsTable;
  notifications_outbox: NotificationsOutboxTable;
  schema_migrations: SchemaMigrationsTable;
}

export type User = Selectable<UsersTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
