-- Wrong passwords are counted per account and address (issue 17): a stranger's guesses lock the account from the
-- stranger's address only, so no one can keep a worker out of their account by typing wrong passwords, and an email
-- that is no one's account is counted and locked the same way, so the answers never tell which emails have
-- accounts. The email is kept only as a SHA-256 hash of its lower-case form; rows are removed a day after their last
-- failure. la_code is the account's council, or null for an email that is no one's account.
create table sign_in_failures (
  email_hash text not null,
  address text not null,
  la_code text,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  last_failed_at timestamptz not null default now(),
  primary key (email_hash, address)
);

create index sign_in_failures_by_last_failure on sign_in_failures (last_failed_at);
