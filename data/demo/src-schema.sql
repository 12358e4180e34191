-- The demo source systems: what the simulator writes, shaped like a water utility's legacy
-- systems (codes instead of names, CHAR columns padded with spaces, phones as typed, one
-- bill table per month). Only the simulator writes here; the standard pipelines read it.
-- Coordinates are WGS 84 (EPSG:4326) around 26.08°N 119.30°E.

DROP SCHEMA IF EXISTS src_billing, src_meter, src_install, src_workorder, src_hotline,
                      src_sms, src_gis, src_truth CASCADE;

CREATE SCHEMA src_billing;    -- 营收: customers, accounts, tariffs, monthly bills, payments
CREATE SCHEMA src_meter;      -- 表务: meters and their events
CREATE SCHEMA src_install;    -- 报装: installation applications
CREATE SCHEMA src_workorder;  -- 工单: work orders
CREATE SCHEMA src_hotline;    -- 热线: call records
CREATE SCHEMA src_sms;        -- 短信: SMS platform log
CREATE SCHEMA src_gis;        -- GIS: city, network, DMA zones, outages
CREATE SCHEMA src_truth;      -- what the simulator planted, for checking reports and rules

-- ---------------------------------------------------------------- 营收 billing / revenue

-- Code tables as the legacy system keeps them: dict_type groups the codes.
--   CUST_TYPE 01 居民 residential, 02 非居民 non-residential, 03 特种行业 special, 04 施工 construction
--   ACCT_STATUS 1 正常 normal, 2 暂停 suspended, 3 销户 closed, 4 空置 vacant
--   READ_STATUS 00 正常 valid, 01 估抄 estimated, 02 未进门 no access, 03 表停/故障 stopped,
--               04 异常 abnormal, 09 未抄 not read
--   PAY_CHANNEL 01 柜台 counter, 02 银行代扣 bank withholding, 03 微信 WeChat,
--               04 支付宝 Alipay, 05 网上营业厅 online hall, 09 其他 other
CREATE TABLE src_billing.code_dict (
  dict_type  varchar(20) NOT NULL,
  code       varchar(10) NOT NULL,
  name       varchar(50) NOT NULL,
  PRIMARY KEY (dict_type, code)
);

CREATE TABLE src_billing.tariff (
  tariff_code   char(4) PRIMARY KEY,
  tariff_name   varchar(50) NOT NULL,
  cust_type     char(2) NOT NULL,
  tier1_limit   integer,            -- m³ per month in tier 1; NULL: flat rate
  tier2_limit   integer,
  price1        numeric(8,2) NOT NULL,
  price2        numeric(8,2),
  price3        numeric(8,2),
  sewage_price  numeric(8,2) NOT NULL
);

-- One row per customer; an extract carries duplicates (the same cust_no twice, identical or
-- with a later update_time) and CHAR padding. mobile/tel are as typed: '13812345678',
-- '+86 138 1234 5678', '0086-13812345678', '138-1234-5678', '0591-87654321', '87654321', ''.
CREATE TABLE src_billing.customer (
  cust_no      char(10) NOT NULL,
  cust_name    varchar(60) NOT NULL,
  id_card      varchar(18),
  cust_type    char(2) NOT NULL,
  mobile       varchar(30),
  tel          varchar(30),
  wechat_openid varchar(40),
  address      varchar(120),
  create_date  date NOT NULL,
  update_time  timestamp NOT NULL
);

-- 户号 / 表卡: one account (meter card) per metered supply point.
CREATE TABLE src_billing.account (
  acct_no      char(10) PRIMARY KEY,
  cust_no      char(10) NOT NULL,
  premise_id   bigint NOT NULL,      -- src_gis.premise
  meter_no     char(12),             -- src_meter.meter (the current meter)
  cust_type    char(2) NOT NULL,
  tariff_code  char(4) NOT NULL,
  book_no      char(6) NOT NULL,     -- reading route (抄表册)
  open_date    date NOT NULL,
  close_date   date,
  status       char(1) NOT NULL,     -- ACCT_STATUS
  update_time  timestamp NOT NULL
);

-- src_billing.bill_YYYYMM, one table per billing month, all of this shape (the simulator
-- creates them LIKE this template). A month's table may hold a duplicated row.
CREATE TABLE src_billing.bill_template (
  bill_no      bigint NOT NULL,
  acct_no      char(10) NOT NULL,
  period       char(6) NOT NULL,     -- YYYYMM
  read_date    date,
  prev_read    integer,
  curr_read    integer,
  read_status  char(2) NOT NULL,     -- READ_STATUS
  qty          integer NOT NULL,     -- billed m³
  tier1_qty    integer NOT NULL,
  tier2_qty    integer NOT NULL,
  tier3_qty    integer NOT NULL,
  water_fee    numeric(12,2) NOT NULL,
  sewage_fee   numeric(12,2) NOT NULL,
  amount       numeric(12,2) NOT NULL,
  due_date     date NOT NULL,
  create_time  timestamp NOT NULL
);

