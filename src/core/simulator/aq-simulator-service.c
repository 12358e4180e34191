/* aq-simulator-service.c — 工单 and 热线: work orders and the hotline's call records
 *
 * Work orders arrive day by day (0.15 per account a year) with DOMAIN.md's categories and
 * priorities, go through dispatch, arrival and closing within their SLA most of the time, and
 * the ones created in the last days are still open when the data ends. A few closed orders are
 * reopened (the customer calls back: not solved), handled and closed again; they are the
 * planted truth of the reopened list (src_truth.work_order). Each order is dispatched to a
 * team (班组) whose members handle it: the team is on the source's steps, as in the real
 * work-order system, and nowhere on the order itself. Most come in by phone:
 * each of those has its call record. Other calls (0.8 per account a year in all) are
 * questions; an outage brings a burst of calls from inside its polygon within the day.
 *
 * Phone numbers appear as people type them in the billing system and as the switch reports
 * them in the call records: the same number in several forms.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <math.h>
#include <string.h>

enum { CAT_REP, CAT_NOW, CAT_BIL, CAT_MTR, CAT_BUS, CAT_QUA, CAT_CMP, CAT_SEC, CAT_OTH, CAT_INQ };
enum { SRC_HOTLINE, SRC_APP, SRC_WALKIN, SRC_PATROL };

static const char * const categories[] = {
  "REP", "NOW", "BIL", "MTR", "BUS", "QUA", "CMP", "SEC", "OTH", "INQ",
};
static const double wo_shares[] = { 0.25, 0.20, 0.20, 0.12, 0.08, 0.04, 0.04, 0.03, 0.04 };
static const double call_shares[] = { 0.08, 0.10, 0.20, 0.06, 0.03, 0.02, 0.04, 0.01, 0.01,
                                      0.45 };
/* the chance of priority 1 and 2 by category: about 5 % and 35 % overall */
static const double p1[] = { 0.12, 0.08, 0, 0.01, 0, 0.10, 0, 0.05, 0 };
static const double p2[] = { 0.55, 0.60, 0.15, 0.25, 0.10, 0.50, 0.35, 0.45, 0.20 };
static const char * const sources[] = { "HOTLINE", "APP", "WALKIN", "PATROL" };

/* The field staff (staff 20 and up) in teams of ten, in staff order. */
#define STAFF_FIRST_FIELD 20
static const char * const teams[] = {
  "抢修一班", "抢修二班", "抢修三班", "表务班", "营业班", "管网巡检班",
};
#define REOPEN_RATE 0.015
static const char * const ivr_paths[] = {
  "3-1-0", "2-0", "1-2-0", "3-2-0", "5-0", "3-3-0", "4-0", "3-4-0", "0", "1-1-0",
};

static const char * const descriptions[][3] = {
  { "附近路面冒水，疑似管道漏水", "表前阀门漏水", "室外水管爆裂，水流较大" },
  { "停水，要求尽快恢复供水", "水压低，高楼层无水", "突然停水，未收到通知" },
  { "对本月水费有疑问，称用水量异常偏高", "咨询阶梯水价计费方式", "要求核对缴费记录" },
  { "水表不走，要求检修", "抄表员未入户，要求核实读数", "水表表盘模糊看不清" },
  { "申请过户", "申请销户", "申请变更联系电话" },
  { "自来水发黄", "自来水有异味", "水中有杂质" },
  { "投诉抄表员服务态度", "投诉停水未提前通知", "投诉维修不及时" },
  { "二次供水水箱清洗后水质浑浊", "小区二次供水泵房故障", "加压泵噪音大" },
  { "其他咨询", "反映消火栓漏水", "询问营业厅地址" },
};

/* ---- phone numbers as typed and as the switch sees them ---- */

