-- Platform: councils, localities, teams, people and their roles, sessions, audit, notifications,
-- families and children. Every table of council data carries la_code (the council's local authority code).

create table councils (
  la_code text primary key check (la_code ~ '^[A-Z0-9]{3,9}$'),
  name text not null,
  created_at timestamptz not null default now()
);

create table localities (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  name text not null,
  unique (la_code, name)
);

create table teams (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  name text not null,
  unique (la_code, name)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  email text not null,
  display_name text not null,
  password_hash text,
  oidc_subject text,
  failed_sign_in_attempts integer not null default 0,
  locked_until timestamptz,
  preferred_language text not null default 'en',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
-- One email signs in to one account, whichever council it belongs to.
create unique index users_email on users (lower(email));
create unique index users_oidc_subject on users (oidc_subject) where oidc_subject is not null;

create table user_roles (
  user_id uuid not null references users (id) on delete cascade,
  la_code text not null references councils (la_code),
  role text not null check (role in (
    'parent_carer', 'young_person', 'professional_referrer', 'triage_worker', 'short_breaks_officer',
    'social_worker', 'team_manager', 'panel_member', 'send_caseworker', 'dsco', 'provider',
    'directory_editor', 'analyst', 'administrator'
  )),
  primary key (user_id, role)
);

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  la_code text not null references councils (la_code),
  primary key (team_id, user_id)
);

-- Server-side sessions. The cookie holds a random id; only its SHA-256 hash is stored.
create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  la_code text not null references councils (la_code),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);
create index sessions_last_seen on sessions (last_seen_at);

create table families (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  family_name text not null,
  locality_id uuid references localities (id),
  created_at timestamptz not null default now()
);

create table family_carers (
  family_id uuid not null references families (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  la_code text not null references councils (la_code),
  relationship text not null,
  primary key (family_id, user_id)
);

create table children (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  family_id uuid not null references families (id),
  given_name text not null,
  family_name text not null,
  date_of_birth date not null,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index children_family on children (family_id);

-- Append-only record of who did what. Written in the same transaction as the change it records.
create table audit_events (
  id bigint generated always as identity primary key,
  la_code text references councils (la_code),
  occurred_at timestamptz not null default now(),
  actor_user_id uuid,
  actor_role text,
  action text not null,
  subject_child_id uuid,
  subject_type text,
  subject_id text,
  request_id text,
  details jsonb not null default '{}'::jsonb
);
create index audit_events_child on audit_events (subject_child_id, occurred_at) where subject_child_id is not null;
create index audit_events_time on audit_events (la_code, occurred_at);

-- Audit rows can never change: a trigger refuses update, delete and truncate for every role,
-- including the role that owns the table (privileges alone would not stop the owner).
create function refuse_audit_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function refuse_audit_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function refuse_audit_change();

-- Messages to people, rendered from templates and kept. Sent through GOV.UK Notify when it is configured.
create table notifications_outbox (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  template text not null,
  channel text not null default 'email' check (channel in ('email')),
  recipient text not null,
  subject text not null,
  body text not null,
  status text not null check (status in ('recorded', 'queued', 'sending', 'sent', 'failed')),
  claimed_at timestamptz,
  provider_reference text,
  failure_reason text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index notifications_outbox_recent on notifications_outbox (la_code, created_at desc);
create index notifications_outbox_queued on notifications_outbox (created_at) where status = 'queued';
