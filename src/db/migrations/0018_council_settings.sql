-- Council policy as settings with an effective date (issue 17), moved out of environment variables: the short-breaks
-- service standard, the oldest age short breaks serve, and the amount above which the resource panel decides. A
-- change is a new row, never an edit: the value in force on a day is the latest row whose effective_from is on or
-- before that day (the latest set, when two take effect the same day), so the table is its own history.

create table council_settings (
  id uuid primary key default gen_random_uuid(),
  la_code text not null references councils (la_code),
  name text not null check (name ~ '^[a-z][a-z0-9_]*$' and length(name) <= 100),
  -- Every policy setting so far is a whole number (days, years, pounds).
  value integer not null,
  effective_from date not null,
  reason text not null check (length(reason) between 1 and 2000),
  -- Null for the defaults this migration and a council's set-up write.
  set_by uuid references users (id),
  set_at timestamptz not null default now()
);

create index council_settings_in_force on council_settings (la_code, name, effective_from desc, set_at desc);

-- A setting's history is kept as it was set: no role may change or remove a row.
create function refuse_council_setting_change() returns trigger language plpgsql as $$
begin
  raise exception 'council_settings rows are never changed: add a row with a new effective date';
end;
$$;
create trigger council_settings_no_update before update or delete on council_settings
  for each row execute function refuse_council_setting_change();

-- Each council keeps the values it had from the environment's defaults, in force since long before any record.
insert into council_settings (la_code, name, value, effective_from, reason)
select la_code, setting.name, setting.value, date '2000-01-01', 'The default before settings were kept per council'
from councils
cross join (
  values
    ('short_breaks_service_standard_days', 20),
    ('short_breaks_max_age', 17),
    ('short_breaks_panel_amount', 5000)
) as setting (name, value);
