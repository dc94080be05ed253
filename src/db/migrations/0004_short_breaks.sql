-- Short breaks: scoring models as versioned data, and the applications scored with them.

create table scoring_models (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  version integer not null,
  status text not null check (status in ('published', 'retired')),
  model jsonb not null,
  published_by uuid references users (id),
  published_at timestamptz not null default now(),
  unique (la_code, version)
);
-- One model is in use per council at a time.
create unique index scoring_models_in_use on scoring_models (la_code) where status = 'published';

-- An application keeps the model version it was scored under, its answers, per-domain scores and the rule that
-- fired, so its decision can be explained and replayed against a draft model.
create table short_break_applications (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  child_id uuid not null references children (id),
  status text not null default 'draft' check (status in (
    'draft', 'submitted', 'more_information_requested', 'verified', 'decided', 'withdrawn'
  )),
  -- The gateway: lives in the area, and the evidence of disability the family has.
  eligibility jsonb not null default '{}'::jsonb,
  answers jsonb not null default '{}'::jsonb,
  child_age integer check (child_age between 0 and 25),
  model_version integer,
  total integer,
  domain_scores jsonb,
  rule_id text,
  outcome jsonb,
  submitted_at timestamptz,
  -- What the family quotes: set when the application is submitted.
  reference text unique,
  -- A short breaks officer's check of the evidence, then a manager's decision: the proposed outcome ratified,
  -- or overridden with a reason.
  verification jsonb,
  verified_by uuid references users (id),
  verified_at timestamptz,
  decision jsonb,
  override_reason text,
  decided_by uuid references users (id),
  decided_at timestamptz,
  -- When managers were told the application had passed the service standard.
  overdue_flagged_at timestamptz,
  created_at timestamptz not null default now(),
  version integer not null default 1
);
create index short_break_applications_queue on short_break_applications (la_code, status, submitted_at);
