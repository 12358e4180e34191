/* aq-simulator-accounts-write.c — customers, accounts and applications written as the legacy
 * systems hold them
 *
 * The plan made in aq-simulator-accounts.c goes into the billing, installation and code tables
 * of the simulated sources (src_*), and the anomalies it planted into src_truth, so tests can
 * check what the pipelines find against what was hidden.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-accounts-private.h"

#include <math.h>
#include <string.h>

/* ---- writing ---- */

static const struct
{
  const char *type, *code, *name;
} codes[] = {
  { "CUST_TYPE", "01", "居民" }, { "CUST_TYPE", "02", "非居民" },
  { "CUST_TYPE", "03", "特种行业" }, { "CUST_TYPE", "04", "施工" },
  { "ACCT_STATUS", "1", "正常" }, { "ACCT_STATUS", "2", "暂停" },
  { "ACCT_STATUS", "3", "销户" }, { "ACCT_STATUS", "4", "空置" },
  { "READ_STATUS", "00", "正常" }, { "READ_STATUS", "01", "估抄" },
  { "READ_STATUS", "02", "未进门" }, { "READ_STATUS", "03", "表停/故障" },
  { "READ_STATUS", "04", "异常" }, { "READ_STATUS", "09", "未抄" },
  { "PAY_CHANNEL", "01", "柜台" }, { "PAY_CHANNEL", "02", "银行代扣" },
  { "PAY_CHANNEL", "03", "微信" }, { "PAY_CHANNEL", "04", "支付宝" },
  { "PAY_CHANNEL", "05", "网上营业厅" }, { "PAY_CHANNEL", "09", "其他" },
  { "METER_STATUS", "1", "在用" }, { "METER_STATUS", "2", "拆除" },
  { "METER_STATUS", "3", "丢失" }, { "METER_STATUS", "4", "故障" },
  { "METER_EVENT", "INST", "安装" }, { "METER_EVENT", "CHG", "换表" },
  { "METER_EVENT", "RMV", "拆表" }, { "METER_EVENT", "LOST", "丢失" },
  { "METER_EVENT", "FAULT", "故障" }, { "METER_EVENT", "ONLN", "通水立户" },
  { "APP_TYPE", "NEW", "新装" }, { "APP_TYPE", "ENL", "增容" }, { "APP_TYPE", "MOV", "移表" },
  { "APP_STATUS", "ACC", "受理" }, { "APP_STATUS", "SRV", "勘察" },
  { "APP_STATUS", "DSG", "设计" }, { "APP_STATUS", "CON", "施工" },
  { "APP_STATUS", "CNT", "通水" }, { "APP_STATUS", "CAN", "撤销" },
  { "WO_CATEGORY", "REP", "维修/漏水" }, { "WO_CATEGORY", "NOW", "停水/水压低" },
  { "WO_CATEGORY", "BIL", "水费咨询" }, { "WO_CATEGORY", "MTR", "水表/抄表" },
  { "WO_CATEGORY", "BUS", "业务办理" }, { "WO_CATEGORY", "QUA", "水质" },
  { "WO_CATEGORY", "CMP", "投诉" }, { "WO_CATEGORY", "SEC", "二次供水" },
  { "WO_CATEGORY", "OTH", "其他" }, { "WO_CATEGORY", "INQ", "咨询" },
  { "WO_PRIORITY", "1", "一级" }, { "WO_PRIORITY", "2", "二级" }, { "WO_PRIORITY", "3", "三级" },
  { "WO_STATUS", "OPN", "待派单" }, { "WO_STATUS", "DSP", "已派单" },
  { "WO_STATUS", "ONS", "已到场" }, { "WO_STATUS", "CLS", "已办结" },
  { "WO_STATUS", "CAN", "已撤销" },
  { "WO_SOURCE", "HOTLINE", "热线" }, { "WO_SOURCE", "APP", "掌上营业厅" },
  { "WO_SOURCE", "WALKIN", "营业厅" }, { "WO_SOURCE", "PATROL", "巡检" },
  { "WO_ACTION", "CREATE", "创建" }, { "WO_ACTION", "DISPATCH", "派单" },
  { "WO_ACTION", "ARRIVE", "到场" }, { "WO_ACTION", "HANDLE", "处理" },
  { "WO_ACTION", "CLOSE", "办结" }, { "WO_ACTION", "CANCEL", "撤销" },
  { "SMS_STATUS", "DELIVRD", "已送达" }, { "SMS_STATUS", "UNDELIV", "未送达" },
  { "SMS_STATUS", "EXPIRED", "已过期" }, { "SMS_STATUS", "REJECTD", "被拒收" },
  { "SMS_TEMPLATE", "BILL", "账单通知" }, { "SMS_TEMPLATE", "ARRS", "欠费提醒" },
  { "SMS_TEMPLATE", "OUTG", "停水通知" }, { "SMS_TEMPLATE", "PAYOK", "缴费成功" },
  { "SMS_TEMPLATE", "OTHR", "其他" },
  { "ROAD_CLASS", "1", "主干道" }, { "ROAD_CLASS", "2", "次干道" }, { "ROAD_CLASS", "3", "支路" },
  { "PREMISE_STATUS", "N", "正常" }, { "PREMISE_STATUS", "D", "拆迁" },
  { "PIPE_MATERIAL", "DI", "球墨铸铁" }, { "PIPE_MATERIAL", "PE", "聚乙烯" },
  { "PIPE_MATERIAL", "STEEL", "钢管" }, { "PIPE_MATERIAL", "PCCP", "预应力钢筒混凝土管" },
  { "PIPE_MATERIAL", "CI", "灰口铸铁" },
  { "VALVE_STATUS", "O", "开启" }, { "VALVE_STATUS", "C", "关闭" },
  { "VALVE_STATUS", "X", "无法操作" },
  { "KEY_KIND", "HOSP", "医院" }, { "KEY_KIND", "SCHL", "学校" },
  { "KEY_KIND", "KIND", "幼儿园" }, { "KEY_KIND", "HOTL", "酒店" },
  { "KEY_KIND", "LARG", "用水大户" },
  { "OUTAGE_KIND", "P", "计划停水" }, { "OUTAGE_KIND", "E", "紧急停水" },
  { "OUTAGE_STATUS", "PLN", "计划中" }, { "OUTAGE_STATUS", "ACT", "进行中" },
  { "OUTAGE_STATUS", "FIN", "已恢复" }, { "OUTAGE_STATUS", "CAN", "已取消" },
  { "FLOW_SIGN", "1", "流入" }, { "FLOW_SIGN", "-1", "流出" },
  { "DMA_LEVEL", "1", "一级分区" }, { "DMA_LEVEL", "2", "二级分区" },
  { "DMA_LEVEL", "3", "三级分区" },
};

