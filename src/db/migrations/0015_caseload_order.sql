-- A worker's caseload lists their team's open episodes oldest first, fifty a page: in this order the database reads
-- only the page (and those before it) instead of sorting every open episode of the team.
create index episodes_team_open on episodes (team_id, started_at, id) where ended_at is null;
