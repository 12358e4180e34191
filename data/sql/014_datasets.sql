-- 014_datasets: the data catalog (docs/CATALOG.md) — subject areas, the tables' owners,
-- stewards, categories and freshness SLAs, the columns' glossary terms and personal-data
-- flags, the exact lineage built from the definitions, and the search index ranked by use.
-- Descriptions are the warehouse's own COMMENTs (written here for dw and dm, editable in the
-- panel); translations and descriptions of tables the pipelines create (ods) live in
-- meta.dataset_text. Plain DDL only.

CREATE TABLE meta.dataset_subject (
  subject_code  text PRIMARY KEY,
  name_en       text NOT NULL,
  name_zh       text NOT NULL,
  position      integer NOT NULL DEFAULT 0
);

INSERT INTO meta.dataset_subject VALUES
  ('customer', 'Customer', '客户', 1),
  ('billing', 'Billing and payment', '营收', 2),
  ('meter', 'Meter and reading', '表务', 3),
  ('service', 'Service and hotline', '服务与热线', 4),
  ('network', 'Network and DMA', '管网与分区', 5),
  ('geo', 'Geography', '地理', 6),
  ('other', 'Other', '其他', 99);

-- Business terms a column can carry.
CREATE TABLE meta.glossary_term (
  term_code      text PRIMARY KEY,
  name_en        text NOT NULL,
  name_zh        text NOT NULL,
  definition_en  text NOT NULL,
  definition_zh  text NOT NULL DEFAULT ''
);

INSERT INTO meta.glossary_term VALUES
  ('account', 'Water account', '用水户', 'One metered supply contract at one premise; what a bill is issued to.', '一个用水地址上的一份供水合同，账单按户出具。'),
  ('customer', 'Customer', '客户', 'The person or organisation that holds one or more accounts.', '持有一个或多个用水户的个人或单位。'),
  ('billing_period', 'Billing period', '账期', 'The month a bill covers, stored as its first day.', '账单所属月份，以当月第一天表示。'),
  ('billed_volume', 'Billed volume', '售水量', 'Water billed to accounts, in cubic metres.', '向用水户计费的水量（立方米）。'),
  ('amount_billed', 'Amount billed', '应收金额', 'Water charge plus sewage charge of a bill.', '账单的水费与污水处理费合计。'),
  ('arrears', 'Arrears', '欠费', 'Billed amounts past their due date that payments have not covered.', '已过缴费期限而未缴清的应收金额。'),
  ('dma', 'District metered area', '计量分区', 'A zone of the network whose inflow is metered at its boundary (levels 1–3).', '在边界处计量进水的管网分区（一至三级）。'),
  ('siv', 'System input volume', '供水量', 'Water entering a zone through its boundary meters.', '经分区边界计量表进入分区的水量。'),
  ('nrw', 'Non-revenue water', '产销差', 'System input volume minus billed authorised consumption.', '供水量减去计费授权用水量。'),
  ('work_order', 'Work order', '工单', 'A task for field or office staff raised by a call, an inspection or the system.', '由来电、巡检或系统产生的现场或内业任务。'),
  ('mobile', 'Mobile number', '手机号', 'A normalised mobile phone number (11 digits).', '规范化后的 11 位手机号码。');

CREATE TABLE meta.dataset_table (
  table_schema    text NOT NULL,
  table_name      text NOT NULL,
  layer           text NOT NULL,
  subject_code    text NOT NULL DEFAULT 'other' REFERENCES meta.dataset_subject,
  category        text NOT NULL DEFAULT '',     -- "/"-separated levels under the subject
  owner           text NOT NULL DEFAULT '',
  steward         text NOT NULL DEFAULT '',
  sla_hours       integer,                      -- a load older than this is late
  written_by      text,                         -- the pipeline that loads it (from lineage)
  use_count       bigint NOT NULL DEFAULT 0,    -- opened in the panel or the CLI
  consumer_count  integer NOT NULL DEFAULT 0,   -- what reads it (from lineage)
  PRIMARY KEY (table_schema, table_name)
);