static void
append_digits (GString *out,
               guint64  number,
               guint    from,
               guint    to)
{
  char buf[24];
  int n = 0;

  do
    {
      buf[sizeof buf - 1 - n++] = (char) ('0' + number % 10);
      number /= 10;
    }
  while (number > 0);
  while (n < 11)
    buf[sizeof buf - 1 - n++] = '0';
  g_string_append_len (out, buf + sizeof buf - 11 + from, to - from);
}

/* A mobile as a clerk typed it: '13812345678', '+86 138 1234 5678', '0086-13812345678',
 * '138-1234-5678', '138 1234 5678', '+8613812345678', a trailing space, '86-13812345678'.
 * @format is a number 0–99 that picks one, with the plain form most common. */
void
aq_sim_format_phone (GString *out,
                     guint64  mobile,
                     guint    format)
{
  if (format < 55)
    append_digits (out, mobile, 0, 11);
  else if (format < 63)
    {
      g_string_append (out, "+86 ");
      append_digits (out, mobile, 0, 3);
      g_string_append_c (out, ' ');
      append_digits (out, mobile, 3, 7);
      g_string_append_c (out, ' ');
      append_digits (out, mobile, 7, 11);
    }
  else if (format < 68)
    {
      g_string_append (out, "0086-");
      append_digits (out, mobile, 0, 11);
    }
  else if (format < 86)
    {
      char sep = format < 78 ? '-' : ' ';

      append_digits (out, mobile, 0, 3);
      g_string_append_c (out, sep);
      append_digits (out, mobile, 3, 7);
      g_string_append_c (out, sep);
      append_digits (out, mobile, 7, 11);
    }
  else if (format < 93)
    {
      g_string_append (out, "+86");
      append_digits (out, mobile, 0, 11);
    }
  else if (format < 97)
    {
      append_digits (out, mobile, 0, 11);
      g_string_append_c (out, ' ');
    }
  else
    {
      g_string_append (out, "86-");
      append_digits (out, mobile, 0, 11);
    }
}

/* A Fuzhou landline: '0591-87654321', '87654321', '059187654321', '(0591)87654321'. */
void
aq_sim_format_landline (GString *out,
                        guint32  number,
                        guint    format)
{
  if (format < 40)
    g_string_append (out, "0591-");
  else if (format < 75)
    ;
  else if (format < 90)
    g_string_append (out, "0591");
  else
    g_string_append (out, "(0591)");
  aq_sim_append_padded (out, number, 8);
}

/* as the switch reports the caller */
static void
format_ani (GString  *out,
            guint64   mobile,
            guint32   landline,
            AqRandom *r)
{
  double u = aq_random_double (r);

  if (mobile != 0)
    {
      if (u < 0.70)
        append_digits (out, mobile, 0, 11);
      else if (u < 0.88)
        {
          g_string_append_c (out, '0');
          append_digits (out, mobile, 0, 11);
        }
      else
        {
          g_string_append (out, "+86");
          append_digits (out, mobile, 0, 11);
        }
    }
  else
    {
      if (u < 0.6)
        aq_sim_append_padded (out, landline, 8);
      else
        {
          g_string_append (out, "0591");
          aq_sim_append_padded (out, landline, 8);
        }
    }
}

/* ---- work orders ---- */

typedef struct
{
  gint64   created, dispatched, arrived, handled, closed;   /* 0: not (yet) */
  guint32  account;
  guint32  seq;          /* number within its day */
  gint32   day;
  guint32  call_time;    /* seconds the call lasted, for hotline orders */
  guint8   category;
  guint8   priority;
  guint8   source;
  guint8   cancelled;
  guint8   variant;
  guint8   staff[4];
  gint64   first_closed;  /* reopened orders: the first closing; the last is `closed` */
  gint64   reopened;      /* 0: never reopened */
  gint64   handled_again;
} WorkOrder;

static const char *
staff_team (guint staff)
{
  guint t = staff < STAFF_FIRST_FIELD ? 0 : (staff - STAFF_FIRST_FIELD) / 10;

  return teams[MIN (t, G_N_ELEMENTS (teams) - 1)];
}

