-- 002_dw: the conformed layer. Dimensions and facts with readable values instead of source
-- codes, cleaned phones, one row per business key. The standard pipelines fill these tables
-- (mode replace/upsert); nothing else writes them.
--
-- Distribution (Greenplum DISTRIBUTED BY / Citus create_distributed_table): facts and
-- account-grain dimensions by account_id, customer tables by customer_id, small dimensions
-- replicated. See docs/OPERATIONS.md; every primary key here contains its distribution key.

-- A phone as typed in any source → '1xxxxxxxxxx' for a mobile, '0591xxxxxxxx' for a landline
-- (the local area code added when missing), NULL when it is not a phone number.
CREATE FUNCTION dw.normalize_phone(raw text, area_code text DEFAULT '0591')
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- one expression and no FROM, so the planner inlines it: no function call per row
AS $$
  SELECT coalesce(
    substring(regexp_replace(raw, '[^0-9]', '', 'g') FROM '^(?:0086|86)?(1[3-9][0-9]{9})$'),
    substring(regexp_replace(raw, '[^0-9]', '', 'g') FROM '^(?:0086|86)?(0[1-9][0-9]{9,10})$'),
    area_code || substring(regexp_replace(raw, '[^0-9]', '', 'g') FROM '^([2-9][0-9]{6,7})$'))
$$;

CREATE TABLE dw.dim_district (
  district_code  text PRIMARY KEY,
  name           text NOT NULL,
  geom           geometry(MultiPolygon, 4326) NOT NULL
);