CREATE TABLE meta.dataset_column (
  table_schema    text NOT NULL,
  table_name      text NOT NULL,
  column_name     text NOT NULL,
  term_code       text REFERENCES meta.glossary_term ON DELETE SET NULL,
  personal_data   text CHECK (personal_data IN ('name', 'phone', 'id_card', 'address',
                                                'openid', 'free_text')),
  PRIMARY KEY (table_schema, table_name, column_name)
);

-- Descriptions by language, for objects whose COMMENT is in English or that the migrations
-- cannot comment on (ods tables are created by their pipelines). object: "schema.table" or
-- "schema.table.column".
CREATE TABLE meta.dataset_text (
  object       text NOT NULL,
  lang         text NOT NULL,
  description  text NOT NULL,
  PRIMARY KEY (object, lang)
);

-- The lineage graph (aq-lineage.h): one row per edge; rebuilt as a whole.
CREATE TABLE meta.dataset_lineage (
  from_node  text NOT NULL,
  to_node    text NOT NULL,
  via_kind   text NOT NULL,
  via_name   text NOT NULL,
  via_step   text NOT NULL DEFAULT '',
  PRIMARY KEY (from_node, to_node, via_kind, via_name, via_step)
);
CREATE INDEX dataset_lineage_to_idx ON meta.dataset_lineage (to_node);

-- What search looks in: tables, columns, indicators, reports, APIs; rank = use.
CREATE TABLE meta.dataset_search (
  kind      text NOT NULL CHECK (kind IN ('table', 'column', 'indicator', 'report', 'api')),
  key       text NOT NULL,
  title     text NOT NULL,
  detail    text NOT NULL DEFAULT '',
  layer     text NOT NULL DEFAULT '',
  haystack  text NOT NULL,      -- lower-cased key, names and descriptions in both languages
  rank      bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, key)
);
CREATE INDEX dataset_search_trgm_idx ON meta.dataset_search USING gin (haystack gin_trgm_ops);

-- The last rebuild: what it was built from and what it found.
CREATE TABLE meta.dataset_build (
  id           integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  fingerprint  text NOT NULL,
  built_at     timestamptz NOT NULL DEFAULT now(),
  duration_ms  double precision NOT NULL,
  edges        integer NOT NULL,
  problems     jsonb NOT NULL DEFAULT '[]'
);