static gboolean
write_codes (AqSim   *sim,
             GError **error)
{
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_billing.code_dict (dict_type, code, name)", error);

  if (w == NULL)

    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      aq_copy_writer_row (w, 3);
      aq_copy_writer_text (w, codes[i].type, -1);
      aq_copy_writer_text (w, codes[i].code, -1);
      aq_copy_writer_text (w, codes[i].name, -1);
      aq_copy_writer_end_row (w);
    }
  if (!aq_sim_copy_end (sim, w, "src_billing.code_dict", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_billing.tariff (tariff_code, tariff_name, cust_type, "
                    "tier1_limit, tier2_limit, price1, price2, price3, sewage_price)", error);

  if (w == NULL)

    return FALSE;
  {
    static const struct
    {
      const char *code, *name, *type;
      int t1, t2, p1, p2, p3, sewage;
    } tariffs[] = {
      { "0101", "居民生活用水（阶梯）", "01", 20, 35, 185, 278, 555, 95 },
      { "0201", "非居民用水", "02", -1, -1, 340, -1, -1, 140 },
      { "0301", "特种行业用水", "03", -1, -1, 1200, -1, -1, 140 },
      { "0401", "施工临时用水", "04", -1, -1, 450, -1, -1, 140 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (tariffs); i++)
      {
        aq_copy_writer_row (w, 9);
        aq_copy_writer_text (w, tariffs[i].code, -1);
        aq_copy_writer_text (w, tariffs[i].name, -1);
        aq_copy_writer_text (w, tariffs[i].type, -1);
        if (tariffs[i].t1 < 0)
          {
            aq_copy_writer_null (w);
            aq_copy_writer_null (w);
          }
        else
          {
            aq_copy_writer_int32 (w, tariffs[i].t1);
            aq_copy_writer_int32 (w, tariffs[i].t2);
          }
        aq_copy_writer_numeric (w, tariffs[i].p1, 2);
        if (tariffs[i].p2 < 0)
          {
            aq_copy_writer_null (w);
            aq_copy_writer_null (w);
          }
        else
          {
            aq_copy_writer_numeric (w, tariffs[i].p2, 2);
            aq_copy_writer_numeric (w, tariffs[i].p3, 2);
          }
        aq_copy_writer_numeric (w, tariffs[i].sewage, 2);
        aq_copy_writer_end_row (w);
      }
  }
  return aq_sim_copy_end (sim, w, "src_billing.tariff", error);
}

static void
append_openid (GString *out,
               guint32  customer,
               guint64  seed)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  AqRandom r;

  aq_random_init (&r, seed, AQ_SIM_STREAM_CUSTOMER_NAME, AQ_SIM_SUB (customer, 1));
  g_string_append_c (out, 'o');
  for (guint i = 0; i < 27; i++)
    g_string_append_c (out, alphabet[aq_random_below (&r, 64)]);
}

static void
write_customer_row (AqSim         *sim,
                    AqCopyWriter  *w,
                    guint32        ci,
                    guint64        mobile,
                    gint64         update_time,
                    GString       *s)
{
  const AqSimCustomer *c = &sim->customers[ci];
  const AqSimAccount *first = &sim->accounts[c->first_account];
  gboolean padded = (c->flags & AQ_SIM_CUST_PADDED) != 0;
  char no[12];
  AqRandom r;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CUSTOMER, AQ_SIM_SUB (ci, 2));
  format_cust_no (no, ci);
  aq_copy_writer_row (w, 10);
  aq_copy_writer_text (w, no, -1);

  g_string_truncate (s, 0);
  aq_sim_customer_name (sim, ci, s);
  if (padded)
    g_string_append (s, "  ");
  aq_copy_writer_text (w, s->str, (gssize) s->len);

  g_string_truncate (s, 0);
  if (c->cust_type == AQ_SIM_RES && c->key_kind == AQ_SIM_KEY_NONE)
    {
      if (aq_random_chance (&r, 0.97))
        aq_sim_id_card (&r, aq_day_from_civil (1940, 1, 1)
                        + (gint32) aq_random_below (&r, 62 * 365), s);
    }
  else if (aq_random_chance (&r, 0.8))
    aq_sim_credit_code (&r, s);
  aq_copy_writer_text (w, s->len ? s->str : NULL, (gssize) s->len);

  g_string_truncate (s, 0);
  g_string_append_c (s, '0');
  g_string_append_c (s, (char) ('0' + c->cust_type));
  aq_copy_writer_text (w, s->str, 2);

  g_string_truncate (s, 0);
  if (mobile != 0)
    {
      aq_sim_format_phone (s, mobile, c->mobile_format);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      if (!aq_sim_phone_format_plain (c->mobile_format))
        sim->dirt_rows[AQ_SIM_DIRT_MIXED_MOBILE]++;
    }
  else if (c->flags & AQ_SIM_CUST_TEL_IN_MOBILE)
    {
      aq_sim_format_landline (s, c->landline, c->tel_format);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      sim->dirt_rows[AQ_SIM_DIRT_TEL_IN_MOBILE]++;
    }
  else if (c->flags & AQ_SIM_CUST_EMPTY_MOBILE)
    aq_copy_writer_text (w, "", 0);
  else
    aq_copy_writer_null (w);

  g_string_truncate (s, 0);
  if (c->landline != 0 && !(c->flags & AQ_SIM_CUST_TEL_IN_MOBILE))
    {
      aq_sim_format_landline (s, c->landline, c->tel_format);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
    }
  else
    aq_copy_writer_null (w);

  g_string_truncate (s, 0);
  if (c->flags & AQ_SIM_CUST_WECHAT)
    {
      append_openid (s, ci, sim->seed);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
    }
  else
    aq_copy_writer_null (w);

  g_string_truncate (s, 0);
  aq_sim_premise_address (sim, first->premise, s);
  if (padded)
    g_string_append (s, "   ");
  aq_copy_writer_text (w, s->str, (gssize) s->len);
  /* planted dirt: a year typed a century ahead */
  aq_copy_writer_date (w, aq_sim_dirt_pick (sim, AQ_SIM_DIRT_FUTURE_CREATED, ci)
                          ? c->create_day + 36524 : c->create_day);
  aq_copy_writer_timestamp (w, update_time);
}

