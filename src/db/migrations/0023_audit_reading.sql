-- Reading the audit trail (the audit screen, /admin/audit): by the person who acted, and by a child named in a list
-- of children someone saw (a list's event holds the ids it showed in details.childIds, not one subject child).
create index audit_events_actor on audit_events (actor_user_id, occurred_at) where actor_user_id is not null;
create index audit_events_child_lists on audit_events using gin ((details -> 'childIds'));
