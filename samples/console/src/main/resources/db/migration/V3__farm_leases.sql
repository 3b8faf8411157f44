-- Farm mode: the console's own record of each build's job, so that nothing rests on the broker
-- alone. published_micros: when the broker confirmed the job (null: to be published); worker and
-- heartbeat_micros: who builds it and when it last reported; attempts: how often a worker took it.
CREATE TABLE console_farm_leases (
  build_id TEXT PRIMARY KEY,
  published_micros BIGINT,
  worker TEXT,
  heartbeat_micros BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0);
