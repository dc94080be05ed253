-- The front door, first slice: professionals refer through one form; every referral is triaged within a working
-- day to no further action (with Local Offer services suggested), targeted help (the short breaks team) or the
-- specialist disabled children's social work team.

-- A professional may refer a child who has no record yet; triage links or creates the record later.
alter table referrals alter column child_id drop not null;
alter table referrals drop constraint referrals_kind_check;
alter table referrals add constraint referrals_kind_check check (kind in ('social_work_assessment', 'professional'));
alter table referrals drop constraint referrals_status_check;
alter table referrals add constraint referrals_status_check check (status in ('draft', 'new', 'decided'));

alter table referrals
  -- What the referrer quotes: set when the referral is sent.
  add column reference text unique,
  -- A professional's answers, section by section: the child as they know them, needs and what has been tried,
  -- consent and safeguarding (see src/domain/front-door/referral.ts).
  add column details jsonb not null default '{}'::jsonb,
  -- Children in Need census primary need code (N1 to N8).
  add column primary_need_code text,
  add column safeguarding_concern boolean not null default false,
  add column outcome text check (outcome in ('no_further_action', 'targeted', 'specialist')),
  add column outcome_reason text check (length(outcome_reason) <= 2000),
  add column signposted_service_ids uuid[] not null default '{}',
  add column decided_by uuid references users (id),
  add column decided_at timestamptz,
  -- When managers were told the referral had waited more than a working day.
  add column overdue_flagged_at timestamptz,
  add column version integer not null default 1;

create index referrals_referrer on referrals (requested_by, received_at);