-- Owners, stewards, SLAs and categories of the shipped tables.
INSERT INTO meta.dataset_table (table_schema, table_name, layer, subject_code, category, owner,
                                steward, sla_hours) VALUES
  ('dw', 'dim_customer', 'dw', 'customer', 'Master data', 'Revenue department', 'Data center', 26),
  ('dw', 'contact', 'dw', 'customer', 'Master data', 'Customer service', 'Data center', 26),
  ('dw', 'dim_account', 'dw', 'customer', 'Master data', 'Revenue department', 'Data center', 26),
  ('dw', 'dim_key_customer', 'dw', 'customer', 'Master data', 'Dispatch center', 'Data center', 168),
  ('dw', 'dim_tariff', 'dw', 'billing', 'Reference', 'Revenue department', 'Data center', 168),
  ('dw', 'fact_bill', 'dw', 'billing', 'Facts/Monthly', 'Revenue department', 'Data center', 26),
  ('dw', 'fact_payment', 'dw', 'billing', 'Facts/Daily', 'Revenue department', 'Data center', 26),
  ('dw', 'dim_meter', 'dw', 'meter', 'Master data', 'Meter department', 'Data center', 26),
  ('dw', 'fact_meter_event', 'dw', 'meter', 'Facts/Daily', 'Meter department', 'Data center', 26),
  ('dw', 'fact_work_order', 'dw', 'service', 'Facts/Daily', 'Customer service', 'Data center', 26),
  ('dw', 'fact_call', 'dw', 'service', 'Facts/Daily', 'Customer service', 'Data center', 26),
  ('dw', 'fact_sms', 'dw', 'service', 'Facts/Daily', 'Customer service', 'Data center', 26),
  ('dw', 'fact_installation', 'dw', 'service', 'Facts/Daily', 'Business department', 'Data center', 26),
  ('dw', 'dim_dma_zone', 'dw', 'network', 'Master data', 'Network department', 'GIS team', 168),
  ('dw', 'fact_dma_inflow', 'dw', 'network', 'Facts/Monthly', 'Network department', 'GIS team', 744),
  ('dw', 'fact_outage', 'dw', 'network', 'Facts/Daily', 'Dispatch center', 'GIS team', 26),
  ('dw', 'gis_pipe', 'dw', 'network', 'Map layers', 'Network department', 'GIS team', 168),
  ('dw', 'gis_valve', 'dw', 'network', 'Map layers', 'Network department', 'GIS team', 168),
  ('dw', 'dim_district', 'dw', 'geo', 'Master data', 'GIS team', 'GIS team', 744),
  ('dw', 'dim_community', 'dw', 'geo', 'Master data', 'GIS team', 'GIS team', 168),
  ('dw', 'dim_premise', 'dw', 'geo', 'Master data', 'GIS team', 'GIS team', 168),
  ('dw', 'gis_river', 'dw', 'geo', 'Map layers', 'GIS team', 'GIS team', 744),
  ('dw', 'gis_road', 'dw', 'geo', 'Map layers', 'GIS team', 'GIS team', 744),
  ('dm', 'customer_profile', 'dm', 'customer', 'Customer 360', 'Data center', 'Data center', 26),
  ('dm', 'cube_billing_monthly', 'dm', 'billing', 'Cubes/Monthly', 'Data center', 'Revenue department', 26),
  ('dm', 'cube_payment_monthly', 'dm', 'billing', 'Cubes/Monthly', 'Data center', 'Revenue department', 26),
  ('dm', 'consumption_streak', 'dm', 'meter', 'Mining lists', 'Data center', 'Meter department', 26),
  ('dm', 'cube_work_order_monthly', 'dm', 'service', 'Cubes/Monthly', 'Data center', 'Customer service', 26),
  ('dm', 'cube_call_monthly', 'dm', 'service', 'Cubes/Monthly', 'Data center', 'Customer service', 26),
  ('dm', 'cube_nrw_monthly', 'dm', 'network', 'Cubes/Monthly', 'Data center', 'Network department', 744);

-- Personal data, masked in samples and by role elsewhere.
INSERT INTO meta.dataset_column (table_schema, table_name, column_name, personal_data) VALUES
  ('dw', 'dim_customer', 'name', 'name'), ('dw', 'dim_customer', 'id_card', 'id_card'),
  ('dw', 'dim_customer', 'mobile', 'phone'), ('dw', 'dim_customer', 'landline', 'phone'),
  ('dw', 'dim_customer', 'wechat_openid', 'openid'), ('dw', 'dim_customer', 'address', 'address'),
  ('dw', 'contact', 'value', 'phone'), ('dw', 'dim_premise', 'address', 'address'),
  ('dw', 'dim_premise', 'room', 'address'),
  ('dw', 'fact_work_order', 'phone', 'phone'), ('dw', 'fact_work_order', 'address', 'address'),
  ('dw', 'fact_work_order', 'description', 'free_text'), ('dw', 'fact_call', 'phone', 'phone'),
  ('dw', 'fact_sms', 'phone', 'phone'), ('dw', 'fact_installation', 'applicant', 'name'),
  ('dw', 'fact_installation', 'phone', 'phone'), ('dw', 'fact_installation', 'address', 'address'),
  ('dm', 'customer_profile', 'name', 'name'), ('dm', 'customer_profile', 'mobile', 'phone'),
  ('dm', 'customer_profile', 'address', 'address'),
  ('ods', 'billing_customer', 'cust_name', 'name'), ('ods', 'billing_customer', 'id_card', 'id_card'),
  ('ods', 'billing_customer', 'mobile', 'phone'), ('ods', 'billing_customer', 'tel', 'phone'),
  ('ods', 'billing_customer', 'wechat_openid', 'openid'),
  ('ods', 'billing_customer', 'address', 'address'),
  ('ods', 'hotline_call', 'ani', 'phone'), ('ods', 'sms_log', 'mobile', 'phone'),
  ('ods', 'sms_log', 'content', 'free_text'),
  ('ods', 'workorder_work_order', 'caller_phone', 'phone'),
  ('ods', 'install_application', 'applicant', 'name'), ('ods', 'install_application', 'phone', 'phone');