static gboolean
write_customers (AqSim   *sim,
                 GError **error)
{
  g_autoptr(GString) s = g_string_new (NULL);
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_billing.customer (cust_no, cust_name, id_card, cust_type, "
                    "mobile, tel, wechat_openid, address, create_date, update_time)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 ci = 0; ci < sim->n_customers; ci++)
    {
      const AqSimCustomer *c = &sim->customers[ci];
      gint64 update = aq_sim_day_seconds (c->create_day) + 9 * 3600 + (ci * 7919) % 28800;
      AqRandom r;

      if (c->create_day > sim->now_day)
        continue;     /* planned, not a customer yet at the extract */
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CUSTOMER, AQ_SIM_SUB (ci, 3));
      if (aq_random_chance (&r, 0.3))
        update += 86400 * (gint64) aq_random_below (&r, (guint32) MAX (1, sim->now_day
                                                                         - c->create_day));
      update = MIN (update, sim->now - 3600);
      write_customer_row (sim, w, ci, c->mobile, update, s);
      if (!aq_copy_writer_end_row (w))
        break;
      sim->dirt_rows[AQ_SIM_DIRT_FUTURE_CREATED] += aq_sim_dirt_pick (sim,
                                                                       AQ_SIM_DIRT_FUTURE_CREATED,
                                                                       ci);
      if (c->flags & AQ_SIM_CUST_DUP_SAME)
        {
          write_customer_row (sim, w, ci, c->mobile, update, s);
          aq_copy_writer_end_row (w);
        }
      else if (c->flags & AQ_SIM_CUST_DUP_CHANGED)
        {
          /* the same customer again, later, with the number they gave the counter since */
          gint64 later = aq_sim_min (update + 86400 * (gint64) aq_random_range (&r, 30, 900),
                                     sim->now - 60);

          write_customer_row (sim, w, ci, aq_sim_mobile_number (&r), later, s);
          aq_copy_writer_end_row (w);
        }
    }
  return aq_sim_copy_end (sim, w, "src_billing.customer", error);
}