static double
daily_factor (gint32 day)
{
  int y, m, d, w = aq_day_of_week (day);

  aq_day_to_civil (day, &y, &m, &d);
  return (w == 0 || w == 6 ? 0.8 : 1.08) * (m == 7 || m == 8 ? 1.2 : 1.0);
}

static guint
daily_count (AqRandom *r,
             double    mean)
{
  double n = mean + sqrt (MAX (mean, 0.0)) * aq_random_normal (r);

  return n < 0 ? 0 : (guint) floor (n + 0.5);
}

static guint32
random_active_account (AqSim    *sim,
                       AqRandom *r,
                       gint32    day)
{
  for (guint t = 0; t < 8; t++)
    {
      guint32 i = aq_random_below (r, sim->n_accounts);

      if (aq_sim_account_active (&sim->accounts[i], day))
        return i;
    }
  return AQ_SIM_NONE;
}

static gint64
daytime (AqRandom *r,
         gboolean  any_hour)
{
  if (any_hour)
    return aq_random_below (r, 86400);
  /* office hours mostly, a tail into the evening */
  return aq_random_chance (r, 0.8) ? 8 * 3600 + aq_random_below (r, 10 * 3600)
                                   : 18 * 3600 + aq_random_below (r, 4 * 3600);
}

static void
plan_work_order (AqSim     *sim,
                 gint32     day,
                 guint      j,
                 WorkOrder *wo)
{
  static const gint64 sla[] = { 0, 240 * 60, 1440 * 60, 4320 * 60 };
  AqRandom r;
  double u;
  gint64 total, dispatch, arrive;
  gboolean field;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_WORK_ORDER,
                  (guint64) (day - sim->first_day) << 20 | j);
  memset (wo, 0, sizeof *wo);
  wo->day = day;
  wo->category = (guint8) aq_random_weighted (&r, wo_shares, G_N_ELEMENTS (wo_shares));
  u = aq_random_double (&r);
  wo->priority = u < p1[wo->category] ? 1 : u < p1[wo->category] + p2[wo->category] ? 2 : 3;
  u = aq_random_double (&r);
  wo->source = u < 0.70 ? SRC_HOTLINE : u < 0.85 ? SRC_APP : u < 0.90 ? SRC_WALKIN : SRC_PATROL;
  if (wo->source == SRC_PATROL && wo->category != CAT_REP && wo->category != CAT_QUA)
    wo->source = SRC_HOTLINE;
  wo->account = wo->source == SRC_PATROL ? AQ_SIM_NONE : random_active_account (sim, &r, day);
  wo->created = aq_sim_day_seconds (day) + daytime (&r, wo->priority == 1);
  wo->variant = (guint8) aq_random_below (&r, 3);
  for (guint s = 0; s < 4; s++)
    wo->staff[s] = (guint8) aq_random_range (&r, 20, (int) sim->n_staff - 1);
  wo->call_time = (guint32) aq_sim_clamp (aq_random_lognormal (&r, 150, 0.6), 20, 1800);

  /* the time to close it: within the SLA about 95 % of the time */
  if (aq_random_chance (&r, 0.95))
    total = (gint64) (sla[wo->priority] * aq_random_uniform (&r, 0.15, 0.95));
  else
    total = (gint64) (sla[wo->priority] * aq_random_uniform (&r, 1.05, 2.5));
  dispatch = wo->priority == 1 ? aq_random_range (&r, 120, 900)
             : wo->priority == 2 ? aq_random_range (&r, 600, 7200)
             : aq_random_range (&r, 1800, 36000);
  dispatch = MIN (dispatch, total * 3 / 10);
  field = wo->category != CAT_BIL && wo->category != CAT_BUS && wo->category != CAT_CMP;
  wo->dispatched = wo->created + dispatch;
  if (field)
    {
      arrive = dispatch + (wo->priority == 1 ? aq_random_range (&r, 600, 2400)
                           : wo->priority == 2 ? aq_random_range (&r, 1800, 18000)
                           : aq_random_range (&r, 3600, 172800));
      wo->arrived = wo->created + MIN (arrive, total * 8 / 10);
    }
  wo->closed = wo->created + total;
  wo->handled = wo->closed - aq_sim_min ((gint64) aq_random_range (&r, 300, 1800),
                                  (wo->closed - MAX (wo->arrived, wo->dispatched)) / 2);
  if (aq_random_chance (&r, 0.02))
    {
      wo->cancelled = TRUE;
      wo->arrived = 0;
      wo->closed = wo->dispatched + aq_random_range (&r, 600, 7200);
      wo->handled = 0;
    }
  else
    {
      AqRandom rr;

      /* on a stream of its own, so the other orders' draws stay as they were */
      aq_random_init (&rr, sim->seed, AQ_SIM_STREAM_WORK_ORDER,
                      AQ_SIM_SUB ((guint64) (day - sim->first_day) << 20 | j, 1));
      if (aq_random_chance (&rr, REOPEN_RATE))
        {
          gint64 again = (gint64) (sla[wo->priority] * aq_random_uniform (&rr, 0.2, 1.0));

          wo->first_closed = wo->closed;
          wo->reopened = wo->closed + aq_random_range (&rr, 2 * 3600, 72 * 3600);
          wo->handled_again = wo->reopened + again * 8 / 10;
          wo->closed = wo->reopened + again;
        }
    }
}