INSERT INTO meta.dataset_column (table_schema, table_name, column_name, term_code) VALUES
  ('dw', 'fact_bill', 'account_id', 'account'), ('dw', 'fact_bill', 'period', 'billing_period'),
  ('dw', 'fact_bill', 'qty', 'billed_volume'), ('dw', 'fact_bill', 'amount', 'amount_billed'),
  ('dw', 'dim_account', 'account_id', 'account'), ('dw', 'dim_account', 'dma3_code', 'dma'),
  ('dw', 'dim_customer', 'customer_id', 'customer'),
  ('dm', 'customer_profile', 'arrears_amount', 'arrears'),
  ('dm', 'cube_billing_monthly', 'billed_qty', 'billed_volume'),
  ('dm', 'cube_billing_monthly', 'amount', 'amount_billed'),
  ('dm', 'cube_nrw_monthly', 'siv', 'siv'), ('dm', 'cube_nrw_monthly', 'zone_code', 'dma'),
  ('dw', 'fact_work_order', 'wo_no', 'work_order')
ON CONFLICT (table_schema, table_name, column_name) DO UPDATE SET term_code = EXCLUDED.term_code;

-- ---------------------------------------------------------------- descriptions (English)

COMMENT ON TABLE dw.dim_district IS 'Administrative districts of the city, with their boundaries.';
COMMENT ON TABLE dw.dim_dma_zone IS 'District metered areas at three levels; each zone knows its level-1 and level-2 ancestors.';
COMMENT ON TABLE dw.dim_community IS 'Residential communities (小区) with their property company and boundary.';
COMMENT ON TABLE dw.dim_premise IS 'Every supplied address (building, unit, room) placed in its community, DMA zone and district.';
COMMENT ON TABLE dw.dim_tariff IS 'Water tariffs: tier limits and prices per customer type.';
COMMENT ON TABLE dw.dim_customer IS 'Customers, one row each, latest version of the billing system''s record; phones normalised.';
COMMENT ON TABLE dw.contact IS 'Every way to reach a customer (mobile, landline, WeChat), one row each: what a caller''s number is looked up in.';
COMMENT ON TABLE dw.dim_account IS 'Water accounts with their customer, premise, meter, tariff, status and location codes.';
COMMENT ON TABLE dw.dim_meter IS 'Water meters with size, brand, installation date and status.';
COMMENT ON TABLE dw.dim_key_customer IS 'Key customers (hospitals, schools, large consumers) that outages must warn first.';
COMMENT ON TABLE dw.gis_river IS 'Rivers, drawn on the map.';
COMMENT ON TABLE dw.gis_road IS 'Roads by class, drawn on the map.';
COMMENT ON TABLE dw.gis_pipe IS 'Water mains with diameter, material and installation year.';
COMMENT ON TABLE dw.gis_valve IS 'Network valves and whether they are open, closed or inoperable.';
COMMENT ON TABLE dw.fact_bill IS 'One bill with its meter reading per account and billing month; duplicated extract rows resolved to the latest.';
COMMENT ON TABLE dw.fact_payment IS 'Payments with their channel and how many days after the bill''s due date they came.';
COMMENT ON TABLE dw.fact_meter_event IS 'Meter lifecycle events: installation, change, removal, loss, fault.';
COMMENT ON TABLE dw.fact_work_order IS 'Work orders with their timeline, status and whether they met their service level.';
COMMENT ON TABLE dw.fact_call IS 'Hotline calls with the caller''s normalised number and the customer it belongs to.';
COMMENT ON TABLE dw.fact_sms IS 'SMS messages sent to customers and their delivery status.';
COMMENT ON TABLE dw.fact_installation IS 'Installation applications (报装) from acceptance to connection.';
COMMENT ON TABLE dw.fact_outage IS 'Planned and emergency outages with their area and times.';
COMMENT ON TABLE dw.fact_dma_inflow IS 'System input volume of each DMA zone and month, from its boundary meters.';
COMMENT ON TABLE dm.customer_profile IS 'One row per account: what the customer 360 header and its profile tags show.';
COMMENT ON TABLE dm.cube_billing_monthly IS 'Monthly billing, collection and reading figures per DMA-3 zone, community and customer type.';
COMMENT ON TABLE dm.cube_payment_monthly IS 'Payments per month paid, district and channel.';
COMMENT ON TABLE dm.cube_work_order_monthly IS 'Work orders per month created, district, category and priority.';
COMMENT ON TABLE dm.cube_call_monthly IS 'Hotline calls per month and category.';
COMMENT ON TABLE dm.cube_nrw_monthly IS 'Non-revenue water per DMA zone (all levels) and month: input volume against billed volume.';
COMMENT ON TABLE dm.consumption_streak IS 'Runs of consecutive zero-consumption months, one row per run.';

