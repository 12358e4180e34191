-- 018_pipeline_store: pipelines kept in the warehouse with every version, and backfill runs
-- (src/core/pipeline/aq-pipeline-store.c, src/core/scheduler/aq-backfill.c).
--
-- A pipeline is identified by its name; every save adds a row to pipeline_version and bumps
-- pipeline.latest_version under the pipeline row's lock, so two saves at once get two numbers.
-- The definition is kept as the text that was saved (not jsonb): the editor's positions, the
-- member order and the SQL's line breaks come back as they were, and a diff shows what a person
-- changed. The standard pipelines (data/pipelines/) are written as version 1 of each when the
-- warehouse is prepared; they stay files and remain what `warehouse init --demo` runs.
--
-- A backfill runs one pipeline (and, cascading, its downstream ones) once per period, one
-- period after another; every period is a row, so a failed backfill resumes from its first
-- period that did not succeed.
CREATE TABLE meta.pipeline (
  name            text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,100}$'),
  latest_version  integer NOT NULL DEFAULT 1 CHECK (latest_version >= 1),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meta.pipeline_version (
  name           text NOT NULL REFERENCES meta.pipeline ON DELETE CASCADE,
  version        integer NOT NULL CHECK (version >= 1),
  definition     text NOT NULL CHECK (octet_length(definition) <= 16 * 1024 * 1024),
  author         text NOT NULL DEFAULT session_user,   -- the login, not the role it set
  created_at     timestamptz NOT NULL DEFAULT now(),
  comment        text,
  restored_from  integer,                               -- a restore copies this version
  PRIMARY KEY (name, version)
);

CREATE TABLE meta.backfill_run (
  backfill_id   bigserial PRIMARY KEY,
  pipeline      text NOT NULL,
  period_from   date NOT NULL,
  period_to     date NOT NULL CHECK (period_to >= period_from),
  cascade       boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  error         text,
  resumed_at    timestamptz,
  triggered_by  text NOT NULL DEFAULT session_user
);
CREATE INDEX backfill_run_pipeline_idx ON meta.backfill_run (pipeline, backfill_id DESC);

-- One pipeline run of a backfill: ord is the order they run in (period, then ods → dw → dm).
CREATE TABLE meta.backfill_step (
  backfill_id  bigint NOT NULL REFERENCES meta.backfill_run ON DELETE CASCADE,
  ord          integer NOT NULL,
  period       date NOT NULL,
  pipeline     text NOT NULL,
  status       text NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
  run_id       bigint,                                  -- meta.pipeline_run
  error        text,
  attempts     integer NOT NULL DEFAULT 0,
  finished_at  timestamptz,
  PRIMARY KEY (backfill_id, ord)
);

-- data engineers (and the daemon, which schedules) write; every job reads
GRANT SELECT ON meta.pipeline, meta.pipeline_version, meta.backfill_run, meta.backfill_step
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
GRANT INSERT, UPDATE, DELETE ON meta.pipeline, meta.pipeline_version, meta.backfill_run,
  meta.backfill_step
  TO aq_data_engineer, aq_operator;
GRANT USAGE ON SEQUENCE meta.backfill_run_backfill_id_seq TO aq_data_engineer, aq_operator;
