-- 029_api_language: the standard APIs read in the utility's language.
--
-- The seventeen standard APIs of 019 were seeded with English titles and descriptions, which a
-- Chinese desk then read in the API market. Their text is the utility's data, so it follows the
-- catalog's pattern (name_zh primary, name_en kept): title and description become Chinese, the
-- English stays in title_en and description_en, and aq-api-store.c shows a person the one of
-- their language. The parameters' descriptions inside each standard definition get the same
-- treatment ("description" Chinese, "description_en" the English). Only rows still carrying the
-- shipped English are touched: an API someone re-published keeps what they wrote (and a
-- re-publish with a new title drops the kept English, aq_api_publish).

ALTER TABLE meta.api ADD COLUMN title_en text, ADD COLUMN description_en text;

CREATE TEMPORARY TABLE api_text (name text, title_en text, title text, description text)
  ON COMMIT DROP;
INSERT INTO api_text VALUES
  ('bill_receivables', 'Receivables of an account', '户号应收列表',
   '户号尚未缴清的账单：应收金额、已缴金额、欠费金额（应收列表）。'),
  ('bill_details', 'Bills of an account', '户号账单明细',
   '每个账期一行：抄表读数、分阶梯水量、水费与污水处理费（账单明细），最新的在前。'),
  ('payments', 'Payments of an account', '户号缴费信息',
   '缴费记录及其渠道、滞纳金与逾期天数（缴费信息）。'),
  ('withholding', 'Bank withholding of an account', '户号银行代扣信息',
   '通过银行代扣收取的缴费（代扣信息）。'),
  ('annual_bill_summary', 'Annual bill summary', '年度账单汇总',
   '户号一年的汇总：总水量与总金额、已缴滞纳金、信用等级（缴费习惯）与缴费方式（常用渠道）（年度账单汇总）。'),
  ('meter_info', 'Meter of an account', '户号水表信息',
   '户号所抄的水表：口径、品牌、型号、安装日期与状态（水表信息）。'),
  ('customer_lookup', 'Customer number lookup', '户号查询',
   '按电话号码查询其登记客户的全部户号（户号查询）；返回的号码已脱敏。'),
  ('customer_profile', 'Customer profile', '客户画像',
   '户号的画像：用户类型、状态、地址、分区、用水水平与趋势、欠费、缴费习惯；姓名与手机号已脱敏（客户画像）。'),
  ('nrw_zone_readings', 'Readings by DMA zone and month', '按计量分区和月份的抄表数据',
   '某计量分区（任意级别）内每个户号在某月的抄表数据，供产销差系统使用。'),
  ('nrw_zone_accounts', 'Account–meter relations by DMA zone', '按计量分区的户表关系',
   '某计量分区（任意级别）的户号及其水表与状态，供产销差系统使用。'),
  ('nrw_zone_volumes', 'Supply and sales volumes by zone level', '按分区级别的供售水量',
   '某级别每个分区在某月的供水量、售水量、产销差水量与产销差率（供售水量）。'),
  ('hydraulic_accounts', 'Account updates since a time', '某时刻以来的户号更新',
   '客户自某时刻以来有变动的户号：状态、水表、分区、立户与销户日期（用户更新、户态），供水力模型使用。'),
  ('hydraulic_readings', 'Readings since a date', '某日以来的抄表数据',
   '某日及以后的抄表数据，供水力模型使用；可只取部分户号。'),
  ('hydraulic_zone_volumes', 'Zone volumes since a month', '某月以来的分区水量',
   '某月以来每个计量分区每月的供水量，供水力模型使用。'),
  ('outages', 'Outages, active and planned', '停水信息（进行中与计划中）',
   '停水的类型、原因、时间、状态与范围（GeoJSON），供智慧水务大脑使用（停水信息）。'),
  ('work_orders', 'Work orders since a time', '某时刻以来的工单',
   '某时刻以来创建的工单，可按状态和类别筛选；来电号码已脱敏（工单）。'),
  ('customer_totals', 'Customer totals by type', '按用户类型的用户总数',
   '按用户类型统计的户号数，及其中正常用水的户数（用户总数）。');

UPDATE meta.api a
   SET title_en = a.title, description_en = a.description,
       title = t.title, description = t.description
  FROM api_text t
 WHERE a.name = t.name AND a.title = t.title_en;

CREATE TEMPORARY TABLE api_param_text (en text PRIMARY KEY, zh text NOT NULL) ON COMMIT DROP;
INSERT INTO api_param_text VALUES
  ('Account number (户号)', '户号'),
  ('Billing month (YYYY-MM)', '账期（YYYY-MM）'),
  ('Calendar year', '年份'),
  ('Category (e.g. repair)', '类别（如 repair 维修）'),
  ('Changed at or after (ISO 8601)', '变动时间不早于（ISO 8601）'),
  ('Created at or after (ISO 8601)', '创建时间不早于（ISO 8601）'),
  ('DMA zone code (level 1, 2 or 3)', '计量分区编码（一、二或三级）'),
  ('First month (YYYY-MM)', '起始月份（YYYY-MM）'),
  ('From this month (YYYY-MM)', '自该月起（YYYY-MM）'),
  ('Last month (YYYY-MM)', '截止月份（YYYY-MM）'),
  ('Month (YYYY-MM)', '月份（YYYY-MM）'),
  ('Only these accounts', '只取这些户号'),
  ('Only this zone', '只取该分区'),
  ('Paid on or after (YYYY-MM-DD)', '缴费日期不早于（YYYY-MM-DD）'),
  ('Phone number, normalised (e.g. 13812345678)', '规范化的电话号码（如 13812345678）'),
  ('Read on or after (YYYY-MM-DD)', '抄表日期不早于（YYYY-MM-DD）'),
  ('Statuses (default active, planned)', '状态（默认进行中、计划中）'),
  ('Statuses', '状态'),
  ('Zone level', '分区级别');

UPDATE meta.api_version v
   SET definition = jsonb_set(v.definition, '{params}', (
         SELECT coalesce(jsonb_agg(CASE WHEN t.zh IS NULL THEN e.p
                                        ELSE e.p || jsonb_build_object('description', t.zh,
                                                                       'description_en',
                                                                       e.p->>'description')
                                   END ORDER BY e.ord), '[]'::jsonb)
           FROM jsonb_array_elements(v.definition->'params') WITH ORDINALITY AS e(p, ord)
           LEFT JOIN api_param_text t ON t.en = e.p->>'description'))
 WHERE v.note = 'standard' AND v.version = 1
   AND jsonb_typeof(v.definition->'params') = 'array'
   AND v.api IN (SELECT name FROM api_text);
