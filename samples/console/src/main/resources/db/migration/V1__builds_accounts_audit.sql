-- The console's tables: builds, accounts with their API tokens, the audit log. One set of SQL for
-- SQLite (one machine) and PostgreSQL (a farm); the image index keeps its own tables and history.
-- Times are ISO-8601 text; the *_micros columns (microseconds since the epoch) order them.

-- A build as the API shows it (BuildView as JSON), with the columns queries need beside it.
CREATE TABLE console_builds (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  submitted_at_micros BIGINT NOT NULL,
  submitted_by TEXT NOT NULL,
  spec_hash TEXT NOT NULL,
  build_json TEXT NOT NULL);
CREATE INDEX console_builds_submitted ON console_builds(submitted_at_micros);
CREATE INDEX console_builds_status ON console_builds(status);

-- Secrets only as hashes: BCrypt for passwords, sha256 for tokens.
CREATE TABLE console_accounts (
  name TEXT PRIMARY KEY,
  roles TEXT NOT NULL,
  password_hash TEXT);

CREATE TABLE console_tokens (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL REFERENCES console_accounts(name) ON DELETE CASCADE,
  sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
CREATE INDEX console_tokens_account ON console_tokens(account);

-- Appended to, never changed.
CREATE TABLE console_audit (
  id TEXT PRIMARY KEY,
  at_micros BIGINT NOT NULL,
  at TEXT NOT NULL,
  account TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  remote_address TEXT NOT NULL);
CREATE INDEX console_audit_at ON console_audit(at_micros);