CREATE TABLE src_billing.payment (
  pay_no       bigint PRIMARY KEY,
  acct_no      char(10) NOT NULL,
  period       char(6) NOT NULL,     -- the bill paid
  pay_time     timestamp NOT NULL,
  amount       numeric(12,2) NOT NULL,
  late_fee     numeric(12,2) NOT NULL DEFAULT 0,
  channel      char(2) NOT NULL,     -- PAY_CHANNEL
  operator     varchar(20)
);

-- ---------------------------------------------------------------- 表务 meter management

-- status: 1 在用 in use, 2 拆除 removed, 3 丢失 lost, 4 故障 faulty
CREATE TABLE src_meter.meter (
  meter_no      char(12) PRIMARY KEY,
  acct_no       char(10),
  size_dn       smallint NOT NULL,   -- 15, 20, 25, 40, 50, 80, 100, 150, 200, 300
  brand         varchar(30),
  model         varchar(30),
  install_date  date NOT NULL,
  status        char(1) NOT NULL,
  status_date   date
);

-- event_type: INST install, CHG change (old meter out, new in), RMV remove, LOST lost,
-- FAULT faulty, ONLN online (connected, reads expected from now on)
CREATE TABLE src_meter.meter_event (
  event_id     bigint PRIMARY KEY,
  meter_no     char(12) NOT NULL,
  acct_no      char(10),
  event_type   varchar(5) NOT NULL,
  event_date   date NOT NULL,
  reading      integer,
  note         varchar(200)
);

-- ---------------------------------------------------------------- 报装 installation

-- app_type: NEW new connection, ENL enlarge, MOV relocation;  status: ACC accepted,
-- SRV surveyed, DSG designed, CON constructed, CNT connected, CAN cancelled
CREATE TABLE src_install.application (
  app_no       char(12) PRIMARY KEY,
  applicant    varchar(60) NOT NULL,
  phone        varchar(30),
  address      varchar(120),
  app_type     varchar(3) NOT NULL,
  cust_type    char(2) NOT NULL,
  size_dn      smallint,
  apply_date   date NOT NULL,
  status       varchar(3) NOT NULL,
  finish_date  date,
  acct_no      char(10)              -- the account it created, once connected
);

CREATE TABLE src_install.application_step (
  app_no    char(12) NOT NULL,
  step_no   smallint NOT NULL,
  step      varchar(3) NOT NULL,     -- the status reached
  done_at   timestamp NOT NULL,
  handler   varchar(20),
  PRIMARY KEY (app_no, step_no)
);

-- ---------------------------------------------------------------- 工单 work orders

-- category: REP repair/leak, NOW no water/low pressure, BIL bill question, MTR meter/reading,
-- BUS business request, QUA water quality, CMP complaint, SEC secondary supply, OTH other.
-- priority 1/2/3; status: OPN open, DSP dispatched, ONS on site, CLS closed, CAN cancelled
CREATE TABLE src_workorder.work_order (
  wo_no         char(14) PRIMARY KEY,
  acct_no       char(10),
  caller_phone  varchar(30),
  category      varchar(3) NOT NULL,
  priority      smallint NOT NULL,
  source        varchar(10) NOT NULL,  -- HOTLINE, APP, WALKIN, PATROL
  address       varchar(120),
  description   varchar(400),
  created_at    timestamp NOT NULL,
  dispatched_at timestamp,
  arrived_at    timestamp,
  closed_at     timestamp,
  status        varchar(3) NOT NULL,
  sla_minutes   integer NOT NULL       -- time allowed from creation to closing
);

CREATE TABLE src_workorder.work_order_step (
  wo_no    char(14) NOT NULL,
  seq      smallint NOT NULL,
  action   varchar(20) NOT NULL,       -- CREATE, DISPATCH, ARRIVE, HANDLE, CLOSE, CANCEL, REOPEN
  at       timestamp NOT NULL,
  handler  varchar(20),
  note     varchar(200),
  team     varchar(20),                -- the handler's team (DISPATCH: the team sent to)
  PRIMARY KEY (wo_no, seq)
);

-- ---------------------------------------------------------------- 热线 hotline

-- category as work orders plus INQ inquiry; recording_file is a path on the recording
-- server ('rec/2024/05/13/c000123.wav'), NULL for abandoned calls
CREATE TABLE src_hotline.call_record (
  call_id        bigint PRIMARY KEY,
  ani            varchar(30) NOT NULL,   -- caller number as the switch saw it
  start_time     timestamp NOT NULL,
  ivr_path       varchar(40),
  wait_seconds   integer NOT NULL,
  talk_seconds   integer NOT NULL,
  category       varchar(3),
  agent_id       varchar(10),
  recording_file varchar(120),
  wo_no          char(14)
);

