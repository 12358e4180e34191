-- 065_customer_lookup_plans.sql — an agent's lookup plans for the rows it really reads
--
-- "Data as of" without reading every run. Every Customer 360 shows when the data was last
-- loaded: max(finished_at) of the runs that succeeded (aq-customer-360.c's profile statement;
-- the outage area and the map tiles ask the same of one pipeline). meta.pipeline_run had no
-- index on it, so each 360 read the whole table: 3 pages at 50 runs, but a warehouse loading
-- 14 pipelines a day keeps ≈ 5,000 runs a year, hundreds of pages per 360. With this index the
-- newest succeeded run is one probe from the index's end, however many runs the table keeps.
CREATE INDEX IF NOT EXISTS pipeline_run_succeeded_idx
  ON meta.pipeline_run (finished_at) WHERE status = 'succeeded';

-- A phone number's customers. A number belongs to one customer, two or three at most (a
-- household's landline), but masked.customers_with_contact() (010) was planned like any
-- set-returning function, as 1,000 rows. For that many the lookup's candidate query hashed all
-- of dw.dim_community (3,333 rows, 101 pages at 1 M accounts) to name each candidate's
-- community: 0.6–1.2 ms of every lookup by phone. At its real size the planner probes the
-- community by its key. The data API's customer_lookup (019) calls it too.
ALTER FUNCTION masked.customers_with_contact(text) ROWS 2;
