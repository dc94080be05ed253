-- Census-ready data: a child's disabilities and an assessment's factors, in the Children in Need census code lists.
alter table children add column disability_codes text[] not null default '{}';
alter table episodes
  add column assessment_completed_at timestamptz,
  add column assessment_factors text[] not null default '{}';