COMMENT ON COLUMN dw.fact_bill.account_id IS 'The account billed.';
COMMENT ON COLUMN dw.fact_bill.period IS 'Billing month, as its first day.';
COMMENT ON COLUMN dw.fact_bill.bill_no IS 'The billing system''s bill number.';
COMMENT ON COLUMN dw.fact_bill.read_date IS 'Day the meter was read.';
COMMENT ON COLUMN dw.fact_bill.prev_read IS 'Previous meter reading (m³).';
COMMENT ON COLUMN dw.fact_bill.curr_read IS 'This month''s meter reading (m³).';
COMMENT ON COLUMN dw.fact_bill.read_status IS 'valid, estimated, no_access, stopped, abnormal or not_read.';
COMMENT ON COLUMN dw.fact_bill.qty IS 'Billed volume (m³).';
COMMENT ON COLUMN dw.fact_bill.tier1_qty IS 'Volume billed at the first tier price (m³).';
COMMENT ON COLUMN dw.fact_bill.tier2_qty IS 'Volume billed at the second tier price (m³).';
COMMENT ON COLUMN dw.fact_bill.tier3_qty IS 'Volume billed at the third tier price (m³).';
COMMENT ON COLUMN dw.fact_bill.water_fee IS 'Water charge (yuan).';
COMMENT ON COLUMN dw.fact_bill.sewage_fee IS 'Sewage treatment charge (yuan).';
COMMENT ON COLUMN dw.fact_bill.amount IS 'Amount billed: water plus sewage charge (yuan).';
COMMENT ON COLUMN dw.fact_bill.due_date IS 'Last day to pay without a late fee.';
COMMENT ON COLUMN dw.fact_payment.account_id IS 'The account that paid.';
COMMENT ON COLUMN dw.fact_payment.pay_no IS 'The billing system''s payment number.';
COMMENT ON COLUMN dw.fact_payment.period IS 'Billing month of the bill paid.';
COMMENT ON COLUMN dw.fact_payment.paid_at IS 'When the payment was made.';
COMMENT ON COLUMN dw.fact_payment.amount IS 'Amount paid (yuan).';
COMMENT ON COLUMN dw.fact_payment.late_fee IS 'Late fee paid with it (yuan).';
COMMENT ON COLUMN dw.fact_payment.channel IS 'counter, bank, wechat, alipay, online or other.';
COMMENT ON COLUMN dw.fact_payment.days_late IS 'Days after the bill''s due date; NULL when no bill matches.';
COMMENT ON COLUMN dw.dim_account.account_id IS 'Account number (户号).';
COMMENT ON COLUMN dw.dim_account.customer_id IS 'The customer holding the account.';
COMMENT ON COLUMN dw.dim_account.premise_id IS 'The supplied address.';
COMMENT ON COLUMN dw.dim_account.meter_no IS 'The meter installed, if any.';
COMMENT ON COLUMN dw.dim_account.customer_type IS 'residential, non_residential, special or construction.';
COMMENT ON COLUMN dw.dim_account.tariff_code IS 'The tariff the account is billed at.';
COMMENT ON COLUMN dw.dim_account.book_no IS 'Meter-reading book (抄表册) the account belongs to.';
COMMENT ON COLUMN dw.dim_account.opened_on IS 'Day the account was opened.';
COMMENT ON COLUMN dw.dim_account.closed_on IS 'Day the account was closed, if it was.';
COMMENT ON COLUMN dw.dim_account.status IS 'normal, suspended, closed or vacant.';
COMMENT ON COLUMN dw.dim_account.community_code IS 'Community of the premise; NULL outside communities.';
COMMENT ON COLUMN dw.dim_account.dma3_code IS 'Level-3 DMA zone of the premise.';
COMMENT ON COLUMN dw.dim_account.district_code IS 'District of the premise.';
COMMENT ON COLUMN dw.dim_customer.customer_id IS 'Customer number.';
COMMENT ON COLUMN dw.dim_customer.name IS 'Customer''s name (personal data).';
COMMENT ON COLUMN dw.dim_customer.id_card IS 'Identity card number (personal data).';
COMMENT ON COLUMN dw.dim_customer.customer_type IS 'residential, non_residential, special or construction.';
COMMENT ON COLUMN dw.dim_customer.mobile IS 'Normalised mobile number; NULL when missing or not a mobile.';
COMMENT ON COLUMN dw.dim_customer.landline IS 'Normalised landline with area code.';
COMMENT ON COLUMN dw.dim_customer.wechat_openid IS 'WeChat open id when the customer is bound.';
COMMENT ON COLUMN dw.dim_customer.address IS 'Postal address as registered.';
COMMENT ON COLUMN dw.dim_customer.created_on IS 'Day the customer was registered.';
COMMENT ON COLUMN dw.dim_customer.updated_at IS 'Last change in the billing system.';
COMMENT ON COLUMN dm.customer_profile.account_id IS 'The account.';
COMMENT ON COLUMN dm.customer_profile.customer_id IS 'Its customer.';
COMMENT ON COLUMN dm.customer_profile.name IS 'Customer''s name (personal data).';
COMMENT ON COLUMN dm.customer_profile.customer_type IS 'residential, non_residential, special or construction.';
COMMENT ON COLUMN dm.customer_profile.account_status IS 'normal, suspended, closed or vacant.';
COMMENT ON COLUMN dm.customer_profile.address IS 'Address of the premise (personal data).';
COMMENT ON COLUMN dm.customer_profile.community_name IS 'Name of the community.';
COMMENT ON COLUMN dm.customer_profile.district_name IS 'Name of the district.';
COMMENT ON COLUMN dm.customer_profile.mobile IS 'Customer''s mobile (personal data).';
COMMENT ON COLUMN dm.customer_profile.has_wechat IS 'The customer is bound to WeChat.';
COMMENT ON COLUMN dm.customer_profile.last_period IS 'Last month billed.';
COMMENT ON COLUMN dm.customer_profile.months_billed IS 'Months with a bill.';
COMMENT ON COLUMN dm.customer_profile.avg_qty_12m IS 'Average monthly volume of the last 12 months (m³).';
COMMENT ON COLUMN dm.customer_profile.median_qty_peer IS 'Median of the same average over the account''s peers (community or zone, same customer type).';
COMMENT ON COLUMN dm.customer_profile.consumption_level IS 'low, normal or high against the peers'' median.';
COMMENT ON COLUMN dm.customer_profile.trend IS 'rising, stable or falling: last 6 months against the 6 before.';
COMMENT ON COLUMN dm.customer_profile.zero_streak IS 'Consecutive zero-consumption months up to the last period.';
COMMENT ON COLUMN dm.customer_profile.spike IS 'Last reading more than 5 times the 12-month median.';
COMMENT ON COLUMN dm.customer_profile.arrears_amount IS 'Billed amount past due and not paid (yuan).';
COMMENT ON COLUMN dm.customer_profile.overdue_months IS 'Bills past due and not fully paid.';
COMMENT ON COLUMN dm.customer_profile.payment_habit IS 'arrears, late (over 30% of last year''s payments late) or on_time.';
COMMENT ON COLUMN dm.customer_profile.preferred_channel IS 'The channel the account pays through most.';
COMMENT ON COLUMN dm.customer_profile.calls_12m IS 'Hotline calls of the customer in the last 12 months.';
COMMENT ON COLUMN dm.customer_profile.work_orders_12m IS 'Work orders of the account in the last 12 months.';
COMMENT ON COLUMN dm.cube_billing_monthly.period IS 'Billing month.';
COMMENT ON COLUMN dm.cube_billing_monthly.accounts IS 'Accounts billed this month.';
COMMENT ON COLUMN dm.cube_billing_monthly.billed_qty IS 'Billed volume (m³).';
COMMENT ON COLUMN dm.cube_billing_monthly.water_fee IS 'Water charge (yuan).';
COMMENT ON COLUMN dm.cube_billing_monthly.sewage_fee IS 'Sewage charge (yuan).';
COMMENT ON COLUMN dm.cube_billing_monthly.amount IS 'Amount billed (yuan).';
COMMENT ON COLUMN dm.cube_billing_monthly.paid_amount IS 'Of this month''s bills, paid by now (yuan).';
COMMENT ON COLUMN dm.cube_billing_monthly.paid_on_time IS 'Of this month''s bills, paid by the due date (yuan).';
COMMENT ON COLUMN dm.cube_billing_monthly.reads_expected IS 'Readings due (one per account billed).';
COMMENT ON COLUMN dm.cube_billing_monthly.reads_done IS 'Valid readings, zero included.';
COMMENT ON COLUMN dm.cube_billing_monthly.reads_zero IS 'Valid readings of zero consumption.';
COMMENT ON COLUMN dm.cube_billing_monthly.reads_estimated IS 'Estimated readings.';
COMMENT ON COLUMN dm.cube_nrw_monthly.siv IS 'System input volume measured by the zone''s boundary meters (m³).';
COMMENT ON COLUMN dm.cube_nrw_monthly.billed IS 'Billed volume of the accounts in the zone and its sub-zones (m³).';
COMMENT ON COLUMN dm.cube_nrw_monthly.connections IS 'Accounts billed in the zone.';

