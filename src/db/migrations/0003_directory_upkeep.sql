-- Keeping the directory fresh: where each locality is, which provider accounts speak for which organisation,
-- changes waiting for an editor, every published version of a service, and review reminders.

-- Postcode districts ("NM1") in a locality, so an imported location lands in its locality without re-keying.
alter table localities add column postcode_districts text[] not null default '{}';

create table organization_members (
  organization_id uuid not null references organizations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  la_code text not null references councils (la_code),
  primary key (organization_id, user_id)
);
create index organization_members_user on organization_members (user_id);

-- Every published version of the details people edit in Pathway, so an editor can compare and restore them.
create table service_versions (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  service_id uuid not null references services (id) on delete cascade,
  version integer not null,
  details jsonb not null,
  changed_by uuid references users (id),
  summary text not null,
  created_at timestamptz not null default now(),
  unique (service_id, version)
);

-- A provider's proposed change, waiting for a directory editor. One waits per service at a time.
create table service_changes (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  service_id uuid not null references services (id) on delete cascade,
  base_version integer not null,
  details jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  proposed_by uuid not null references users (id),
  proposed_at timestamptz not null default now(),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_note text
);
create unique index service_changes_one_pending on service_changes (service_id) where status = 'pending';
create index service_changes_queue on service_changes (la_code, status, proposed_at);

-- When the provider was last reminded that a review is due, and when editors were told an entry went stale.
alter table services add column review_reminded_at timestamptz;
alter table services add column stale_flagged_at timestamptz;

-- What the provider or editor did about a public report.
alter table service_feedback add column response text;
alter table service_feedback add column updated_by uuid references users (id);

-- The text search reads, weighted by where words come from: the name (A) matters most, then the categories and
-- needs a service is tagged with (B), then its description (C), then its provider and the accessibility notes of
-- where it happens (D). One definition, used by imports and by edits.
create function service_search_document(name text, categories text, description text, extra text)
returns tsvector language sql immutable parallel safe as $$
  select setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(categories, '')), 'B') ||
         setweight(to_tsvector('english', coalesce(description, '')), 'C') ||
         setweight(to_tsvector('english', coalesce(extra, '')), 'D')
$$;

-- "Near me" searches place a postcode at the directory's locations with that postcode or postcode district.
create index locations_postcode on locations (la_code, postcode text_pattern_ops);
