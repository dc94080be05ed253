-- The proportionate pathway: each child's current tier and episode, explicit step-up and step-down transitions,
-- allocation to a team and a worker, and one timeline of everything that happens to the child.

-- The tier a team works at: the short breaks team at targeted, the disabled children's social work team at
-- specialist. Teams with no tier (the front door, the resource panel) hold no episodes.
alter table teams add column serves_tier text check (serves_tier in ('targeted', 'specialist'));

-- A period of work with a child at one tier. A child has at most one open episode; universal services (the Local
-- Offer) need none, so stepping down to universal closes the episode with a census closure reason.
create table episodes (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  child_id uuid not null references children (id),
  tier text not null check (tier in ('targeted', 'specialist')),
  team_id uuid not null references teams (id),
  worker_id uuid references users (id),
  started_at timestamptz not null default now(),
  start_reason text not null check (length(start_reason) between 1 and 2000),
  referral_id uuid references referrals (id),
  ended_at timestamptz,
  end_reason text check (length(end_reason) <= 2000),
  -- Children in Need census reason for closure (RC1 to RC9), when the child leaves the pathway.
  closure_reason_code text,
  version integer not null default 1
);
create unique index episodes_one_open on episodes (child_id) where ended_at is null;
create index episodes_caseload on episodes (team_id, worker_id) where ended_at is null;

-- Everything that happens to a child, newest first on their record: referrals, decisions, episodes, transitions,
-- allocations, applications. Written in the same transaction as the change it records.
create table timeline_events (
  id bigint generated always as identity primary key,
  la_code text not null references councils (la_code),
  child_id uuid not null references children (id),
  occurred_at timestamptz not null default now(),
  kind text not null,
  summary text not null,
  actor_user_id uuid references users (id)
);
create index timeline_events_child on timeline_events (child_id, occurred_at desc);