-- ---------------------------------------------------------------- 短信 SMS platform

-- status: DELIVRD, UNDELIV, EXPIRED, REJECTD; template: BILL bill notice, ARRS arrears
-- reminder, OUTG outage notice, PAYOK payment received, OTHR. Like a real platform the log
-- names a message's template and its parameters ('|' between them), not its text:
-- src_sms.sms_text renders it.
CREATE TABLE src_sms.sms_log (
  msg_id       bigint PRIMARY KEY,
  mobile       varchar(30) NOT NULL,
  acct_no      char(10),
  template     varchar(5) NOT NULL,
  batch_no     varchar(20),
  params       varchar(120),
  submit_time  timestamp NOT NULL,
  status       varchar(7) NOT NULL
);

-- The approved templates: {1}, {2}, … are a message's parameters in order.
CREATE TABLE src_sms.sms_template (
  template  varchar(5) PRIMARY KEY,
  body      varchar(300) NOT NULL
);
INSERT INTO src_sms.sms_template VALUES
  ('BILL', '【榕城水务】尊敬的用户，您的户号{1} {2}年{3}月用水{4}吨，水费{5}元，请于{6}前缴纳，'
           '如已缴费请忽略。'),
  ('ARRS', '【榕城水务】尊敬的用户，您的户号{1}尚有逾期水费未缴清，为免产生滞纳金，请尽快缴纳。'),
  ('PAYOK', '【榕城水务】您的户号{1}本期水费{2}元已代扣成功，感谢您的支持。'),
  ('OUTG', '【榕城水务】因供水管道{1}，{2}至{3}{4}一带{5}。'),
  ('OTHR', '【榕城水务】温馨提示：近期将开展二次供水水箱清洗，届时可能短时水压偏低，敬请谅解。');

-- A message's text as the customer received it.
CREATE VIEW src_sms.sms_text AS
  SELECT l.msg_id,
         (SELECT string_agg(CASE WHEN p.n % 2 = 1 THEN p.part
                                 ELSE split_part(l.params, '|', p.part::int) END, '' ORDER BY p.n)
          FROM regexp_split_to_table(t.body, '\{|\}') WITH ORDINALITY AS p (part, n)) AS content
  FROM src_sms.sms_log l JOIN src_sms.sms_template t USING (template);

-- ---------------------------------------------------------------- GIS

CREATE TABLE src_gis.district (
  district_code  char(6) PRIMARY KEY,
  name           varchar(20) NOT NULL,
  geom           geometry(MultiPolygon, 4326) NOT NULL
);

CREATE TABLE src_gis.river (
  river_id  integer PRIMARY KEY,
  name      varchar(20) NOT NULL,
  geom      geometry(MultiPolygon, 4326) NOT NULL
);

CREATE TABLE src_gis.road (
  road_id     integer PRIMARY KEY,
  name        varchar(30) NOT NULL,
  road_class  smallint NOT NULL,      -- 1 arterial, 2 secondary, 3 branch
  geom        geometry(LineString, 4326) NOT NULL
);

-- DMA zones: level 1 inside nothing, level 2 inside a level 1, level 3 inside a level 2
CREATE TABLE src_gis.dma_zone (
  zone_code    varchar(10) PRIMARY KEY,
  level        smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  parent_code  varchar(10),
  name         varchar(30) NOT NULL,
  geom         geometry(MultiPolygon, 4326) NOT NULL
);

-- 小区: a residential community with a master meter
CREATE TABLE src_gis.community (
  community_code    char(8) PRIMARY KEY,
  name              varchar(40) NOT NULL,
  district_code     char(6) NOT NULL,
  property_company  varchar(60),
  property_phone    varchar(30),
  master_meter_no   char(12),
  geom              geometry(Polygon, 4326) NOT NULL
);

-- A supply point: a flat in a community building, or a stand-alone premise (散户, shops,
-- factories) with community_code NULL. status: N normal, D demolished (拆迁)
CREATE TABLE src_gis.premise (
  premise_id      bigint PRIMARY KEY,
  community_code  char(8),
  address         varchar(120) NOT NULL,
  building        varchar(10),
  unit            varchar(4),
  room            varchar(6),
  dma_zone_code   varchar(10) NOT NULL,  -- the level-3 zone
  status          char(1) NOT NULL,
  demolished_on   date,
  geom            geometry(Point, 4326) NOT NULL
);

-- Signed boundary meters: inflow to a zone counts +1, outflow -1.
CREATE TABLE src_gis.boundary_meter (
  meter_code  varchar(12) PRIMARY KEY,
  zone_code   varchar(10) NOT NULL,
  flow_sign   smallint NOT NULL CHECK (flow_sign IN (-1, 1)),
  geom        geometry(Point, 4326) NOT NULL
);

