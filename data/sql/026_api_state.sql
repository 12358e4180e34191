-- 026_api_state: what aqueductd must remember about calls across a restart (issue 13).
-- The daemon checks quotas and nonces from memory (a refused call never touches the
-- warehouse); once a second, in the same flush as the call log, it adds the calls each grant
-- used since the last flush to meta.api_quota_day and copies the nonces it accepted to
-- meta.api_nonce — one statement each per flush, never one write per call. A starting daemon
-- reads back the day's counts and the nonces still inside the timestamp window before it
-- answers its first call, so a replayed signature stays refused and the day's quota keeps
-- counting. After a crash (not a clean stop, which flushes) at most the last flush interval
-- is missing.

-- Calls a grant used on a day (the daemon's local day), added to by every flush.
CREATE TABLE meta.api_quota_day (
  app_key  text NOT NULL,
  api      text NOT NULL,
  day      date NOT NULL,
  calls    integer NOT NULL CHECK (calls >= 0),
  PRIMARY KEY (app_key, api, day)
);

-- Nonces accepted, until the timestamp window they were signed in has passed (expires_at:
-- unix seconds); rows past it are pruned by the flush.
CREATE TABLE meta.api_nonce (
  app_key     text NOT NULL,
  nonce       text NOT NULL,
  expires_at  bigint NOT NULL,
  PRIMARY KEY (app_key, nonce)
);
CREATE INDEX api_nonce_expires_idx ON meta.api_nonce (expires_at);

GRANT SELECT ON meta.api_quota_day TO aq_supervisor, aq_data_engineer;
GRANT SELECT, INSERT, UPDATE, DELETE ON meta.api_quota_day, meta.api_nonce TO aq_operator;
