-- 019_api: the data API market and service bus (issue 13)
--
-- An API is a name, a category and a kind ('sql': answered from the warehouse; 'forward': a
-- business system's HTTP API passed through). Its definition lives in versions: publishing
-- writes a new meta.api_version and points meta.api.published_version at it, so a rollback is
-- pointing back. A definition is JSON (src/core/api/aq-api.c reads it): the SQL template with
-- typed named parameters (:name) and optional clauses ([[ … ]], kept only when every parameter
-- in them is given), the keyset paging column and the page-size limit, an example.
--
-- Warehouse APIs run as aq_api, which reads personal data only through the masked.* views
-- (010_roles.sql): an external caller cannot see an unmasked phone or ID whatever the SQL says.
--
-- Apps hold an AppKey and the secret the daemon checks HMAC signatures with (readable only by
-- the daemon's and the owners' roles); a grant is an app's application for an API, decided by
-- an owner, with an expiry and limits. Every decision also goes to meta.audit_log.
-- Calls are logged by aqueductd in batches (COPY) and rolled up per minute.
-- meta.api_state.generation moves on every change, so the daemon reloads without a restart.
-- Portable SQL (Greenplum 7 / Citus / PostgreSQL >= 12): no MERGE.

CREATE TABLE meta.api (
  name               text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,62}$'),
  category           text NOT NULL,
  title              text NOT NULL,
  description        text NOT NULL DEFAULT '',
  kind               text NOT NULL DEFAULT 'sql' CHECK (kind IN ('sql', 'forward')),
  audience           text NOT NULL DEFAULT 'external' CHECK (audience IN ('external', 'internal')),
  owner              text NOT NULL DEFAULT session_user,
  published_version  integer,          -- NULL: a draft, not served
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meta.api_version (
  api         text NOT NULL REFERENCES meta.api ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version > 0),
  definition  jsonb NOT NULL,
  note        text,
  created_by  text NOT NULL DEFAULT session_user,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api, version)
);

CREATE TABLE meta.api_app (
  app_key      text PRIMARY KEY CHECK (app_key ~ '^[A-Za-z0-9_-]{8,64}$'),
  name         text NOT NULL UNIQUE,
  secret       text NOT NULL CHECK (length(secret) >= 32),
  description  text NOT NULL DEFAULT '',
  enabled      boolean NOT NULL DEFAULT true,
  created_by   text NOT NULL DEFAULT session_user,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- status: requested, approved, refused, revoked
CREATE TABLE meta.api_grant (
  app_key       text NOT NULL REFERENCES meta.api_app ON DELETE CASCADE,
  api           text NOT NULL REFERENCES meta.api ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('requested', 'approved', 'refused', 'revoked')),
  reason        text NOT NULL DEFAULT '',
  per_second    integer NOT NULL DEFAULT 20 CHECK (per_second > 0),
  per_day       integer NOT NULL DEFAULT 10000 CHECK (per_day > 0),
  expires_at    timestamptz,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  decided_by    text,
  decided_at    timestamptz,
  PRIMARY KEY (app_key, api)
);

-- One row a call ('' when the caller or the API was not known). http: the HTTP status;
-- code: the answer's code (0 ok).
CREATE TABLE meta.api_call (
  at          timestamptz NOT NULL,
  app_key     text NOT NULL,
  api         text NOT NULL,
  http        smallint NOT NULL,
  code        integer NOT NULL,
  latency_us  integer NOT NULL,
  rows        integer NOT NULL DEFAULT 0
);
CREATE INDEX api_call_at_idx ON meta.api_call (at);
CREATE INDEX api_call_api_at_idx ON meta.api_call (api, at);

-- Per minute, API and app (the daemon folds each batch in); buckets: calls under 1 ms, then
-- from each bound of meta.api_latency_bounds() to the next, then 5 s and more (13 counts).
CREATE TABLE meta.api_call_minute (
  minute          timestamptz NOT NULL,
  api             text NOT NULL,
  app_key         text NOT NULL,
  calls           integer NOT NULL,
  errors          integer NOT NULL,
  latency_sum_us  bigint NOT NULL,
  buckets         integer[] NOT NULL,
  PRIMARY KEY (minute, api, app_key)
);

CREATE FUNCTION meta.api_latency_bounds() RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] $$;