-- Monthly volume through each boundary meter (m³), for the zones' system input volume.
CREATE TABLE src_gis.dma_inflow (
  meter_code  varchar(12) NOT NULL,
  period      char(6) NOT NULL,
  volume      numeric(14,1) NOT NULL,
  PRIMARY KEY (meter_code, period)
);

-- The network: pipes meet at junctions (a pipe runs from_node → to_node).
CREATE TABLE src_gis.junction (
  node_id  bigint PRIMARY KEY,
  geom     geometry(Point, 4326) NOT NULL
);

CREATE TABLE src_gis.pipe (
  pipe_id       bigint PRIMARY KEY,
  dn            smallint NOT NULL,
  material      varchar(10) NOT NULL,   -- DI ductile iron, PE, STEEL, PCCP, CI cast iron
  install_year  smallint,
  from_node     bigint,
  to_node       bigint,
  length_m      numeric(10,1),
  geom          geometry(LineString, 4326) NOT NULL
);

-- status: O open, C closed (normally: a pressure-zone boundary), X inoperable (stuck open).
-- A valve sits on pipe_id next to its end node_id.
CREATE TABLE src_gis.valve (
  valve_id  bigint PRIMARY KEY,
  dn        smallint NOT NULL,
  status    char(1) NOT NULL,
  pipe_id   bigint,
  node_id   bigint,
  geom      geometry(Point, 4326) NOT NULL
);

-- Where water enters the network. kind: PLANT a water plant's outlet, TANK a tank/reservoir
CREATE TABLE src_gis.source (
  source_id  integer PRIMARY KEY,
  kind       varchar(5) NOT NULL,
  name       varchar(40) NOT NULL,
  node_id    bigint NOT NULL,
  geom       geometry(Point, 4326) NOT NULL
);

-- Each premise's service connection: the main it taps and how long the service line is.
CREATE TABLE src_gis.service_connection (
  premise_id  bigint PRIMARY KEY,
  pipe_id     bigint NOT NULL,
  length_m    numeric(8,1) NOT NULL
);

-- kind: HOSP hospital, SCHL school, KIND kindergarten, HOTL hotel, LARG large consumer
CREATE TABLE src_gis.key_customer (
  kc_id    integer PRIMARY KEY,
  name     varchar(60) NOT NULL,
  kind     varchar(4) NOT NULL,
  acct_no  char(10) NOT NULL,
  geom     geometry(Point, 4326) NOT NULL
);

-- Past and planned shutoffs as the dispatch desk drew them. kind: P planned, E emergency;
-- status: PLN planned, ACT in progress, FIN finished, CAN cancelled
CREATE TABLE src_gis.outage (
  outage_id    integer PRIMARY KEY,
  kind         char(1) NOT NULL,
  reason       varchar(200) NOT NULL,
  start_time   timestamp NOT NULL,
  end_time     timestamp NOT NULL,      -- expected restoration
  restored_at  timestamp,
  status       varchar(3) NOT NULL,
  geom         geometry(Polygon, 4326) NOT NULL
);

-- ---------------------------------------------------------------- ground truth

-- kind: zero_streak (N consecutive zero-read months, detail: months, first, last period),
-- never_read_spike (online, never read, then a huge first read), demolished_active
-- (premise demolished, account still normal), missing_meter_paying (meter removed/lost,
-- payments go on), large_no_reads (DN >= 80 account without any read)
CREATE TABLE src_truth.anomaly (
  acct_no  char(10) NOT NULL,
  kind     varchar(30) NOT NULL,
  detail   text NOT NULL,
  PRIMARY KEY (acct_no, kind)
);

-- kind: reopened (closed, then reopened by the customer; detail: team=, closed_again/open)
CREATE TABLE src_truth.work_order (
  wo_no    char(14) NOT NULL,
  kind     varchar(30) NOT NULL,
  detail   text NOT NULL,
  PRIMARY KEY (wo_no, kind)
);

-- The billing's late batch: one reading book's bills of one month entered days_late days
-- after their reading (their create_time); bills counts distinct bill numbers.
CREATE TABLE src_truth.late_load (
  period     char(6) NOT NULL,
  book_no    varchar(10) NOT NULL,
  bills      integer NOT NULL,
  days_late  integer NOT NULL,
  PRIMARY KEY (period, book_no)
);

-- What the simulator was asked for, so a second run can tell whether the demo exists.
CREATE TABLE src_truth.run (
  seed        bigint NOT NULL,
  accounts    integer NOT NULL,
  months      integer NOT NULL,
  first_period char(6) NOT NULL,
  last_period  char(6) NOT NULL,
  months_ahead integer NOT NULL DEFAULT 0,  -- planned beyond the last month: room to append
  created_at  timestamptz NOT NULL DEFAULT now()
);