static gboolean
write_accounts (AqSim   *sim,
                GError **error)
{
  static const char * const tariffs[] = { "", "0101", "0201", "0301", "0401" };
  AqCopyWriter *w = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_billing.account (acct_no, cust_no, premise_id, meter_no, "
                    "cust_type, tariff_code, book_no, open_date, close_date, status, "
                    "update_time)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];
      char acct[12], cust[12], meter[16], type[3] = { '0', (char) ('0' + a->cust_type), 0 };
      char status[2] = { (char) ('0' + a->status), 0 };
      gboolean closed = a->close_day <= sim->now_day;
      gint32 changed = closed ? a->close_day : a->open_day;

      /* as the account stands at the extract: the plan may reach further */
      if (a->open_day > sim->now_day)
        continue;
      if (!closed && a->status == 3)
        status[0] = '1';
      if (a->quiet_from >= (int) sim->n_months && !closed)
        status[0] = '1';
      else if (a->quiet_from >= 0)
        changed = MAX (changed, aq_month_first_day (sim->first_month + a->quiet_from) + 3);
      aq_sim_format_acct_no (acct, i);
      format_cust_no (cust, a->customer);
      {
        guint32 in_service = a->first_meter + a->n_meters - 1;

        while (in_service > a->first_meter && sim->meters[in_service].install_day > sim->now_day)
          in_service--;
        aq_sim_format_meter_no (sim, in_service, meter);
      }
      /* planted dirt: a meter number typed with the letter O (no meter has one), a tariff code
       * outside the tariff dictionary */
      if (aq_sim_dirt_pick (sim, AQ_SIM_DIRT_METER_TYPO, i))
        {
          meter[4] = 'O';
          sim->dirt_rows[AQ_SIM_DIRT_METER_TYPO]++;
        }
      if (aq_sim_dirt_pick (sim, AQ_SIM_DIRT_TARIFF_UNKNOWN, i))
        sim->dirt_rows[AQ_SIM_DIRT_TARIFF_UNKNOWN]++;
      aq_copy_writer_row (w, 11);
      aq_copy_writer_text (w, acct, 10);
      aq_copy_writer_text (w, cust, -1);
      aq_copy_writer_int64 (w, a->premise + 1);
      aq_copy_writer_text (w, meter, -1);
      aq_copy_writer_text (w, type, 2);
      aq_copy_writer_text (w, aq_sim_dirt_pick (sim, AQ_SIM_DIRT_TARIFF_UNKNOWN, i)
                              ? "0901" : tariffs[a->cust_type], 4);
      g_string_truncate (s, 0);
      g_string_append (s, aq_sim_district_abbrevs[sim->premises[a->premise].district]);
      aq_sim_append_padded (s, a->book + 1u, 4);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      aq_copy_writer_date (w, a->open_day);
      if (!closed)
        aq_copy_writer_null (w);
      else
        aq_copy_writer_date (w, a->close_day);
      aq_copy_writer_text (w, status, 1);
      aq_copy_writer_timestamp (w, MIN (aq_sim_day_seconds (changed) + 10 * 3600 + (i % 7200),
                                        sim->now - 60));
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_billing.account", error);
}

static const char * const app_steps[] = { "ACC", "SRV", "DSG", "CON", "CNT" };
static const char * const app_types[] = { "NEW", "ENL", "MOV" };

static void
format_app_no (const AqSimApp *app,
               char           *buf)
{
  g_autoptr(GString) s = g_string_new ("BZ");
  int y, m, d;

  aq_day_to_civil (app->apply_day, &y, &m, &d);
  aq_sim_append_padded (s, (guint64) y, 4);
  aq_sim_append_padded (s, app->number, 6);
  memcpy (buf, s->str, s->len + 1);
}

static gboolean
write_applications (AqSim   *sim,
                    GError **error)
{
  AqCopyWriter *w = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                   "src_install.application (app_no, applicant, phone, address, app_type, "
                   "cust_type, size_dn, apply_date, status, finish_date, acct_no)", error);
  if (w == NULL)
    return FALSE;
  for (guint j = 0; j < sim->n_apps; j++)
    {
      const AqSimApp *app = &sim->apps[j];
      gboolean cancelled = app->cancel_day <= sim->now_day;
      char no[16], type[3] = { '0', (char) ('0' + app->cust_type), 0 }, acct[12];
      guint n_steps = 0;
      AqRandom r;

      /* the steps reached by the extract: the plan may reach further */
      for (guint s_i = 0; s_i < 5; s_i++)
        if (app->step_day[s_i] <= sim->now_day)
          n_steps = s_i + 1;
      if (n_steps == 0)
        continue;
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_APP, AQ_SIM_SUB (j, 2));
      format_app_no (app, no);
      aq_copy_writer_row (w, 11);
      aq_copy_writer_text (w, no, -1);
      g_string_truncate (s, 0);
      if (app->account != AQ_SIM_NONE)
        aq_sim_customer_name (sim, sim->accounts[app->account].customer, s);
      else if (app->cust_type == AQ_SIM_RES)
        aq_sim_person_name (&r, s);
      else
        aq_sim_business_name (&r, app->cust_type, AQ_SIM_KEY_NONE, s);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      g_string_truncate (s, 0);
      if (app->account != AQ_SIM_NONE
          && sim->customers[sim->accounts[app->account].customer].real_mobile != 0)
        aq_sim_format_phone (s, sim->customers[sim->accounts[app->account].customer].real_mobile,
                             aq_random_below (&r, 100));
      else
        aq_sim_format_phone (s, aq_sim_mobile_number (&r), aq_random_below (&r, 100));
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      g_string_truncate (s, 0);
      aq_sim_premise_address (sim, app->account != AQ_SIM_NONE
                                   ? sim->accounts[app->account].premise
                                   : aq_random_below (&r, sim->n_premises), s);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      aq_copy_writer_text (w, app_types[app->app_type], -1);
      aq_copy_writer_text (w, type, 2);
      aq_copy_writer_int16 (w, (gint16) (app->account != AQ_SIM_NONE
                                         ? sim->accounts[app->account].size_dn : app->size_dn));
      aq_copy_writer_date (w, app->apply_day);
      aq_copy_writer_text (w, cancelled ? "CAN" : app_steps[n_steps - 1], -1);
      if (cancelled)
        aq_copy_writer_date (w, app->cancel_day);
      else if (n_steps == 5)
        aq_copy_writer_date (w, app->step_day[4]);
      else
        aq_copy_writer_null (w);
      if (app->account != AQ_SIM_NONE && !cancelled && n_steps == 5
          && sim->accounts[app->account].open_day <= sim->now_day)
        {
          aq_sim_format_acct_no (acct, app->account);
          aq_copy_writer_text (w, acct, 10);
        }
      else
        aq_copy_writer_null (w);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  if (!aq_sim_copy_end (sim, w, "src_install.application", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_install.application_step (app_no, step_no, step, done_at, "
                    "handler)", error);

  if (w == NULL)

    return FALSE;
  for (guint j = 0; j < sim->n_apps; j++)
    {
      const AqSimApp *app = &sim->apps[j];
      char no[16];
      guint step_no = 0;
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_APP, AQ_SIM_SUB (j, 3));
      format_app_no (app, no);
      for (guint k = 0; k < 6; k++)
        {
          gint32 day = k < 5 ? app->step_day[k] : app->cancel_day;

          if (day > sim->now_day)
            continue;
          aq_copy_writer_row (w, 5);
          aq_copy_writer_text (w, no, -1);
          aq_copy_writer_int16 (w, (gint16) ++step_no);
          aq_copy_writer_text (w, k < 5 ? app_steps[k] : "CAN", -1);
          aq_copy_writer_timestamp (w, aq_sim_day_seconds (day) + 8 * 3600 + 1800
                                       + aq_random_below (&r, 9 * 3600));
          aq_copy_writer_text (w, sim->staff[aq_random_below (&r, 20)], -1);
          if (!aq_copy_writer_end_row (w))
            break;
        }
    }
  return aq_sim_copy_end (sim, w, "src_install.application_step", error);
}

/**
 * aq_sim_accounts_write:
 *
 * Writes the code table, tariffs, customers, accounts and installation applications.
 */
gboolean
aq_sim_accounts_write (AqSim   *sim,
                       GError **error)
{
  return write_codes (sim, error)
         && write_customers (sim, error)
         && write_accounts (sim, error)
         && write_applications (sim, error);
}

/**
 * aq_sim_truth_write:
 *
 * Records the planted anomalies, after the billing has written them into the sources.
 */
gboolean
aq_sim_truth_write (AqSim   *sim,
                    GError **error)
{
  static const char * const kinds[] = {
    NULL, "zero_streak", "never_read_spike", "demolished_active", "missing_meter_paying",
    "large_no_reads", "stopped_zero", "read_backwards",
  };
  AqCopyWriter *w = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_truth.anomaly (acct_no, kind, detail)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];
      const AqSimMeter *m = &sim->meters[a->first_meter + a->n_meters - 1];
      char acct[12], meter[16];

      if (a->anomaly == AQ_SIM_ANOMALY_NONE)
        continue;
      g_string_truncate (s, 0);
      switch (a->anomaly)
        {
        case AQ_SIM_ANOMALY_ZERO_STREAK:
          g_string_append (s, "months=");
          aq_sim_append_uint (s, (guint64) (a->zero_to - a->zero_from + 1));
          g_string_append (s, " first=");
          aq_sim_append_period (s, sim->first_month + a->zero_from);
          g_string_append (s, " last=");
          aq_sim_append_period (s, sim->first_month + a->zero_to);
          break;
        case AQ_SIM_ANOMALY_NEVER_READ:
          g_string_append (s, "online=");
          aq_sim_append_date (s, a->open_day);
          g_string_append (s, " unread=");
          aq_sim_append_uint (s, (guint64) (a->special_to - a->special_from + 1));
          g_string_append (s, " first_read=");
          aq_sim_append_period (s, sim->first_month + a->special_to + 1);
          g_string_append (s, " qty=");
          aq_sim_append_uint (s, (guint64) MAX (a->spike_qty, 0));
          g_string_append (s, " typical=");
          aq_sim_append_uint (s, (guint64) (a->level + 0.5f));
          break;
        case AQ_SIM_ANOMALY_DEMOLISHED:
          g_string_append (s, "premise=");
          aq_sim_append_uint (s, a->premise + 1u);
          g_string_append (s, " demolished_on=");
          aq_sim_append_date (s, a->event_day);
          break;
        case AQ_SIM_ANOMALY_MISSING_METER:
          aq_sim_format_meter_no (sim, a->first_meter + a->n_meters - 1, meter);
          g_string_append (s, "meter=");
          g_string_append (s, meter);
          g_string_append (s, m->status == 3 ? " status=3 event=LOST" : " status=2 event=RMV");
          g_string_append (s, " date=");
          aq_sim_append_date (s, a->event_day);
          break;
        case AQ_SIM_ANOMALY_LARGE_NO_READS:
          g_string_append (s, "dn=");
          aq_sim_append_uint (s, a->size_dn);
          g_string_append (s, " months=");
          aq_sim_append_uint (s, (guint64) (a->special_to - a->special_from + 1));
          g_string_append (s, " first=");
          aq_sim_append_period (s, sim->first_month + a->special_from);
          g_string_append (s, " last=");
          aq_sim_append_period (s, sim->first_month + a->special_to);
          break;
        case AQ_SIM_ANOMALY_STOPPED_ZERO:
          g_string_append (s, "months=");
          aq_sim_append_uint (s, (guint64) (a->special_to - a->special_from + 1));
          g_string_append (s, " first=");
          aq_sim_append_period (s, sim->first_month + a->special_from);
          break;
        case AQ_SIM_ANOMALY_READ_BACKWARDS:
          g_string_append (s, "period=");
          aq_sim_append_period (s, sim->first_month + a->special_from);
          g_string_append (s, " delta=");
          aq_sim_append_uint (s, (guint64) MAX (a->spike_qty, 0));
          break;
        default:
          break;
        }
      aq_sim_format_acct_no (acct, i);
      aq_copy_writer_row (w, 3);
      aq_copy_writer_text (w, acct, 10);
      aq_copy_writer_text (w, kinds[a->anomaly], -1);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_truth.anomaly", error);
}