static int
compare_work_orders (gconstpointer a,
                     gconstpointer b)
{
  const WorkOrder *x = a, *y = b;

  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static GArray *
plan_work_orders (AqSim *sim)
{
  GArray *orders = g_array_new (FALSE, FALSE, sizeof (WorkOrder));
  double per_day = 0.15 * sim->n_accounts * 0.9 / 365.0;

  for (gint32 day = sim->first_day; day <= sim->now_day; day++)
    {
      AqRandom r;
      guint n, first = orders->len;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_WO_DAY, (guint64) (day - sim->first_day));
      n = daily_count (&r, per_day * daily_factor (day));
      for (guint j = 0; j < n; j++)
        {
          WorkOrder wo;

          plan_work_order (sim, day, j, &wo);
          wo.seq = j;
          if (wo.reopened > sim->now)
            {
              /* not reopened yet when the data ends */
              wo.closed = wo.first_closed;
              wo.reopened = wo.first_closed = wo.handled_again = 0;
            }
          if (wo.created <= sim->now)
            g_array_append_val (orders, wo);
        }
      /* numbered in order of creation within the day */
      qsort (&g_array_index (orders, WorkOrder, first), orders->len - first, sizeof (WorkOrder),
             compare_work_orders);
      for (guint j = first; j < orders->len; j++)
        g_array_index (orders, WorkOrder, j).seq = j - first + 1;
    }
  return orders;
}

