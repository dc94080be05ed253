-- Open Referral feeds a council's directory editors register so that Pathway imports them again every night
-- (issue 17), with the result of the last attempt: when it ran, how many services were accepted and rejected, the
-- rejected records' references and reasons (at most 500), or why the feed could not be read.
create table registered_feeds (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  name text not null,
  url text not null,
  added_by uuid references users (id),
  added_at timestamptz not null default now(),
  last_refreshed_at timestamptz,
  last_accepted integer,
  last_rejected integer,
  last_rejected_records jsonb not null default '[]',
  last_problem text,
  last_problem_detail text,
  unique (la_code, url)
);