CREATE TABLE dw.dim_dma_zone (
  zone_code    text PRIMARY KEY,
  level        smallint NOT NULL,
  parent_code  text,
  level1_code  text NOT NULL,
  level2_code  text,
  name         text NOT NULL,
  geom         geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX dim_dma_zone_geom_idx ON dw.dim_dma_zone USING gist (geom);

CREATE TABLE dw.dim_community (
  community_code    text PRIMARY KEY,
  name              text NOT NULL,
  district_code     text NOT NULL,
  property_company  text,
  property_phone    text,
  master_meter_no   text,
  geom              geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX dim_community_geom_idx ON dw.dim_community USING gist (geom);
CREATE INDEX dim_community_name_trgm_idx ON dw.dim_community USING gin (name gin_trgm_ops);

CREATE TABLE dw.dim_premise (
  premise_id      bigint PRIMARY KEY,
  community_code  text,
  address         text NOT NULL,
  building        text,
  unit            text,
  room            text,
  dma3_code       text NOT NULL,
  dma2_code       text,
  dma1_code       text,
  district_code   text,
  demolished      boolean NOT NULL,
  demolished_on   date,
  geom            geometry(Point, 4326) NOT NULL
);
CREATE INDEX dim_premise_geom_idx ON dw.dim_premise USING gist (geom);
CREATE INDEX dim_premise_community_idx ON dw.dim_premise (community_code);

CREATE TABLE dw.dim_tariff (
  tariff_code   text PRIMARY KEY,
  name          text NOT NULL,
  customer_type text NOT NULL,
  tier1_limit   integer,
  tier2_limit   integer,
  price1        numeric(8,2) NOT NULL,
  price2        numeric(8,2),
  price3        numeric(8,2),
  sewage_price  numeric(8,2) NOT NULL
);

-- customer_type: residential, non_residential, special, construction
CREATE TABLE dw.dim_customer (
  customer_id    text PRIMARY KEY,
  name           text NOT NULL,
  id_card        text,
  customer_type  text NOT NULL,
  mobile         text,            -- normalised; NULL when missing or not a mobile number
  landline       text,            -- normalised with area code
  wechat_openid  text,
  address        text,
  created_on     date NOT NULL,
  updated_at     timestamp NOT NULL
);
CREATE INDEX dim_customer_name_trgm_idx ON dw.dim_customer USING gin (name gin_trgm_ops);

-- Every way to reach a customer, one row each: what a caller's number is looked up in.
-- kind: mobile, landline, wechat
CREATE TABLE dw.contact (
  customer_id  text NOT NULL,
  kind         text NOT NULL,
  value        text NOT NULL,
  PRIMARY KEY (customer_id, kind, value)
);
CREATE INDEX contact_value_idx ON dw.contact (value);
CREATE INDEX contact_value_reverse_idx ON dw.contact (reverse(value) text_pattern_ops);

-- status: normal, suspended, closed, vacant
CREATE TABLE dw.dim_account (
  account_id      text PRIMARY KEY,
  customer_id     text NOT NULL,
  premise_id      bigint NOT NULL,
  meter_no        text,
  customer_type   text NOT NULL,
  tariff_code     text NOT NULL,
  book_no         text NOT NULL,
  opened_on       date NOT NULL,
  closed_on       date,
  status          text NOT NULL,
  community_code  text,
  dma3_code       text NOT NULL,
  district_code   text
);
CREATE INDEX dim_account_customer_idx ON dw.dim_account (customer_id);
CREATE INDEX dim_account_premise_idx ON dw.dim_account (premise_id);
CREATE INDEX dim_account_meter_idx ON dw.dim_account (meter_no);

-- status: in_use, removed, lost, faulty
CREATE TABLE dw.dim_meter (
  meter_no      text PRIMARY KEY,
  account_id    text,
  size_dn       smallint NOT NULL,
  brand         text,
  model         text,
  installed_on  date NOT NULL,
  status        text NOT NULL,
  status_on     date
);
CREATE INDEX dim_meter_account_idx ON dw.dim_meter (account_id);

-- kind: hospital, school, kindergarten, hotel, large_consumer
CREATE TABLE dw.dim_key_customer (
  kc_id       integer PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL,
  account_id  text NOT NULL,
  geom        geometry(Point, 4326) NOT NULL
);
CREATE INDEX dim_key_customer_geom_idx ON dw.dim_key_customer USING gist (geom);

-- The network layers the map draws.
CREATE TABLE dw.gis_river (
  river_id  integer PRIMARY KEY,
  name      text NOT NULL,
  geom      geometry(MultiPolygon, 4326) NOT NULL
);
CREATE TABLE dw.gis_road (
  road_id     integer PRIMARY KEY,
  name        text NOT NULL,
  road_class  smallint NOT NULL,
  geom        geometry(LineString, 4326) NOT NULL
);
CREATE INDEX gis_road_geom_idx ON dw.gis_road USING gist (geom);
CREATE TABLE dw.gis_pipe (
  pipe_id       bigint PRIMARY KEY,
  dn            smallint NOT NULL,
  material      text NOT NULL,
  install_year  smallint,
  geom          geometry(LineString, 4326) NOT NULL
);
CREATE INDEX gis_pipe_geom_idx ON dw.gis_pipe USING gist (geom);
-- status: open, closed, inoperable
CREATE TABLE dw.gis_valve (
  valve_id  bigint PRIMARY KEY,
  dn        smallint NOT NULL,
  status    text NOT NULL,
  geom      geometry(Point, 4326) NOT NULL
);
CREATE INDEX gis_valve_geom_idx ON dw.gis_valve USING gist (geom);

-- Readings and bills share a grain (one per account and billing month).
-- read_status: valid, estimated, no_access, stopped, abnormal, not_read
CREATE TABLE dw.fact_bill (
  account_id   text NOT NULL,
  period       date NOT NULL,        -- first day of the billing month
  bill_no      bigint NOT NULL,
  read_date    date,
  prev_read    integer,
  curr_read    integer,
  read_status  text NOT NULL,
  qty          integer NOT NULL,
  tier1_qty    integer NOT NULL,
  tier2_qty    integer NOT NULL,
  tier3_qty    integer NOT NULL,
  water_fee    numeric(12,2) NOT NULL,
  sewage_fee   numeric(12,2) NOT NULL,
  amount       numeric(12,2) NOT NULL,
  due_date     date NOT NULL,
  PRIMARY KEY (account_id, period)
);

CREATE VIEW dw.fact_reading AS
  SELECT account_id, period, read_date, prev_read, curr_read, read_status, qty
  FROM dw.fact_bill;

-- channel: counter, bank, wechat, alipay, online, other
CREATE TABLE dw.fact_payment (
  account_id  text NOT NULL,
  pay_no      bigint NOT NULL,
  period      date NOT NULL,
  paid_at     timestamp NOT NULL,
  amount      numeric(12,2) NOT NULL,
  late_fee    numeric(12,2) NOT NULL,
  channel     text NOT NULL,
  days_late   integer,              -- after the bill's due date; NULL when no bill matches
  PRIMARY KEY (account_id, pay_no)
);

-- event_type: install, change, remove, lost, faulty, online
CREATE TABLE dw.fact_meter_event (
  event_id    bigint PRIMARY KEY,
  meter_no    text NOT NULL,
  account_id  text,
  event_type  text NOT NULL,
  event_date  date NOT NULL,
  reading     integer,
  note        text
);
CREATE INDEX fact_meter_event_account_idx ON dw.fact_meter_event (account_id);

-- category: repair, no_water, billing, meter, business, quality, complaint, secondary_supply,
-- other, inquiry; status: open, dispatched, on_site, closed, cancelled
CREATE TABLE dw.fact_work_order (
  wo_no          text PRIMARY KEY,
  account_id     text,
  phone          text,
  category       text NOT NULL,
  priority       smallint NOT NULL,
  source         text NOT NULL,
  address        text,
  description    text,
  created_at     timestamp NOT NULL,
  dispatched_at  timestamp,
  arrived_at     timestamp,
  closed_at      timestamp,
  status         text NOT NULL,
  sla_due_at     timestamp NOT NULL,
  sla_met        boolean            -- NULL while open and not yet overdue
);
CREATE INDEX fact_work_order_account_idx ON dw.fact_work_order (account_id);

CREATE TABLE dw.fact_call (
  call_id         bigint PRIMARY KEY,
  phone           text,              -- normalised caller number
  customer_id     text,              -- when the number belongs to exactly one customer
  started_at      timestamp NOT NULL,
  ivr_path        text,
  wait_seconds    integer NOT NULL,
  talk_seconds    integer NOT NULL,
  category        text,
  agent_id        text,
  recording_file  text,
  wo_no           text
);
CREATE INDEX fact_call_phone_idx ON dw.fact_call (phone);
CREATE INDEX fact_call_customer_idx ON dw.fact_call (customer_id);

-- template: bill, arrears, outage, payment, other; status: delivered, undelivered,
-- expired, rejected. The text of a message stays in ods.sms_log (by msg_id): it is most of the
-- layer's bytes and nothing aggregates it.
CREATE TABLE dw.fact_sms (
  msg_id      bigint PRIMARY KEY,
  phone       text,
  account_id  text,
  template    text NOT NULL,
  batch_no    text,
  sent_at     timestamp NOT NULL,
  status      text NOT NULL
);
CREATE INDEX fact_sms_account_idx ON dw.fact_sms (account_id);

-- app_type: new, enlarge, relocate; status: accepted, surveyed, designed, constructed,
-- connected, cancelled
CREATE TABLE dw.fact_installation (
  app_no           text PRIMARY KEY,
  applicant        text NOT NULL,
  phone            text,
  address          text,
  app_type         text NOT NULL,
  customer_type    text NOT NULL,
  size_dn          smallint,
  applied_on       date NOT NULL,
  status           text NOT NULL,
  finished_on      date,
  account_id       text,
  days_to_connect  integer
);
CREATE INDEX fact_installation_account_idx ON dw.fact_installation (account_id);

-- kind: planned, emergency; status: planned, active, finished, cancelled
CREATE TABLE dw.fact_outage (
  outage_id    integer PRIMARY KEY,
  kind         text NOT NULL,
  reason       text NOT NULL,
  start_time   timestamp NOT NULL,
  end_time     timestamp NOT NULL,
  restored_at  timestamp,
  status       text NOT NULL,
  geom         geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX fact_outage_geom_idx ON dw.fact_outage USING gist (geom);

-- System input volume of each DMA zone (any level) and month: Σ flow_sign × volume of its
-- boundary meters.
CREATE TABLE dw.fact_dma_inflow (
  zone_code  text NOT NULL,
  period     date NOT NULL,
  volume     numeric(14,1) NOT NULL,
  PRIMARY KEY (zone_code, period)
);
