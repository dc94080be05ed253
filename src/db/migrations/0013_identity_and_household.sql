-- One record per child: a unique pupil number belongs to one child, the family's address is kept with its postcode,
-- and the people in the child's life who have no account (a parent living elsewhere, a grandparent, a brother or
-- sister who is an adult) are recorded by staff, with their relationship and whether they have parental
-- responsibility.
create unique index children_upn on children (la_code, upn) where upn is not null;

alter table families add column address text check (length(address) <= 500);

create table household_members (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  family_id uuid not null references families (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  relationship text not null check (
    relationship in ('mother', 'father', 'step_parent', 'grandparent', 'brother_or_sister', 'other_relative',
      'foster_carer', 'family_friend', 'other')
  ),
  date_of_birth date,
  parental_responsibility boolean not null,
  lives_with_child boolean not null,
  added_by uuid references users (id),
  added_at timestamptz not null default now()
);
create index household_members_family on household_members (family_id);