static void
format_wo_no (const WorkOrder *wo,
              char            *buf)
{
  int y, m, d;
  guint64 v;

  aq_day_to_civil (wo->day, &y, &m, &d);
  v = ((guint64) y * 10000 + (guint64) m * 100 + (guint64) d) * 10000 + wo->seq;
  buf[0] = 'G';
  buf[1] = 'D';
  for (int i = 13; i >= 2; i--)
    {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  buf[14] = '\0';
}

static const char *
wo_status (AqSim           *sim,
           const WorkOrder *wo)
{
  if (wo->closed <= sim->now)
    return wo->cancelled ? "CAN" : "CLS";
  if (wo->reopened != 0)
    return "DSP";     /* reopened and dispatched again */
  if (wo->arrived && wo->arrived <= sim->now)
    return "ONS";
  if (wo->dispatched <= sim->now)
    return "DSP";
  return "OPN";
}

static void
optional_time (AqCopyWriter *w,
               AqSim        *sim,
               gint64        t)
{
  if (t != 0 && t <= sim->now)
    aq_copy_writer_timestamp (w, t);
  else
    aq_copy_writer_null (w);
}

static void
caller_phone (AqSim    *sim,
              guint32   account,
              GString  *out,
              guint     format)
{
  const AqSimCustomer *c = &sim->customers[sim->accounts[account].customer];

  if (c->real_mobile != 0)
    aq_sim_format_phone (out, c->real_mobile, format);
  else if (c->landline != 0)
    aq_sim_format_landline (out, c->landline, format);
}

static gboolean
write_work_orders (AqSim   *sim,
                   GArray  *orders,
                   GError **error)
{
  static const gint32 sla_minutes[] = { 0, 240, 1440, 4320 };
  AqCopyWriter *w = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_workorder.work_order (wo_no, acct_no, caller_phone, category, "
                    "priority, source, address, description, created_at, dispatched_at, "
                    "arrived_at, closed_at, status, sla_minutes)", error);

  if (w == NULL)

    return FALSE;
  for (guint j = 0; j < orders->len; j++)
    {
      const WorkOrder *wo = &g_array_index (orders, WorkOrder, j);
      char no[16], acct[12];

      format_wo_no (wo, no);
      aq_copy_writer_row (w, 14);
      aq_copy_writer_text (w, no, 14);
      g_string_truncate (s, 0);
      if (wo->account != AQ_SIM_NONE)
        {
          aq_sim_format_acct_no (acct, wo->account);
          aq_copy_writer_text (w, acct, 10);
          caller_phone (sim, wo->account, s, (guint) (j * 37 % 100));
        }
      else
        aq_copy_writer_null (w);
      aq_copy_writer_text (w, s->len ? s->str : NULL, (gssize) s->len);
      aq_copy_writer_text (w, categories[wo->category], 3);
      aq_copy_writer_int16 (w, wo->priority);
      aq_copy_writer_text (w, sources[wo->source], -1);
      g_string_truncate (s, 0);
      if (wo->account != AQ_SIM_NONE)
        aq_sim_premise_address (sim, sim->accounts[wo->account].premise, s);
      else
        {
          const AqSimLine *a = &sim->lines[j % (sim->n_lines - 2)];
          const AqSimLine *b = &sim->lines[(j * 7 + 3) % (sim->n_lines - 2)];

          g_string_append (s, a->name);
          if (a->orientation != b->orientation)
            {
              g_string_append (s, "与");
              g_string_append (s, b->name);
              g_string_append (s, "交叉口");
            }
          else
            g_string_append (s, "沿线");
        }
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      g_string_truncate (s, 0);
      g_string_append (s, wo->account != AQ_SIM_NONE ? "用户反映" : "巡检发现");
      g_string_append (s, descriptions[wo->category][wo->variant]);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      aq_copy_writer_timestamp (w, wo->created);
      optional_time (w, sim, wo->dispatched);
      optional_time (w, sim, wo->arrived);
      optional_time (w, sim, wo->closed);
      aq_copy_writer_text (w, wo_status (sim, wo), 3);
      aq_copy_writer_int32 (w, sla_minutes[wo->priority]);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  if (!aq_sim_copy_end (sim, w, "src_workorder.work_order", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS,
                    "src_workorder.work_order_step (wo_no, seq, action, at, handler, team, note)",
                    error);
  if (w == NULL)
    return FALSE;
  for (guint j = 0; j < orders->len; j++)
    {
      const WorkOrder *wo = &g_array_index (orders, WorkOrder, j);
      const gboolean again = wo->reopened != 0;
      /* staff: 0 takes it, 1 dispatches it to the team of 2, who goes and handles it, 3 closes
       * it; the team of a DISPATCH step is the team it is sent to */
      const struct
      {
        const char *action;
        gint64      at;
        guint       staff;
        guint       team_of;
        const char *note;
      } steps[] = {
        { "CREATE", wo->created, 0, 0, sources[wo->source] },
        { "DISPATCH", wo->dispatched, 1, 2, NULL },
        { "ARRIVE", wo->arrived, 2, 2, NULL },
        { "HANDLE", wo->handled, 2, 2, "已处理" },
        { wo->cancelled ? "CANCEL" : "CLOSE", again ? wo->first_closed : wo->closed, 3, 3,
          wo->cancelled ? "用户撤销" : again ? "已办结" : "已办结，用户满意" },
        { "REOPEN", wo->reopened, 0, 0, "用户反映问题未解决，重新受理" },
        { "DISPATCH", wo->reopened, 1, 2, NULL },
        { "HANDLE", wo->handled_again, 2, 2, "已处理" },
        { "CLOSE", again ? wo->closed : 0, 3, 3, "已办结，用户满意" },
      };
      char no[16];
      gint16 seq = 0;

      format_wo_no (wo, no);
      for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
        {
          if (steps[k].at == 0 || steps[k].at > sim->now)
            continue;
          aq_copy_writer_row (w, 7);
          aq_copy_writer_text (w, no, 14);
          aq_copy_writer_int16 (w, ++seq);
          aq_copy_writer_text (w, steps[k].action, -1);
          aq_copy_writer_timestamp (w, steps[k].at);
          aq_copy_writer_text (w, sim->staff[wo->staff[steps[k].staff]], -1);
          aq_copy_writer_text (w, steps[k].staff == 0 ? NULL
                                  : staff_team (wo->staff[steps[k].team_of]), -1);
          aq_copy_writer_text (w, steps[k].note, -1);
          aq_copy_writer_end_row (w);
        }
    }
  if (!aq_sim_copy_end (sim, w, "src_workorder.work_order_step", error))
    return FALSE;

  /* the planted truth: the reopened orders */
  w = aq_sim_copy (sim, AQ_SIM_LANE_PAYMENTS, "src_truth.work_order (wo_no, kind, detail)",
                   error);
  if (w == NULL)
    return FALSE;
  for (guint j = 0; j < orders->len; j++)
    {
      const WorkOrder *wo = &g_array_index (orders, WorkOrder, j);
      char no[16];

      if (wo->reopened == 0)
        continue;
      format_wo_no (wo, no);
      g_string_truncate (s, 0);
      g_string_append (s, "team=");
      g_string_append (s, staff_team (wo->staff[2]));
      g_string_append (s, wo->closed <= sim->now ? " closed_again" : " open");
      aq_copy_writer_row (w, 3);
      aq_copy_writer_text (w, no, 14);
      aq_copy_writer_text (w, "reopened", -1);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      aq_copy_writer_end_row (w);
    }
  return aq_sim_copy_end (sim, w, "src_truth.work_order", error);
}

/* ---- calls ---- */

typedef struct
{
  gint64   start;
  guint32  account;         /* AQ_SIM_NONE: an unknown caller */
  guint32  work_order;      /* index, or AQ_SIM_NONE */
  guint32  talk;
  guint32  key;             /* a tie-breaker and the call's own stream */
  guint8   category;
  guint8   burst;
} Call;

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  const Call *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->burst != y->burst)
    return x->burst < y->burst ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

/* Outage days: a share of the affected accounts call within a day of the water going off. */
static GArray *
plan_bursts (AqSim *sim)
{
  GArray *calls = g_array_new (FALSE, FALSE, sizeof (Call));
  guint32 drawn = 0;

  for (guint o = 0; o < sim->n_outages; o++)
    {
      const AqSimOutage *out = &sim->outages[o];
      AqRandom r;
      double share;

      if (strcmp (out->status, "CAN") == 0 || out->start > sim->now)
        continue;
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_BURST, o);
      share = out->kind == 'E' ? aq_random_uniform (&r, 0.03, 0.08)
                               : aq_random_uniform (&r, 0.01, 0.03);
      for (guint j = 0; j < out->n_affected; j++)
        {
          Call c = { 0 };

          if (!aq_random_chance (&r, share))
            continue;
          c.start = out->start + (gint64) fmin (aq_random_exponential (&r, 3 * 3600.0), 86000.0);
          /* numbered whether or not it falls after the extract, so that a call's number (and
           * its draws) stays the same when the data reaches further */
          c.key = drawn++;
          c.talk = (guint32) aq_sim_clamp (aq_random_lognormal (&r, 100, 0.5), 15, 900);
          if (c.start > sim->now)
            continue;
          c.account = sim->outage_accounts[out->first_affected + j];
          c.work_order = AQ_SIM_NONE;
          c.category = CAT_NOW;
          c.burst = 1;
          g_array_append_val (calls, c);
        }
    }
  g_array_sort (calls, compare_calls);
  return calls;
}

static void
write_call (AqSim        *sim,
            AqCopyWriter *w,
            const Call   *c,
            gint32      day,
            guint       seq,
            GArray     *orders,
            GString    *s)
{
  AqRandom r;
  gboolean abandoned;
  int y, m, d;
  guint32 wait;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CALL, (guint64) (day - sim->first_day) << 24 | c->key
                  | (guint64) c->burst << 23);
  aq_day_to_civil (day, &y, &m, &d);
  abandoned = c->work_order == AQ_SIM_NONE && aq_random_chance (&r, c->burst ? 0.12 : 0.05);
  wait = (guint32) aq_sim_clamp (aq_random_lognormal (&r, c->burst ? 60 : 20, 0.8), 1, 900);

  aq_copy_writer_row (w, 10);
  aq_copy_writer_int64 (w, ((gint64) y * 10000 + m * 100 + d) * 100000 + seq);
  g_string_truncate (s, 0);
  if (c->account != AQ_SIM_NONE && aq_random_chance (&r, 0.9))
    {
      const AqSimCustomer *cu = &sim->customers[sim->accounts[c->account].customer];

      if (cu->real_mobile == 0 && cu->landline == 0)
        format_ani (s, aq_sim_mobile_number (&r), 0, &r);
      else if (cu->real_mobile != 0 && (cu->landline == 0 || aq_random_chance (&r, 0.8)))
        format_ani (s, cu->real_mobile, 0, &r);
      else
        format_ani (s, 0, cu->landline, &r);
    }
  else
    format_ani (s, aq_sim_mobile_number (&r), 0, &r);
  aq_copy_writer_text (w, s->str, (gssize) s->len);
  aq_copy_writer_timestamp (w, c->start);
  aq_copy_writer_text (w, ivr_paths[c->category], -1);
  aq_copy_writer_int32 (w, (gint32) wait);
  aq_copy_writer_int32 (w, abandoned ? 0 : (gint32) c->talk);
  if (abandoned)
    {
      aq_copy_writer_null (w);
      aq_copy_writer_null (w);
      aq_copy_writer_null (w);
    }
  else
    {
      char agent[8] = "A000";
      guint a = 1 + aq_random_below (&r, 60);

      aq_copy_writer_text (w, categories[c->category], 3);
      agent[2] = (char) ('0' + a / 10);
      agent[3] = (char) ('0' + a % 10);
      aq_copy_writer_text (w, agent, 4);
      g_string_truncate (s, 0);
      g_string_append (s, "rec/");
      aq_sim_append_padded (s, (guint64) y, 4);
      g_string_append_c (s, '/');
      aq_sim_append_padded (s, (guint64) m, 2);
      g_string_append_c (s, '/');
      aq_sim_append_padded (s, (guint64) d, 2);
      g_string_append (s, "/c");
      aq_sim_append_padded (s, seq, 6);
      g_string_append (s, ".wav");
      aq_copy_writer_text (w, s->str, (gssize) s->len);
    }
  if (c->work_order != AQ_SIM_NONE)
    {
      char no[16];

      format_wo_no (&g_array_index (orders, WorkOrder, c->work_order), no);
      aq_copy_writer_text (w, no, 14);
    }
  else
    aq_copy_writer_null (w);
  aq_copy_writer_end_row (w);
}