-- ---------------------------------------------------------------- descriptions (zh_CN)

INSERT INTO meta.dataset_text (object, lang, description) VALUES
  ('dw.dim_customer', 'zh_CN', '客户档案，每客户一行，取营收系统的最新记录，电话已规范化。'),
  ('dw.dim_account', 'zh_CN', '用水户：所属客户、地址、水表、水价、状态及所在小区、分区、行政区。'),
  ('dw.fact_bill', 'zh_CN', '每户每账期一张账单（含抄表读数），抽取重复行取最新。'),
  ('dw.fact_payment', 'zh_CN', '缴费记录：缴费渠道及晚于缴费期限的天数。'),
  ('dw.dim_premise', 'zh_CN', '用水地址（楼、单元、室），归属小区、计量分区和行政区。'),
  ('dw.dim_dma_zone', 'zh_CN', '三级计量分区。'),
  ('dw.fact_work_order', 'zh_CN', '工单及其处理时间线、状态和是否按时完成。'),
  ('dw.fact_call', 'zh_CN', '热线来电：规范化的来电号码及所属客户。'),
  ('dm.customer_profile', 'zh_CN', '用户画像：每户一行，供客户360页头和画像标签使用。'),
  ('dm.cube_billing_monthly', 'zh_CN', '月度计费、回收、抄表指标立方（三级分区 × 小区 × 用户类型）。'),
  ('dm.cube_nrw_monthly', 'zh_CN', '各级分区逐月产销差：供水量对比计费水量。'),
  ('dm.consumption_streak', 'zh_CN', '连续零水量月份区间，每段一行。'),
  ('dm.customer_profile.arrears_amount', 'zh_CN', '已过缴费期限且未缴的应收金额（元）。'),
  ('dw.fact_bill.amount', 'zh_CN', '应收金额：水费与污水处理费合计（元）。'),
  ('ods.billing_bill', 'en', 'Raw bills of the billing system: its monthly bill tables merged into one, loaded incrementally by period.'),
  ('ods.billing_bill', 'zh_CN', '营收系统账单原始抽取：各月账单表合并，按账期增量加载。'),
  ('ods.billing_payment', 'en', 'Raw payments of the billing system, loaded incrementally.'),
  ('ods.billing_payment', 'zh_CN', '营收系统缴费原始抽取，增量加载。'),
  ('ods.billing_customer', 'en', 'Raw customer records of the billing system.'),
  ('ods.billing_account', 'en', 'Raw account records of the billing system.');
