-- The image index, version 1: each recorded build with its spec and manifest, and what it listed.
-- One set of SQL for SQLite and PostgreSQL: ${auto_id} is the one thing they spell differently
-- (an auto-numbered primary key). Files made before the index used Flyway hold exactly these
-- tables (INTEGER where BIGINT stands here: the same in SQLite).
CREATE TABLE builds (
  id ${auto_id},
  spec_hash TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  manifest_json TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX builds_spec_hash ON builds(spec_hash);

CREATE TABLE artifacts (
  build_id BIGINT NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  size BIGINT NOT NULL);
CREATE INDEX artifacts_sha256 ON artifacts(sha256);
CREATE INDEX artifacts_build ON artifacts(build_id);

CREATE TABLE partitions (
  build_id BIGINT NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  artifact_sha256 TEXT NOT NULL,
  number INTEGER NOT NULL,
  sha256 TEXT NOT NULL);
CREATE INDEX partitions_sha256 ON partitions(sha256);

CREATE TABLE packages (
  build_id BIGINT NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  architecture TEXT NOT NULL);
CREATE INDEX packages_name_version ON packages(name, version);
CREATE INDEX packages_build ON packages(build_id);
