-- One-time links to set a password (issue 17): the first administrator's link from `npm run setup`, and the links
-- administrators send when they invite someone. Only the SHA-256 hash of the link's secret is kept, so a copy of
-- the database gives nobody a working link; a link works once, until it expires.
create table set_password_links (
  token_hash text primary key,
  la_code text not null references councils (la_code),
  user_id uuid not null references users (id),
  purpose text not null check (purpose in ('setup', 'invitation', 'reset')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create index set_password_links_user on set_password_links (user_id);
