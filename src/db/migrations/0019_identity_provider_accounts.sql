-- An account an administrator marks as signing in only through the council's identity provider (OpenID Connect):
-- it has no password and is sent no link to set one, so it is not "invited" while it waits for its first sign-in.
alter table users add column identity_provider_only boolean not null default false;
