-- The Local Offer directory, shaped on Open Referral UK (HSDS UK 3.0). A service owns its small lists
-- (schedules, cost options, contacts, service areas, languages, funding) as JSON in the standard's own shape;
-- organisations, locations, taxonomies and terms are shared, so they are tables.

create table organizations (
  id uuid primary key,
  la_code text not null references councils (la_code),
  name text not null,
  description text not null default '',
  email text,
  website text,
  logo text,
  uri text,
  last_modified timestamptz not null default now()
);
create index organizations_council on organizations (la_code, name);

create table locations (
  id uuid primary key,
  la_code text not null references councils (la_code),
  location_type text not null default 'physical',
  name text,
  description text,
  latitude double precision,
  longitude double precision,
  postcode text,
  addresses jsonb not null default '[]'::jsonb,
  accessibility jsonb not null default '[]'::jsonb,
  locality_id uuid references localities (id)
);
create index locations_council on locations (la_code);

create table services (
  id uuid primary key,
  la_code text not null references councils (la_code),
  organization_id uuid references organizations (id),
  name text not null,
  description text not null default '',
  url text,
  email text,
  status text not null check (status in ('active', 'inactive', 'defunct', 'temporarily closed')),
  fees text,
  accreditations text,
  minimum_age integer check (minimum_age between 0 and 130),
  maximum_age integer check (maximum_age between 0 and 130),
  assured_date date,
  assurer_email text,
  alert text,
  last_modified timestamptz not null default now(),
  schedules jsonb not null default '[]'::jsonb,
  service_areas jsonb not null default '[]'::jsonb,
  languages jsonb not null default '[]'::jsonb,
  funding jsonb not null default '[]'::jsonb,
  cost_options jsonb not null default '[]'::jsonb,
  contacts jsonb not null default '[]'::jsonb,
  -- Local Offer fields: how a family gets the service, and when the entry must next be checked.
  access_routes text[] not null default '{}' check (access_routes <@ array['self_referral', 'professional_referral', 'needs_assessment', 'panel']),
  send_needs text[] not null default '{}',
  review_by date,
  -- Derived when the service is written, so filters are simple index lookups.
  is_free boolean,
  open_days text[] not null default '{}',
  search_document tsvector not null default ''::tsvector,
  source text,
  version integer not null default 1,
  created_at timestamptz not null default now()
);
create index services_council_status on services (la_code, status);
create index services_search on services using gin (search_document);
create index services_organization on services (organization_id);

create table service_at_locations (
  id uuid primary key,
  la_code text not null references councils (la_code),
  service_id uuid not null references services (id) on delete cascade,
  location_id uuid not null references locations (id)
);
create index service_at_locations_service on service_at_locations (service_id);
create index service_at_locations_location on service_at_locations (location_id);

create table taxonomies (
  id uuid primary key,
  la_code text not null references councils (la_code),
  name text not null,
  description text not null default '',
  uri text,
  version text
);

create table taxonomy_terms (
  id uuid primary key,
  la_code text not null references councils (la_code),
  taxonomy_id uuid references taxonomies (id),
  name text not null,
  description text not null default '',
  code text,
  term_uri text,
  parent_id uuid
);
create index taxonomy_terms_taxonomy on taxonomy_terms (taxonomy_id);

-- ORUK "attributes": a service classified by a taxonomy term.
create table service_attributes (
  id uuid primary key,
  la_code text not null references councils (la_code),
  service_id uuid not null references services (id) on delete cascade,
  taxonomy_term_id uuid not null references taxonomy_terms (id),
  unique (service_id, taxonomy_term_id)
);
create index service_attributes_term on service_attributes (taxonomy_term_id, service_id);

-- The search glossary: acronyms, synonyms and plain words, editable by directory editors.
create table glossary_terms (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  term text not null,
  meaning text not null,
  alternatives text[] not null default '{}',
  explain boolean not null default true,
  updated_at timestamptz not null default now()
);
create unique index glossary_terms_unique on glossary_terms (la_code, lower(term));

-- "Is something wrong?": what the public tells us about a listing, until an editor or the provider deals with it.
create table service_feedback (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  service_id uuid not null references services (id) on delete cascade,
  message text not null,
  reply_email text,
  status text not null default 'new' check (status in ('new', 'in_progress', 'resolved', 'dismissed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_feedback_open on service_feedback (la_code, status, created_at);