CREATE FUNCTION meta.api_add_buckets(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
  FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

CREATE TABLE meta.api_state (
  one         boolean PRIMARY KEY DEFAULT true CHECK (one),
  generation  bigint NOT NULL
);
INSERT INTO meta.api_state VALUES (true, 1);

CREATE FUNCTION meta.api_touch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE meta.api_state SET generation = generation + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER api_touch AFTER INSERT OR UPDATE OR DELETE ON meta.api
  FOR EACH STATEMENT EXECUTE FUNCTION meta.api_touch();
CREATE TRIGGER api_touch AFTER INSERT OR UPDATE OR DELETE ON meta.api_version
  FOR EACH STATEMENT EXECUTE FUNCTION meta.api_touch();
CREATE TRIGGER api_touch AFTER INSERT OR UPDATE OR DELETE ON meta.api_app
  FOR EACH STATEMENT EXECUTE FUNCTION meta.api_touch();
CREATE TRIGGER api_touch AFTER INSERT OR UPDATE OR DELETE ON meta.api_grant
  FOR EACH STATEMENT EXECUTE FUNCTION meta.api_touch();

-- ---- grants ----
-- The market is public to every job; owners (data engineers, supervisors) define, publish and
-- decide; the daemon (aq_operator) reads secrets and writes the call log. aq_api, the role the
-- queries run as, reads none of this.

GRANT SELECT ON meta.api, meta.api_version, meta.api_state, meta.api_call_minute
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator;
GRANT SELECT (app_key, name, description, enabled, created_by, created_at) ON meta.api_app
  TO aq_supervisor, aq_analyst, aq_data_engineer, aq_operator;
GRANT SELECT ON meta.api_app, meta.api_grant, meta.api_call TO aq_supervisor, aq_data_engineer,
  aq_operator;
GRANT INSERT, UPDATE, DELETE ON meta.api, meta.api_version, meta.api_app, meta.api_grant
  TO aq_supervisor, aq_data_engineer;
GRANT INSERT ON meta.api_call TO aq_operator;
GRANT INSERT, UPDATE ON meta.api_call_minute TO aq_operator;

-- the daemon answers as aq_api
DO $$
BEGIN
  IF NOT pg_has_role('aq_operator', 'aq_api', 'MEMBER') THEN
    BEGIN
      GRANT aq_api TO aq_operator;
    EXCEPTION WHEN unique_violation OR duplicate_object THEN
      NULL;
    END;
  END IF;
END
$$;

-- ---- the standard APIs (issue 13), published as version 1 ----

INSERT INTO meta.api (name, category, title, description, published_version) VALUES
  ('bill_receivables', 'billing', 'Receivables of an account',
   'The account''s bills not yet paid in full: amount, paid so far, owed (应收列表).', 1),
  ('bill_details', 'billing', 'Bills of an account',
   'One row a billing month: readings, volume by tier, water and sewage fees (账单明细), newest first.', 1),
  ('payments', 'billing', 'Payments of an account',
   'Payments with channel, late fee and days late (缴费信息).', 1),
  ('withholding', 'billing', 'Bank withholding of an account',
   'Payments collected by bank withholding (代扣信息).', 1),
  ('annual_bill_summary', 'billing', 'Annual bill summary',
   'A year of an account: total volume and amount, surcharge paid, credit grade (payment habit) and payment type (preferred channel) (年度账单汇总).', 1),
  ('meter_info', 'meter', 'Meter of an account',
   'The meter an account is read on: size, brand, model, installation and status (水表信息).', 1),
  ('customer_lookup', 'customer', 'Customer number lookup',
   'The accounts of the customer a phone number is registered to (户号查询); the number comes back masked.', 1),
  ('customer_profile', 'customer', 'Customer profile',
   'The account''s profile row: type, status, address, zone, consumption level and trend, arrears, payment habit; name and mobile masked (客户画像).', 1),
  ('nrw_zone_readings', 'nrw', 'Readings by DMA zone and month',
   'The readings of every account in a DMA zone (any level) in a month, for the NRW system.', 1),
  ('nrw_zone_accounts', 'nrw', 'Account–meter relations by DMA zone',
   'Accounts of a DMA zone (any level) with their meter and status, for the NRW system.', 1),
  ('nrw_zone_volumes', 'nrw', 'Supply and sales volumes by zone level',
   'System input volume, billed volume, NRW and NRW rate of every zone of a level in a month (供售水量).', 1),
  ('hydraulic_accounts', 'hydraulic', 'Account updates since a time',
   'Accounts whose customer changed since a time: status, meter, zone, opened and closed (用户更新、户态), for the hydraulic model.', 1),
  ('hydraulic_readings', 'hydraulic', 'Readings since a date',
   'Readings taken on or after a date, for the hydraulic model; optionally only some accounts.', 1),
  ('hydraulic_zone_volumes', 'hydraulic', 'Zone volumes since a month',
   'System input volume of every DMA zone and month since a month, for the hydraulic model.', 1),
  ('outages', 'city', 'Outages, active and planned',
   'Water outages with their kind, reason, times, status and area (GeoJSON), for the smart-water brain (停水信息).', 1),
  ('work_orders', 'city', 'Work orders since a time',
   'Work orders created since a time, optionally by status and category; the caller''s phone masked (工单).', 1),
  ('customer_totals', 'city', 'Customer totals by type',
   'Accounts by customer type, and how many are in normal use (用户总数).', 1);

INSERT INTO meta.api_version (api, version, definition, note) VALUES
  ('bill_receivables', 1, $json${"sql": "SELECT b.period, b.bill_no, b.amount, b.due_date, coalesce(p.paid, 0) AS paid, b.amount - coalesce(p.paid, 0) AS owed FROM dw.fact_bill b LEFT JOIN (SELECT period, sum(amount) AS paid FROM dw.fact_payment WHERE account_id = :account GROUP BY period) p ON p.period = b.period WHERE b.account_id = :account AND b.amount > coalesce(p.paid, 0)", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}], "page_key": "period", "page_key_type": "date", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('bill_details', 1, $json${"sql": "SELECT period, bill_no, read_date, prev_read, curr_read, read_status, qty, tier1_qty, tier2_qty, tier3_qty, water_fee, sewage_fee, amount, due_date FROM dw.fact_bill WHERE account_id = :account [[AND period >= :from]] [[AND period <= :to]]", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}, {"name": "from", "type": "month", "description": "First month (YYYY-MM)", "required": false}, {"name": "to", "type": "month", "description": "Last month (YYYY-MM)", "required": false}], "page_key": "period", "page_key_type": "date", "page_order": "desc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('payments', 1, $json${"sql": "SELECT pay_no, period, paid_at, amount, late_fee, channel, days_late FROM dw.fact_payment WHERE account_id = :account [[AND paid_at >= :since]]", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}, {"name": "since", "type": "date", "description": "Paid on or after (YYYY-MM-DD)", "required": false}], "page_key": "pay_no", "page_key_type": "integer", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('withholding', 1, $json${"sql": "SELECT pay_no, period, paid_at, amount, late_fee FROM dw.fact_payment WHERE account_id = :account AND channel = 'bank'", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}], "page_key": "pay_no", "page_key_type": "integer", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('annual_bill_summary', 1, $json${"sql": "SELECT b.account_id, :year AS year, count(*) AS bills, sum(b.qty) AS total_qty, sum(b.amount) AS total_amount, (SELECT coalesce(sum(p.late_fee), 0) FROM dw.fact_payment p WHERE p.account_id = :account AND p.period >= make_date(:year::int, 1, 1) AND p.period < make_date(:year::int + 1, 1, 1)) AS surcharge, (SELECT c.payment_habit FROM masked.customer_profile c WHERE c.account_id = :account) AS credit_grade, (SELECT c.preferred_channel FROM masked.customer_profile c WHERE c.account_id = :account) AS payment_type FROM dw.fact_bill b WHERE b.account_id = :account AND b.period >= make_date(:year::int, 1, 1) AND b.period < make_date(:year::int + 1, 1, 1) GROUP BY b.account_id", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}, {"name": "year", "type": "integer", "description": "Calendar year", "required": true, "min": 2000, "max": 2100}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('meter_info', 1, $json${"sql": "SELECT m.meter_no, m.account_id, m.size_dn, m.brand, m.model, m.installed_on, m.status, m.status_on FROM dw.dim_meter m WHERE m.account_id = :account", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}], "page_key": "meter_no", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('customer_lookup', 1, $json${"sql": "SELECT a.account_id, a.customer_id, a.status, a.customer_type FROM dw.dim_account a WHERE a.customer_id IN (SELECT masked.customers_with_contact(:phone))", "params": [{"name": "phone", "type": "text", "description": "Phone number, normalised (e.g. 13812345678)", "required": true, "max_length": 20, "pattern": "^[0-9]{7,15}$"}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('customer_profile', 1, $json${"sql": "SELECT * FROM masked.customer_profile WHERE account_id = :account", "params": [{"name": "account", "type": "text", "description": "Account number (户号)", "required": true, "max_length": 32}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('nrw_zone_readings', 1, $json${"sql": "SELECT a.account_id, a.meter_no, a.dma3_code, b.read_date, b.prev_read, b.curr_read, b.read_status, b.qty FROM dw.dim_account a JOIN dw.fact_bill b ON b.account_id = a.account_id WHERE a.dma3_code IN (SELECT z.zone_code FROM dw.dim_dma_zone z WHERE z.level = 3 AND (z.zone_code = :zone OR z.level1_code = :zone OR z.level2_code = :zone)) AND b.period = :month", "params": [{"name": "zone", "type": "text", "description": "DMA zone code (level 1, 2 or 3)", "required": true, "max_length": 32}, {"name": "month", "type": "month", "description": "Billing month (YYYY-MM)", "required": true}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('nrw_zone_accounts', 1, $json${"sql": "SELECT a.account_id, a.meter_no, a.dma3_code, a.status, m.size_dn FROM dw.dim_account a LEFT JOIN dw.dim_meter m ON m.meter_no = a.meter_no WHERE a.dma3_code IN (SELECT z.zone_code FROM dw.dim_dma_zone z WHERE z.level = 3 AND (z.zone_code = :zone OR z.level1_code = :zone OR z.level2_code = :zone))", "params": [{"name": "zone", "type": "text", "description": "DMA zone code (level 1, 2 or 3)", "required": true, "max_length": 32}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('nrw_zone_volumes', 1, $json${"sql": "SELECT zone_code, level, period, connections, siv, billed, siv - billed AS nrw, CASE WHEN siv > 0 THEN round((siv - billed) / siv, 4) END AS nrw_rate FROM dm.cube_nrw_monthly WHERE level = :level::smallint AND period = :month", "params": [{"name": "level", "type": "enumeration", "description": "Zone level", "required": true, "values": ["1", "2", "3"]}, {"name": "month", "type": "month", "description": "Month (YYYY-MM)", "required": true}], "page_key": "zone_code", "page_key_type": "text", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('hydraulic_accounts', 1, $json${"sql": "SELECT a.account_id, a.customer_id, a.status, a.meter_no, a.dma3_code, a.opened_on, a.closed_on, c.updated_at FROM dw.dim_account a JOIN masked.dim_customer c ON c.customer_id = a.customer_id WHERE c.updated_at >= :since", "params": [{"name": "since", "type": "timestamp", "description": "Changed at or after (ISO 8601)", "required": true}], "page_key": "account_id", "page_key_type": "text", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('hydraulic_readings', 1, $json${"sql": "SELECT bill_no, account_id, period, read_date, curr_read, read_status, qty FROM dw.fact_bill WHERE read_date >= :since [[AND account_id = ANY(:accounts)]]", "params": [{"name": "since", "type": "date", "description": "Read on or after (YYYY-MM-DD)", "required": true}, {"name": "accounts", "type": "list", "description": "Only these accounts", "required": false, "max_items": 100}], "page_key": "bill_no", "page_key_type": "integer", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('hydraulic_zone_volumes', 1, $json${"sql": "SELECT zone_code || '/' || to_char(period, 'YYYY-MM') AS row_key, zone_code, period, volume FROM dw.fact_dma_inflow WHERE period >= :since [[AND zone_code = :zone]]", "params": [{"name": "since", "type": "month", "description": "From this month (YYYY-MM)", "required": true}, {"name": "zone", "type": "text", "description": "Only this zone", "required": false, "max_length": 32}], "page_key": "row_key", "page_key_type": "text", "page_order": "asc", "max_page_size": 1000, "example": {}}$json$, 'standard'),
  ('outages', 1, $json${"sql": "SELECT outage_id, kind, reason, start_time, end_time, restored_at, status, ST_AsGeoJSON(geom, 6)::json AS area FROM dw.fact_outage WHERE status = ANY(:status)", "params": [{"name": "status", "type": "list", "description": "Statuses (default active, planned)", "required": false, "default": ["active", "planned"], "values": ["planned", "active", "finished", "cancelled"], "max_items": 4}], "page_key": "outage_id", "page_key_type": "integer", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('work_orders', 1, $json${"sql": "SELECT wo_no, account_id, phone, category, priority, source, created_at, closed_at, status, sla_met FROM masked.fact_work_order WHERE created_at >= :since [[AND status = ANY(:status)]] [[AND category = :category]]", "params": [{"name": "since", "type": "timestamp", "description": "Created at or after (ISO 8601)", "required": true}, {"name": "status", "type": "list", "description": "Statuses", "required": false, "values": ["open", "dispatched", "on_site", "closed", "cancelled"], "max_items": 5}, {"name": "category", "type": "text", "description": "Category (e.g. repair)", "required": false, "max_length": 32}], "page_key": "wo_no", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard'),
  ('customer_totals', 1, $json${"sql": "SELECT customer_type, count(*) AS accounts, count(*) FILTER (WHERE status = 'normal') AS active FROM dw.dim_account GROUP BY customer_type", "params": [], "page_key": "customer_type", "page_key_type": "text", "page_order": "asc", "max_page_size": 100, "example": {}}$json$, 'standard');
