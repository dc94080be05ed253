-- The second legal clock: a social work assessment is authorised within 45 working days of the referral (or of the
-- step-up that started specialist work). Managers authorise it on the child's record; overdue ones are flagged to
-- managers once.
alter table episodes
  add column assessment_authorised_at timestamptz,
  add column assessment_authorised_by uuid references users (id),
  add column assessment_overdue_flagged_at timestamptz;
