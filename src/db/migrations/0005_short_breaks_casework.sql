-- Short breaks casework: what the family tells us about the child and family, their own words on each question,
-- evidence files, requests for more information, the resource panel, annual reviews, and a family's request for
-- a social work assessment instead (a legal right) as the first kind of referral.

alter table short_break_applications
  -- About the child and family. Ethnicity is asked only to check the service is fair; scoring never reads it.
  add column about jsonb not null default '{}'::jsonb,
  -- The family's own words on each question (question id -> text), for the officer; not scored.
  add column notes jsonb not null default '{}'::jsonb,
  -- An annual review is a new application that starts from the one it reviews.
  add column review_of uuid references short_break_applications (id),
  add column review_invited_at timestamptz,
  -- Outcomes above the council's panel amount go to the resource panel, who record the decision and reasons.
  add column panel_reason text,
  add column panel_changed boolean,
  add column panel_decided_by uuid references users (id),
  add column panel_decided_at timestamptz;

alter table short_break_applications drop constraint short_break_applications_status_check;
alter table short_break_applications add constraint short_break_applications_status_check check (status in (
  'draft', 'submitted', 'more_information_requested', 'verified', 'awaiting_panel', 'decided', 'withdrawn'
));

-- A child has at most one draft at a time, so a double click on "start" cannot make two.
create unique index short_break_applications_one_draft on short_break_applications (child_id) where status = 'draft';
create index short_break_applications_review_due on short_break_applications (decided_at)
  where status = 'decided' and review_invited_at is null;

-- Evidence the family uploads. Kept in the database so a backup holds everything; the type is checked from the
-- content, not the name.
create table short_break_evidence (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  application_id uuid not null references short_break_applications (id),
  file_name text not null check (length(file_name) between 1 and 200),
  media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  content bytea not null,
  uploaded_by uuid not null references users (id),
  uploaded_at timestamptz not null default now()
);
create index short_break_evidence_application on short_break_evidence (application_id);

-- An officer's question to the family, and the family's answer. While one is open the application waits for the
-- family, and the queue shows how long.
create table short_break_information_requests (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  application_id uuid not null references short_break_applications (id),
  question text not null check (length(question) between 1 and 2000),
  asked_by uuid not null references users (id),
  asked_at timestamptz not null default now(),
  answer text check (length(answer) <= 5000),
  answered_by uuid references users (id),
  answered_at timestamptz
);
create index short_break_information_requests_application on short_break_information_requests (application_id);

-- A referral to the council's children's social care. source_code is the Children in Need census referral source
-- (1A: a family member, relative or carer), so a census return needs no re-keying.
create table referrals (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  child_id uuid not null references children (id),
  kind text not null check (kind in ('social_work_assessment')),
  source_code text not null,
  reason text check (length(reason) <= 2000),
  requested_by uuid not null references users (id),
  -- The short-breaks application the family was in when they asked, if any.
  short_break_application_id uuid references short_break_applications (id),
  received_at timestamptz not null default now(),
  status text not null default 'new' check (status in ('new'))
);
create index referrals_queue on referrals (la_code, status, received_at);
