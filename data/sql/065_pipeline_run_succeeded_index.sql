-- 065_pipeline_run_succeeded_index.sql — "data as of" without reading every run
--
-- Every Customer 360 shows when the data was last loaded: max(finished_at) of the runs that
-- succeeded (aq-customer-360.c's profile statement; the outage area and the map tiles ask the
-- same of one pipeline). meta.pipeline_run had no index on it, so each 360 read the whole
-- table: 3 pages at 50 runs, but a warehouse loading 14 pipelines a day keeps ≈ 5,000 runs a
-- year, hundreds of pages per 360. With this index the newest succeeded run is one probe from
-- the index's end, however many runs the table keeps.
CREATE INDEX IF NOT EXISTS pipeline_run_succeeded_idx
  ON meta.pipeline_run (finished_at) WHERE status = 'succeeded';
