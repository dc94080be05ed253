-- One record per child: the identity a referral brings (NHS number, unique pupil number, the family's postcode),
-- so a new referral can be matched to the child's existing record instead of keyed in again.
alter table children
  add column nhs_number text check (nhs_number ~ '^[0-9]{10}$'),
  add column upn text check (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$');
-- An NHS number belongs to one child, so two records with the same one are the same child.
create unique index children_nhs_number on children (la_code, nhs_number) where nhs_number is not null;
create index children_date_of_birth on children (la_code, date_of_birth);

alter table families add column postcode text;
