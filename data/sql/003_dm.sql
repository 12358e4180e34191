-- 003_dm: the marts panels read fast. Filled by the dm_* standard pipelines.

-- One row per account: everything the customer 360 header and its profile tags need.
-- payment_habit: on_time, late, arrears; consumption_level: low, normal, high (against the
-- community's median, or the zone's for premises outside communities);
-- trend: rising, stable, falling (last 6 months against the 6 before)
CREATE TABLE dm.customer_profile (
  account_id              text PRIMARY KEY,
  customer_id             text NOT NULL,
  name                    text NOT NULL,
  customer_type           text NOT NULL,
  account_status          text NOT NULL,
  address                 text NOT NULL,
  community_code          text,
  community_name          text,
  district_name           text,
  dma3_code               text NOT NULL,
  tariff_code             text NOT NULL,
  meter_no                text,
  meter_size_dn           smallint,
  key_customer_kind       text,
  mobile                  text,
  has_wechat              boolean NOT NULL,
  last_period             date,
  months_billed           integer NOT NULL,
  avg_qty_12m             numeric(12,2),
  median_qty_peer         numeric(12,2),
  consumption_level       text,
  trend                   text,
  zero_streak             integer NOT NULL,   -- consecutive zero months up to the last period
  spike                   boolean NOT NULL,   -- last read > 5 × the 12-month median
  arrears_amount          numeric(12,2) NOT NULL,
  overdue_months          integer NOT NULL,
  payment_habit           text NOT NULL,
  preferred_channel       text,
  calls_12m               integer NOT NULL,
  work_orders_12m         integer NOT NULL
);
CREATE INDEX customer_profile_customer_idx ON dm.customer_profile (customer_id);
CREATE INDEX customer_profile_community_idx ON dm.customer_profile (community_code);

-- The monthly indicator cube: billing, collection and reading figures at the finest grain
-- reports cut by (month × community × level-3 zone × customer type).
CREATE TABLE dm.cube_billing_monthly (
  period            date NOT NULL,
  district_code     text NOT NULL,
  dma1_code         text NOT NULL,
  dma2_code         text NOT NULL,
  dma3_code         text NOT NULL,
  community_code    text NOT NULL,     -- '' for premises outside communities
  customer_type     text NOT NULL,
  accounts          integer NOT NULL,  -- accounts billed this month
  billed_qty        bigint NOT NULL,
  water_fee         numeric(14,2) NOT NULL,
  sewage_fee        numeric(14,2) NOT NULL,
  amount            numeric(14,2) NOT NULL,
  paid_amount       numeric(14,2) NOT NULL,  -- of this month's bills, paid by now
  paid_on_time      numeric(14,2) NOT NULL,  -- of this month's bills, paid by the due date
  reads_expected    integer NOT NULL,
  reads_done        integer NOT NULL,        -- valid, zero included
  reads_zero        integer NOT NULL,
  reads_estimated   integer NOT NULL,
  PRIMARY KEY (period, dma3_code, community_code, customer_type, district_code)
);

-- Payments by month paid and channel.
CREATE TABLE dm.cube_payment_monthly (
  period         date NOT NULL,
  district_code  text NOT NULL,
  channel        text NOT NULL,
  payments       integer NOT NULL,
  amount         numeric(14,2) NOT NULL,
  late_fee       numeric(14,2) NOT NULL,
  PRIMARY KEY (period, district_code, channel)
);

-- Work orders by month created, category and priority.
CREATE TABLE dm.cube_work_order_monthly (
  period         date NOT NULL,
  district_code  text NOT NULL,
  category       text NOT NULL,
  priority       smallint NOT NULL,
  created        integer NOT NULL,
  closed         integer NOT NULL,
  sla_met        integer NOT NULL,
  sla_missed     integer NOT NULL,
  PRIMARY KEY (period, district_code, category, priority)
);

-- Hotline calls by month and category.
CREATE TABLE dm.cube_call_monthly (
  period         date NOT NULL,
  category       text NOT NULL,
  calls          integer NOT NULL,
  answered       integer NOT NULL,
  talk_seconds   bigint NOT NULL,
  wait_seconds   bigint NOT NULL,
  PRIMARY KEY (period, category)
);

-- Non-revenue water per DMA zone (all three levels) and month. siv: system input volume
-- measured by the zone's own boundary meters; billed: billed authorised consumption of the
-- accounts in the zone and the zones inside it.
CREATE TABLE dm.cube_nrw_monthly (
  period       date NOT NULL,
  zone_code    text NOT NULL,
  level        smallint NOT NULL,
  connections  integer NOT NULL,
  siv          numeric(16,1) NOT NULL,
  billed       numeric(16,1) NOT NULL,
  PRIMARY KEY (period, zone_code)
);

-- Runs of consecutive zero-consumption months (valid reads of 0), one row per run.
CREATE TABLE dm.consumption_streak (
  account_id    text NOT NULL,
  first_period  date NOT NULL,
  last_period   date NOT NULL,
  months        integer NOT NULL,
  is_current    boolean NOT NULL,   -- the run reaches the account's last billed month
  PRIMARY KEY (account_id, first_period)
);
CREATE INDEX consumption_streak_months_idx ON dm.consumption_streak (months) WHERE is_current;