static gboolean
write_calls (AqSim   *sim,
             GArray  *orders,
             GError **error)
{
  g_autoptr(GArray) bursts = plan_bursts (sim);
  g_autoptr(GArray) day_calls = g_array_new (FALSE, FALSE, sizeof (Call));
  g_autoptr(GString) s = g_string_new (NULL);
  double per_day = 0.8 * sim->n_accounts * 0.9 / 365.0;
  guint next_order = 0, next_burst = 0;
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                    "src_hotline.call_record (call_id, ani, start_time, ivr_path, "
                    "wait_seconds, talk_seconds, category, agent_id, recording_file, "
                    "wo_no)", error);

  if (w == NULL)

    return FALSE;
  for (gint32 day = sim->first_day; day <= sim->now_day; day++)
    {
      gint64 day_start = aq_sim_day_seconds (day), day_end = day_start + 86400;
      guint n_hotline = 0, n_base;
      AqRandom r;

      g_array_set_size (day_calls, 0);
      for (; next_order < orders->len
             && g_array_index (orders, WorkOrder, next_order).created < day_end; next_order++)
        {
          const WorkOrder *wo = &g_array_index (orders, WorkOrder, next_order);
          Call c = { 0 };

          if (wo->source != SRC_HOTLINE)
            continue;
          c.start = MAX (day_start, wo->created - wo->call_time - 30);
          c.account = wo->account;
          c.work_order = next_order;
          c.talk = wo->call_time;
          c.category = wo->category;
          c.key = next_order;
          g_array_append_val (day_calls, c);
          n_hotline++;
        }
      for (; next_burst < bursts->len
             && g_array_index (bursts, Call, next_burst).start < day_end; next_burst++)
        g_array_append_val (day_calls, g_array_index (bursts, Call, next_burst));

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_CALL_DAY, (guint64) (day - sim->first_day));
      n_base = daily_count (&r, MAX (0.0, per_day * daily_factor (day) - n_hotline));
      for (guint j = 0; j < n_base; j++)
        {
          Call c = { 0 };
          AqRandom cr;

          aq_random_init (&cr, sim->seed, AQ_SIM_STREAM_CALL, (guint64) (day - sim->first_day) << 24
                          | j | G_GUINT64_CONSTANT (1) << 22);
          c.start = day_start + daytime (&cr, aq_random_chance (&cr, 0.05));
          if (c.start > sim->now)
            continue;
          c.account = aq_random_chance (&cr, 0.85) ? random_active_account (sim, &cr, day)
                                                   : AQ_SIM_NONE;
          c.work_order = AQ_SIM_NONE;
          c.category = (guint8) aq_random_weighted (&cr, call_shares, G_N_ELEMENTS (call_shares));
          c.talk = (guint32) aq_sim_clamp (aq_random_lognormal (&cr, 150, 0.6), 10, 2400);
          c.key = 1000000 + j;
          g_array_append_val (day_calls, c);
        }
      g_array_sort (day_calls, compare_calls);
      for (guint j = 0; j < day_calls->len && (!sim->append || day > sim->since_day); j++)
        write_call (sim, w, &g_array_index (day_calls, Call, j), day, j + 1, orders, s);
      if (!aq_sim_check_cancelled (sim, NULL))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_hotline.call_record", error);
}

/**
 * aq_sim_service_write:
 *
 * Writes the work orders with their steps, and the hotline's call records.
 */
gboolean
aq_sim_service_write (AqSim   *sim,
                      GError **error)
{
  g_autoptr(GArray) orders = plan_work_orders (sim);

  return write_work_orders (sim, orders, error)
         && write_calls (sim, orders, error);
}
