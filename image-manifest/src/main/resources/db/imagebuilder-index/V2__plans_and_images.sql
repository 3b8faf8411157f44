-- Version 2: the plan that ran and where the artifacts went; one row per distinct artifact
-- (images), the artifacts table staying the record of which build wrote which image.
ALTER TABLE builds ADD COLUMN plan_id TEXT;
ALTER TABLE builds ADD COLUMN plan_json TEXT;
ALTER TABLE builds ADD COLUMN output_dir TEXT;
CREATE INDEX builds_plan_id ON builds(plan_id);

CREATE TABLE images (
  sha256 TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  size BIGINT NOT NULL,
  first_build_id BIGINT NOT NULL REFERENCES builds(id));
-- the same bytes have the same format and size in every build that wrote them
INSERT INTO images (sha256, format, size, first_build_id)
  SELECT sha256, min(format), min(size), min(build_id) FROM artifacts GROUP BY sha256;
