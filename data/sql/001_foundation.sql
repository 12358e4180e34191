-- 001_foundation: extensions, the warehouse layers, and the run bookkeeping of meta.
-- Plain DDL only (Greenplum 7 / Citus / PostgreSQL >= 12).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA IF NOT EXISTS ods;
CREATE SCHEMA IF NOT EXISTS dw;
CREATE SCHEMA IF NOT EXISTS dm;
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS notify;
CREATE SCHEMA IF NOT EXISTS staging;

COMMENT ON SCHEMA ods IS 'Raw extracts from the source systems, with batch id and load time';
COMMENT ON SCHEMA dw IS 'Conformed dimensions and facts';
COMMENT ON SCHEMA dm IS 'Marts the panels read fast';
COMMENT ON SCHEMA meta IS 'Catalog, pipelines and their runs, audit log';
COMMENT ON SCHEMA notify IS 'Notification campaigns, outbox, delivery receipts';
COMMENT ON SCHEMA staging IS 'Scratch tables of running pipelines (COPY targets)';

-- Named connections a pipeline's table input can read from. "warehouse" is always the
-- warehouse itself; others hold a libpq URL without password (passwords live in the keyring).
CREATE TABLE meta.connection (
  name        text PRIMARY KEY,
  url         text NOT NULL,
  description text
);

CREATE TABLE meta.pipeline_run (
  run_id        bigserial PRIMARY KEY,
  pipeline      text NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  status        text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  rows_written  bigint,
  error         text,
  triggered_by  text NOT NULL DEFAULT current_user
);
CREATE INDEX pipeline_run_pipeline_idx ON meta.pipeline_run (pipeline, started_at DESC);

CREATE TABLE meta.pipeline_step_run (
  run_id       bigint NOT NULL REFERENCES meta.pipeline_run ON DELETE CASCADE,
  step_id      text NOT NULL,
  step_type    text NOT NULL,
  rows_in      bigint,
  rows_out     bigint,
  duration_ms  double precision,
  error        text,
  PRIMARY KEY (run_id, step_id)
);

-- Incremental loads: the highest watermark value a pipeline's input has loaded.
CREATE TABLE meta.pipeline_watermark (
  pipeline    text NOT NULL,
  step_id     text NOT NULL,
  value       text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (pipeline, step_id)
);

CREATE TABLE meta.audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL DEFAULT current_user,
  action  text NOT NULL,
  object  text,
  detail  jsonb
);
CREATE INDEX audit_log_at_idx ON meta.audit_log (at DESC);
