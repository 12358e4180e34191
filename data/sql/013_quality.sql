-- 013_quality: data-quality rules, their versions and every run's results (src/core/quality/).
--
-- A rule is identified by its name; every edit of what it checks adds a row to
-- quality_rule_version and bumps quality_rule.version, so a result always points at the exact
-- definition it was measured with (old results stay readable after an edit). Every run is kept,
-- passes too: a trend needs the good days. Failing samples are a few rows per rule and run,
-- personal data already masked when written.
CREATE TABLE meta.quality_rule (
  rule_name    text PRIMARY KEY CHECK (rule_name ~ '^[A-Za-z0-9_.-]{1,100}$'),
  rule_set     text NOT NULL,
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  enabled      boolean NOT NULL DEFAULT true,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meta.quality_rule_version (
  rule_name    text NOT NULL REFERENCES meta.quality_rule ON DELETE CASCADE,
  version      integer NOT NULL,
  definition   jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_name, version)
);

CREATE TABLE meta.quality_run (
  run_id       bigserial PRIMARY KEY,
  scope        text NOT NULL,           -- the set or rules asked for
  trigger      text NOT NULL DEFAULT 'hand',
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  status       text NOT NULL CHECK (status IN ('running', 'passed', 'warned', 'failed',
                                                'error', 'cancelled')),
  rules        integer NOT NULL DEFAULT 0,
  scans        integer NOT NULL DEFAULT 0, -- statements run against the warehouse
  duration_ms  double precision
);

CREATE TABLE meta.quality_result (
  run_id        bigint NOT NULL REFERENCES meta.quality_run ON DELETE CASCADE,
  rule_name     text NOT NULL,
  rule_version  integer NOT NULL,
  layer         text NOT NULL,
  table_name    text NOT NULL,
  dimension     text NOT NULL,
  severity      text NOT NULL,
  checked_rows  bigint NOT NULL,
  failing_rows  bigint NOT NULL,
  measured      double precision,
  status        text NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'error')),
  message       text,
  duration_ms   double precision NOT NULL,
  PRIMARY KEY (run_id, rule_name),
  FOREIGN KEY (rule_name, rule_version) REFERENCES meta.quality_rule_version
);
CREATE INDEX quality_result_rule_idx ON meta.quality_result (rule_name, run_id DESC);

CREATE TABLE meta.quality_sample (
  run_id     bigint NOT NULL,
  rule_name  text NOT NULL,
  ord        integer NOT NULL,
  row_key    text,
  value      text,
  PRIMARY KEY (run_id, rule_name, ord),
  FOREIGN KEY (run_id, rule_name) REFERENCES meta.quality_result ON DELETE CASCADE
);

-- Open incidents: a rule that started failing and has not passed since (alerts once each).
CREATE TABLE meta.quality_incident (
  rule_name    text PRIMARY KEY REFERENCES meta.quality_rule ON DELETE CASCADE,
  opened_run   bigint NOT NULL,
  opened_at    timestamptz NOT NULL
);

-- The alerts a rule's incidents raise, as an outbox: one "failing" row when a rule starts
-- failing (an incident opens), one "resolved" row when it passes again (the incident closes),
-- written in the same transaction as the results. The notification relay delivers rows whose
-- sent_at is NULL to the data team's channel; the idempotency key makes a redelivery harmless.
CREATE TABLE meta.quality_alert (
  alert_id         bigserial PRIMARY KEY,
  rule_name        text NOT NULL,
  run_id           bigint NOT NULL REFERENCES meta.quality_run ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('failing', 'resolved')),
  body             text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  sent_at          timestamptz,
  last_error       text
);
CREATE INDEX quality_alert_unsent_idx ON meta.quality_alert (alert_id) WHERE sent_at IS NULL;
