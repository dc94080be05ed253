-- No child dropped between doors (issue 15): a front-door decision acts on the child's open episode and says what
-- it did; a safety worry stays open on the child's record until a manager closes it with a reason; a step-down that
-- needs a manager's agreement waits as a proposal; and the timeline links each event to the referral it is about.

alter table referrals
  -- What the decision did to the child's work: opened an episode, stepped the child up from their open episode, or
  -- passed the referral to the team already working with the child as new information (never a silent step-down).
  add column decision_effect text check (decision_effect in ('opened', 'stepped_up', 'passed_to_case_holder')),
  -- The episode the decision acted on (opened, stepped up into, or passed to).
  add column episode_id uuid references episodes (id),
  -- A safety worry stays open until a team manager closes it with a reason.
  add column worry_closed_at timestamptz,
  add column worry_closed_by uuid references users (id),
  add column worry_closed_reason text check (length(worry_closed_reason) <= 2000);

create index referrals_open_worries on referrals (child_id)
  where safeguarding_concern and worry_closed_at is null and status <> 'draft';

alter table timeline_events add column referral_id uuid references referrals (id);

-- A worker's proposal to step a child down or close their episode, where a team manager must agree: the child has
-- an open safety worry, or is leaving specialist work. The manager agrees (and the move is made) or refuses, with a
-- reason either way.
create table step_down_proposals (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  child_id uuid not null references children (id),
  episode_id uuid not null references episodes (id),
  to_tier text not null check (to_tier in ('universal', 'targeted')),
  reason text not null check (length(reason) between 1 and 2000),
  closure_reason_code text,
  proposed_by uuid not null references users (id),
  proposed_at timestamptz not null default now(),
  status text not null default 'proposed' check (status in ('proposed', 'agreed', 'refused')),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_reason text check (length(decision_reason) <= 2000)
);
-- One proposal waits on an episode at a time.
create unique index step_down_proposals_one_waiting on step_down_proposals (episode_id) where status = 'proposed';

-- A worker's own cases ("my cases"), and each worker's caseload count.
create index episodes_worker_open on episodes (worker_id, started_at) where ended_at is null;
