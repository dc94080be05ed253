-- Families make their own accounts (issue 17): a parent or carer creates an account with a one-time link sent to
-- their email ('registration'), or asks for a new link when they forget their password ('reset', which exists).
alter table set_password_links drop constraint set_password_links_purpose_check;
alter table set_password_links
  add constraint set_password_links_purpose_check check (purpose in ('setup', 'invitation', 'registration', 'reset'));

-- A parent with an account asks for their child to be added to it. Nobody is given a child's record by typing a
-- name and a date of birth: the front door checks who the child is and either links the parent to the record the
-- council already has (one record per child), makes a new record, or says why it cannot, with a reason the family
-- reads. The child as the parent described them is kept, so the decision can be read later.
create table child_link_requests (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  given_name text not null,
  family_name text not null,
  date_of_birth date not null,
  postcode text,
  nhs_number text,
  relationship text not null,
  status text not null default 'waiting' check (status in ('waiting', 'linked', 'created', 'declined')),
  child_id uuid references children (id),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decline_reason text,
  version integer not null default 1
);

-- The front door's list of requests waiting, oldest first; and a family's own requests.
create index child_link_requests_waiting on child_link_requests (la_code, requested_at) where status = 'waiting';
create index child_link_requests_requester on child_link_requests (requested_by, requested_at);

-- The messages sent to one address: a family's own messages page reads them, and the account forms count them so
-- that nobody can fill a person's inbox.
create index notifications_outbox_recipient on notifications_outbox (recipient, created_at);
