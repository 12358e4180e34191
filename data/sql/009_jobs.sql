-- The job scheduler's jobs and runs (src/core/scheduler/, run by aqueductd).
--
-- A job has either a cron schedule or the name of the job whose success triggers it (a chain).
-- next_due_at is the schedule's cursor: the first occurrence not yet queued. A run is one try of
-- one occurrence; the unique key (job, scheduled_for, trigger, attempt) makes "queue this
-- occurrence" idempotent, so two daemons that both see an occurrence due queue it once. A
-- running run holds a lease (lease_owner, lease_until) that its daemon renews; a run whose
-- lease ran out was left by a daemon that died and is marked interrupted by the next tick of
-- any daemon. job_run_one_running is the no-overlap rule kept by the database itself: a job
-- with no_overlap never has two runs in status running.
CREATE TABLE meta.job (
  job_id           bigserial PRIMARY KEY,
  name             text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$'),
  kind             text NOT NULL,
  target           text NOT NULL,
  schedule         text,
  after_job        text REFERENCES meta.job (name) ON UPDATE CASCADE ON DELETE RESTRICT,
  time_zone        text NOT NULL DEFAULT 'Asia/Shanghai',
  enabled          boolean NOT NULL DEFAULT true,
  retries          integer NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 100),
  backoff_seconds  integer NOT NULL DEFAULT 60 CHECK (backoff_seconds >= 0),
  timeout_seconds  integer NOT NULL DEFAULT 3600 CHECK (timeout_seconds > 0),
  no_overlap       boolean NOT NULL DEFAULT true,
  next_due_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((schedule IS NULL) <> (after_job IS NULL)),
  CHECK (after_job IS DISTINCT FROM name)
);

CREATE TABLE meta.job_run (
  run_id         bigserial PRIMARY KEY,
  job_id         bigint NOT NULL REFERENCES meta.job ON DELETE CASCADE,
  scheduled_for  timestamptz NOT NULL,
  trigger        text NOT NULL CHECK (trigger IN ('schedule', 'chain', 'hand', 'backfill')),
  attempt        integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  status         text NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted',
                                   'cancelled')),
  exclusive      boolean NOT NULL DEFAULT true,
  not_before     timestamptz NOT NULL,
  queued_at      timestamptz NOT NULL,
  started_at     timestamptz,
  finished_at    timestamptz,
  error          text,
  log_excerpt    text,
  parent_run_id  bigint REFERENCES meta.job_run ON DELETE SET NULL,
  lease_owner    text,
  lease_until    timestamptz,
  UNIQUE (job_id, scheduled_for, trigger, attempt)
);
CREATE UNIQUE INDEX job_run_one_running ON meta.job_run (job_id)
  WHERE status = 'running' AND exclusive;
CREATE INDEX job_run_queued_idx ON meta.job_run (not_before) WHERE status = 'queued';
CREATE INDEX job_run_running_idx ON meta.job_run (lease_until) WHERE status = 'running';
CREATE INDEX job_run_job_idx ON meta.job_run (job_id, run_id DESC);
