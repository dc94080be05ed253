-- Families can refer themselves through the front door too ("Ask for help"), not only ask for a social work
-- assessment from the short-breaks application.
alter table referrals drop constraint referrals_kind_check;
alter table referrals add constraint referrals_kind_check check (kind in ('social_work_assessment', 'professional', 'family'));
