-- Search ranks and filters in the in-memory index (ADR 0006) and reads services by primary key, so the full-text
-- index on search_document is never used (pg_stat_user_indexes showed no scans at 200,000 services), while
-- keeping it up to date was a large part of every import. The search document itself stays: the in-memory index
-- is built from it.
drop index if exists services_search;
