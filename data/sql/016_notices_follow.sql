-- 016_notices_follow: notices follow their outage
--
-- A message withdrawn before it left (its campaign or its outage was cancelled) is
-- 'cancelled': the relay claims only 'queued' ones, so it never goes out, and the campaign's
-- counts still say how many had already been sent. A campaign's status is one of draft,
-- queued, done (nothing left to send), cancelled (withdrawn), rejected (a reviewer refused
-- the draft): the column had no check so far.

ALTER TABLE notify.message DROP CONSTRAINT IF EXISTS message_status_check;
ALTER TABLE notify.message ADD CONSTRAINT message_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled'));

UPDATE notify.campaign SET status = 'queued' WHERE status = 'reviewed';
ALTER TABLE notify.campaign ADD CONSTRAINT campaign_status_check
  CHECK (status IN ('draft', 'queued', 'done', 'cancelled', 'rejected'));

COMMENT ON COLUMN notify.message.status IS
  'queued, sending (leased by one relay), sent, delivered, failed; cancelled: withdrawn before it left';
COMMENT ON COLUMN notify.campaign.status IS
  'draft (waiting for a second login''s approval), queued, done (nothing left to send), cancelled, rejected';

-- A cancelled campaign withdraws its messages that have not left; a cancelled outage cancels
-- its notices that are not done. In the warehouse, so that no path (CLI, panel, SQL) can
-- cancel an outage and leave its water-cut notice queued.
CREATE FUNCTION notify.campaign_withdraw() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE notify.message SET status = 'cancelled', lease_owner = NULL, lease_until = NULL
   WHERE campaign_id = NEW.campaign_id AND status = 'queued';
  RETURN NULL;
END
$$;

CREATE TRIGGER campaign_withdraw AFTER UPDATE OF status ON notify.campaign
  FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
  EXECUTE FUNCTION notify.campaign_withdraw();

CREATE FUNCTION notify.outage_withdraw() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE notify.campaign SET status = 'cancelled'
   WHERE outage_id = NEW.outage_id AND status IN ('draft', 'queued');
  RETURN NULL;
END
$$;

CREATE TRIGGER outage_withdraw AFTER UPDATE OF status ON notify.outage
  FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
  EXECUTE FUNCTION notify.outage_withdraw();

-- ---- a pipeline run whose process died is interrupted, not running forever ----
-- Each run records the backend that runs it (pid and start, which together name one
-- connection); a run still 'running' whose backend is gone (the process was killed, the
-- connection dropped) is marked interrupted whenever a new run starts, or when anyone asks
-- with meta.pipeline_run_sweep(). pg_stat_activity shows other logins' backends only to a
-- superuser, hence SECURITY DEFINER (the owner's rights, a fixed search_path).

ALTER TABLE meta.pipeline_run ADD COLUMN backend_pid integer;
ALTER TABLE meta.pipeline_run ADD COLUMN backend_start timestamptz;
ALTER TABLE meta.pipeline_run DROP CONSTRAINT IF EXISTS pipeline_run_status_check;
ALTER TABLE meta.pipeline_run ADD CONSTRAINT pipeline_run_status_check
  CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted'));
COMMENT ON COLUMN meta.pipeline_run.backend_pid IS
  'The PostgreSQL backend that runs it: with backend_start, tells a live run from a killed one';

CREATE FUNCTION meta.pipeline_run_sweep() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meta
AS $$
  WITH gone AS (
    UPDATE meta.pipeline_run r
       SET status = 'interrupted', finished_at = clock_timestamp(),
           error = coalesce(r.error, 'the process running it stopped (killed or disconnected)')
     WHERE r.status = 'running' AND r.backend_pid IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                        WHERE a.pid = r.backend_pid
                          AND (a.backend_start IS NULL OR r.backend_start IS NULL
                               OR a.backend_start = r.backend_start))
    RETURNING 1)
  SELECT count(*) FROM gone
$$;
-- harmless to anyone (it only closes runs whose process is gone), and every login that starts
-- a run calls it through the trigger
GRANT EXECUTE ON FUNCTION meta.pipeline_run_sweep() TO PUBLIC;

CREATE FUNCTION meta.pipeline_run_started() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.backend_pid := pg_backend_pid();
  NEW.backend_start := (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid());
  PERFORM meta.pipeline_run_sweep();
  RETURN NEW;
END
$$;

CREATE TRIGGER pipeline_run_started BEFORE INSERT ON meta.pipeline_run
  FOR EACH ROW EXECUTE FUNCTION meta.pipeline_run_started();
