-- The scoring model an administrator is changing, before it is tried and published: one draft per council, shared
-- by its administrators. version guards against two administrators saving over each other.
create table scoring_model_drafts (
  la_code text primary key references councils (la_code),
  model jsonb not null,
  updated_by uuid not null references users (id),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
