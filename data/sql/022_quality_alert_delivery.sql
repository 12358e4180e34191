-- 022_quality_alert_delivery: aqueductd sends the quality alerts (meta.quality_alert, 013) to
-- the data team's webhook or WeChat Work group robot. A failed send waits before its next try
-- (next_attempt_at); the daemon that sends holds the row locked (FOR UPDATE SKIP LOCKED), so
-- two daemons never send one alert twice, and the idempotency key lets a receiver drop a
-- repeat after a crash between sending and recording.

ALTER TABLE meta.quality_alert ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE meta.quality_alert ADD COLUMN failed_at timestamptz;  -- gave up after max attempts

DROP INDEX meta.quality_alert_unsent_idx;
CREATE INDEX quality_alert_due_idx ON meta.quality_alert (alert_id)
  WHERE sent_at IS NULL AND failed_at IS NULL;
