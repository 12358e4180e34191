/* aq-simulator-private.h — the simulated utility as the generators share it
 *
 * The simulator first builds the whole utility in memory (city, premises, customers, accounts
 * and their life plans), then writes the source systems on three connections at once (lanes).
 * Everything random is drawn from a stream named by (seed, AqSimStream, index), so the data
 * never depends on the order in which it is generated; ids that count rows within a day are
 * handed out in the one order the single generating thread writes them.
 */
#pragma once

#include "aq-copy-writer.h"
#include "aq-day.h"
#include "aq-random.h"
#include "aq-simulator.h"

G_BEGIN_DECLS

#define AQ_SIM_SRID     4326
#define AQ_SIM_WIDTH    16000.0          /* metres west to east */
#define AQ_SIM_HEIGHT   14000.0          /* metres south to north */
#define AQ_SIM_NONE     G_MAXUINT32
#define AQ_SIM_NEVER    G_MAXINT32       /* a day that never comes */
/* The sudden drop by default only from this many accounts: the tests' demos (3,000 accounts at
 * most) read billing figures it would move; they turn it on explicitly where they check it. */
#define AQ_SIM_DROP_MIN_ACCOUNTS 10000

/* Every random value belongs to one stream and one index. Append only: renumbering changes
 * every demo database. */
typedef enum
{
  AQ_SIM_STREAM_CITY = 1,
  AQ_SIM_STREAM_SLOT,
  AQ_SIM_STREAM_COMMUNITY,
  AQ_SIM_STREAM_STANDALONE,
  AQ_SIM_STREAM_ZONE,
  AQ_SIM_STREAM_BOUNDARY,
  AQ_SIM_STREAM_INFLOW,
  AQ_SIM_STREAM_PIPE,
  AQ_SIM_STREAM_OUTAGE,
  AQ_SIM_STREAM_APP,
  AQ_SIM_STREAM_ACCOUNT,
  AQ_SIM_STREAM_ASSIGN,
  AQ_SIM_STREAM_CUSTOMER,
  AQ_SIM_STREAM_CUSTOMER_NAME,
  AQ_SIM_STREAM_PLAN,
  AQ_SIM_STREAM_ANOMALY,
  AQ_SIM_STREAM_METER,
  AQ_SIM_STREAM_BILL,
  AQ_SIM_STREAM_SMS,
  AQ_SIM_STREAM_WORK_ORDER,
  AQ_SIM_STREAM_WO_DAY,
  AQ_SIM_STREAM_CALL,
  AQ_SIM_STREAM_CALL_DAY,
  AQ_SIM_STREAM_STAFF,
  AQ_SIM_STREAM_DEMOLISH,
  AQ_SIM_STREAM_COMPANY,
  AQ_SIM_STREAM_BURST,
  AQ_SIM_STREAM_DIRT,
} AqSimStream;

/* The extracts' small dirt counted in src_truth.dirt (aq-simulator-dirt.c); the planted kinds
 * hit one customer or account in AQ_SIM_DIRT_RATE. */
enum
{
  AQ_SIM_DIRT_MIXED_MOBILE,
  AQ_SIM_DIRT_TEL_IN_MOBILE,
  AQ_SIM_DIRT_FUTURE_CREATED,
  AQ_SIM_DIRT_TARIFF_UNKNOWN,
  AQ_SIM_DIRT_METER_TYPO,
  AQ_SIM_DIRT_NEGATIVE_READ,
  AQ_SIM_N_DIRT
};
#define AQ_SIM_DIRT_RATE 400
/* a bill's dirt (the negative readings) hits one eligible bill in AQ_SIM_DIRT_BILL_RATE */
#define AQ_SIM_DIRT_BILL_RATE 100
#define AQ_SIM_DIRT_DDL \
  "CREATE TABLE IF NOT EXISTS src_truth.dirt (kind varchar(30) PRIMARY KEY, " \
  "target text NOT NULL, rows bigint NOT NULL, detail text NOT NULL)"

/* A second, third… stream of one entity: the index with a tag in its high bits. */
#define AQ_SIM_SUB(index, tag) ((guint64) (index) | (guint64) (tag) << 40)

/* cust_type codes of the billing system */
enum
{
  AQ_SIM_RES = 1,
  AQ_SIM_NONRES = 2,
  AQ_SIM_SPECIAL = 3,
  AQ_SIM_CONSTRUCTION = 4,
};

/* key customers (src_gis.key_customer.kind) */
enum
{
  AQ_SIM_KEY_NONE,
  AQ_SIM_KEY_HOSPITAL,
  AQ_SIM_KEY_SCHOOL,
  AQ_SIM_KEY_KINDERGARTEN,
  AQ_SIM_KEY_HOTEL,
  AQ_SIM_KEY_LARGE,
  AQ_SIM_N_KEYS
};

/* planted anomalies (src_truth.anomaly.kind) */
enum
{
  AQ_SIM_ANOMALY_NONE,
  AQ_SIM_ANOMALY_ZERO_STREAK,
  AQ_SIM_ANOMALY_NEVER_READ,
  AQ_SIM_ANOMALY_DEMOLISHED,
  AQ_SIM_ANOMALY_MISSING_METER,
  AQ_SIM_ANOMALY_LARGE_NO_READS,
  AQ_SIM_ANOMALY_STOPPED_ZERO,    /* the meter stopped, billed at 0 for the last months */
  AQ_SIM_ANOMALY_READ_BACKWARDS,  /* one valid reading below the previous one */
  AQ_SIM_N_ANOMALIES
};

/* PAY_CHANNEL, in code order 01 02 03 04 05 09 */
enum
{
  AQ_SIM_PAY_COUNTER,
  AQ_SIM_PAY_BANK,
  AQ_SIM_PAY_WECHAT,
  AQ_SIM_PAY_ALIPAY,
  AQ_SIM_PAY_ONLINE,
  AQ_SIM_PAY_OTHER,
  AQ_SIM_N_PAY
};

/* how an account pays its bills */
enum
{
  AQ_SIM_PAYER_NORMAL,
  AQ_SIM_PAYER_SLOW,      /* lets a few bills pile up, then pays them together */
  AQ_SIM_PAYER_CHRONIC,   /* stops paying for a year or more */
};

/* what ended a meter's service */
enum
{
  AQ_SIM_METER_END_NONE,
  AQ_SIM_METER_END_CHANGE,   /* replaced (CHG of the next meter) */
  AQ_SIM_METER_END_REMOVE,   /* account closed (RMV) */
  AQ_SIM_METER_END_LOST,     /* LOST */
};

/* a named street: a grid line or a river bank road */
enum
{
  AQ_SIM_LINE_VERTICAL,
  AQ_SIM_LINE_HORIZONTAL,
  AQ_SIM_LINE_NORTH_BANK,
  AQ_SIM_LINE_SOUTH_BANK,
};

typedef struct
{
  double x0, y0, x1, y1;
} AqSimRect;

typedef struct
{
  const char *name;
  double      pos;           /* x of a vertical line, y of a horizontal one */
  guint8      orientation;
  guint8      road_class;    /* 1 arterial, 2 secondary, 3 branch */
  gboolean    bridge;        /* a vertical line that crosses the river */
} AqSimLine;

typedef struct
{
  AqSimRect rect;
  guint16   col, row;
  guint32   community;       /* AQ_SIM_NONE: free for stand-alone premises */
  double    weight;          /* how built-up the neighbourhood is */
} AqSimSlot;

typedef struct
{
  double      quad[8];       /* four corners, counter-clockwise from south-west */
  AqSimRect   core;          /* a rectangle surely inside the quad: where buildings stand */
  const char *name;
  guint32     slot;
  guint32     first_premise;
  guint32     n_premises;
  guint32     master_meter;  /* index into meters */
  guint16     line;          /* address */
  guint16     number;
  guint16     company;       /* property company */
  guint16     build_year;
  guint16     n_buildings;
  guint8      units;
  guint8      floors;
  guint8      district;
} AqSimCommunity;

typedef struct
{
  double   x, y;             /* metres in the city frame */
  guint32  community;        /* AQ_SIM_NONE: stand-alone */
  guint32  account;          /* the first account here, or AQ_SIM_NONE */
  gint32   demolished_day;   /* AQ_SIM_NEVER while standing */
  guint32  zone;             /* index of its level-3 zone */
  guint16  col, row;         /* its cell */
  guint16  line;             /* address: street and number */
  guint16  number;
  guint16  room;             /* floor × 100 + door */
  guint8   building;
  guint8   unit;
  guint8   district;
} AqSimPremise;

typedef struct
{
  char        code[12];
  const char *name;
  guint8      level;
  guint32     parent;
  guint16     c0, c1, r0, r1;  /* the cells [c0,c1) × [r0,r1) it covers */
  gint64      weight;          /* premises inside */
  double      nrw;             /* level 3: the share of input that is never billed */
  double      unmetered;       /* levels 1–2: input beyond the children's */
} AqSimZone;

typedef struct
{
  char     code[12];
  guint32  zone;
  gint8    sign;
  double   x, y;
  double   share;              /* own inflow: share of the zone's intake; pair: transfer share */
  guint32  pair;               /* the matching meter of a transfer between zones */
} AqSimBoundaryMeter;

typedef struct
{
  gint64   start, end, restored;   /* restored 0: not yet */
  double   poly[16];               /* eight vertices, metres */
  guint32  first_affected;         /* into outage_accounts */
  guint32  n_affected;
  guint32  center_premise;
  guint16  dn;
  guint8   kind;                   /* 'P' or 'E' */
  guint8   cause;
  char     status[4];
} AqSimOutage;

typedef struct
{
  gint32   apply_day;
  gint32   step_day[5];            /* ACC SRV DSG CON CNT, AQ_SIM_NEVER when not reached */
  gint32   cancel_day;             /* AQ_SIM_NEVER unless cancelled */
  guint32  account;                /* the account it created or changed */
  guint32  number;                 /* sequence within its year */
  guint16  size_dn;
  guint8   app_type;               /* 0 NEW 1 ENL 2 MOV */
  guint8   cust_type;
  guint8   n_steps;                /* steps reached by the end of the data */
} AqSimApp;

/* customer flags */
enum
{
  AQ_SIM_CUST_WECHAT      = 1 << 0,
  AQ_SIM_CUST_STALE       = 1 << 1,   /* the mobile on file is no longer theirs */
  AQ_SIM_CUST_DUP_SAME    = 1 << 2,   /* the extract repeats the row */
  AQ_SIM_CUST_DUP_CHANGED = 1 << 3,   /* … and once more later with another phone */
  AQ_SIM_CUST_PADDED      = 1 << 4,   /* trailing spaces in name and address */
  AQ_SIM_CUST_TEL_IN_MOBILE = 1 << 5, /* a landline typed into the mobile field */
  AQ_SIM_CUST_EMPTY_MOBILE = 1 << 6,  /* '' rather than NULL */
};

typedef struct
{
  guint64  mobile;                 /* 11 digits, 0 when none */
  guint64  real_mobile;            /* the phone they really call from */
  guint32  landline;               /* 8 digits, 0 when none */
  guint32  first_account;
  gint32   create_day;
  guint8   cust_type;
  guint8   key_kind;
  guint8   mobile_format;
  guint8   tel_format;
  guint8   flags;
} AqSimCustomer;

typedef struct
{
  guint32  customer;
  guint32  premise;
  gint32   open_day;
  gint32   close_day;              /* AQ_SIM_NEVER while open */
  gint32   event_day;              /* anomaly: the day the meter went or the premise fell */
  guint32  first_meter;
  float    level;                  /* median m³ a month */
  float    sigma;                  /* month-to-month spread (ln) */
  gint16   bill_from, bill_to;     /* billed months, relative to the first; from > to: none */
  gint16   zero_from, zero_to;     /* a stretch of valid zero reads (or -1) */
  gint16   quiet_from;             /* vacant or suspended from this month (or -1) */
  gint16   special_from, special_to; /* the anomaly's months (or -1) */
  gint16   chronic_from, chronic_to; /* months whose bills stay unpaid for long */
  guint16  size_dn;
  guint16  book;
  gint32   spike_qty;              /* never_read_spike: the first read's quantity;
                                      read_backwards: how far below */
  guint8   cust_type;
  guint8   key_kind;
  guint8   status;                 /* ACCT_STATUS 1..4 */
  guint8   anomaly;
  guint8   channel;                /* the usual PAY_CHANNEL */
  guint8   payer;
  guint8   read_day;
  guint8   n_meters;
  guint8   slow_period;
  guint8   waive_late_fees;
} AqSimAccount;

typedef struct
{
  guint32  account;                /* AQ_SIM_NONE: a community master meter */
  guint32  serial;
  gint32   install_day;
  gint32   end_day;                /* AQ_SIM_NEVER while in service */
  gint32   initial_read;
  gint32   final_read;             /* its reading when it left, filled by the billing */
  gint32   fault_day;              /* a FAULT event, or AQ_SIM_NEVER */
  gint16   change_month;           /* relative month it is replaced after reading, or -1 */
  guint16  size_dn;
  guint8   brand;
  guint8   status;                 /* 1 in use 2 removed 3 lost 4 faulty */
  guint8   end_event;
} AqSimMeter;

/* The loads run on three connections at once, each a lane with its own transaction and
 * its own tables: the bills, the payments, the messages, and the smaller tables spread over
 * them. */
enum
{
  AQ_SIM_LANE_BILLS,
  AQ_SIM_LANE_PAYMENTS,
  AQ_SIM_LANE_MESSAGES,
  AQ_SIM_N_LANES
};

typedef struct
{
  AqDb         *db;
  AqCopyWriter *writer;
  GHashTable   *tables;          /* the tables it loads, truncated in its transaction */
  gulong        watch;
} AqSimLane;

typedef struct _AqSim AqSim;

struct _AqSim
{
  /* what was asked */
  AqDb            *db;
  GCancellable    *cancellable;
  AqProgressFunc   progress;
  gpointer         progress_data;
  double           progress_from, progress_span;
  guint64          seed;
  guint            n_accounts;
  guint            n_months;
  int              first_month;    /* month indices (year × 12 + month − 1) */
  int              last_month;
  gint32           first_day;      /* the first day of the first month */
  gint32           now_day;        /* the last day of the last month: the day of the extract */
  gint64           now;            /* its last second */
  double           scale;          /* accounts / 1 M */

  /* The plan reaches plan_months months, to plan_last_month; the data is written up to the
   * extract, ahead months earlier. Building the utility (customers, accounts, their life
   * plans, meters, outages) uses the plan's end; once built, n_months, last_month, now_day
   * and now above become the extract's, so every writer cuts at the extract. Data written at
   * an extract is therefore the same as the same plan's data at a later extract, cut. */
  guint            plan_months;
  int              plan_last_month;
  /* Appending (aq_simulator_append): the src_* tables are live, not staged; rows up to
   * @since (seconds, the previous extract's last second) are there already and only later
   * ones are written into the growing tables (payments, messages, calls, meter events), the
   * new months' bill tables are created, everything else is written again whole. */
  gboolean         append;
  gint64           since;
  gint32           since_day;
  int              since_month;    /* relative: bills of months after it are new */

  AqSimLane        lanes[AQ_SIM_N_LANES];
  char           **schemas;        /* the src_* schemas the DDL creates */
  GPtrArray       *counts;
  GTimer          *timer;
  GStringChunk    *strings;

  /* the city: columns and rows of cells between streets */
  AqSimLine       *lines;
  guint            n_lines;
  guint            n_cols, n_rows;
  double          *col_x;          /* n_cols + 1 boundaries */
  double          *row_y;          /* n_rows + 1 boundaries; row_y[river_row] is the river */
  guint           *col_line;       /* the street on each boundary, AQ_SIM_NONE at the edges */
  guint           *row_line;
  guint            river_row;
  guint            north_bank_line, south_bank_line;
  guint            district_row_west, district_row_east;
  guint8          *cell_district;  /* n_cols × n_rows */
  guint32         *cell_zone;      /* level-3 zone of each cell */
  guint32         *cell_premises;

  AqSimSlot       *slots;
  guint            n_slots;
  AqSimCommunity  *communities;
  guint            n_communities;
  const char     **companies;      /* property companies */
  const char     **company_phones;
  guint            n_companies;
  AqSimPremise    *premises;
  guint            n_premises;
  guint            n_flats;

  AqSimZone       *zones;          /* level 1, then 2, then 3 */
  guint            n_zones;
  guint            first_l2, first_l3;
  AqSimBoundaryMeter *boundary_meters;
  guint            n_boundary_meters;

  AqSimOutage     *outages;
  guint            n_outages;
  guint32         *outage_accounts;

  /* customers, accounts, meters, applications */
  AqSimApp        *apps;
  guint            n_apps;
  AqSimCustomer   *customers;
  guint            n_customers;
  AqSimAccount    *accounts;
  AqSimMeter      *meters;
  guint            n_meters;

  /* staff who appear as handlers, tellers and agents */
  const char     **staff;
  guint            n_staff;

  /* filled by the billing: m³ billed per level-3 zone and month */
  gint64          *zone_billed;

  /* the billing's late batch (src_truth.late_load): one reading book's bills of one month
   * created in the billing system days after their reading (late_month −1: none) */
  int              late_month;
  guint16          late_book;
  guint8           late_district;
  guint32          late_bills;

  /* the billing's sudden drop (src_truth.volume_drop): one level-3 zone's accounts not read
   * in one month (drop_month −1: none) */
  gboolean         sudden_drop;
  int              drop_month;
  guint32          drop_zone;
  guint32          drop_bills;
  gint64           drop_qty[2];    /* the zone's m³ billed the month before, and then */

  /* the extracts' small dirt (src_truth.dirt): planted or not, and rows of each kind */
  gboolean         dirt;
  gint64           dirt_rows[AQ_SIM_N_DIRT];

  /* per-day sequence numbers of payments, SMS and meter events (ids read like dates) */
  gint32           counter_base;
  guint32         *pay_seq;
  guint32         *sms_seq;
  guint32         *event_seq;
  guint            n_counter_days;
};

/* aq-simulator.c */
AqCopyWriter *aq_sim_copy         (AqSim        *sim,
                                   guint         lane,
                                   const char   *target,
                                   GError      **error);
gboolean  aq_sim_copy_end         (AqSim        *sim,
                                   AqCopyWriter *writer,
                                   const char   *table,
                                   GError      **error);
gboolean  aq_sim_growing          (const char   *table);
void      aq_sim_exec             (AqSim        *sim,
                                   guint         lane,
                                   const char   *sql);
gboolean  aq_sim_check_cancelled  (AqSim        *sim,
                                   GError      **error);
void      aq_sim_progress         (AqSim        *sim,
                                   double        fraction,
                                   const char   *message);
const char *aq_sim_intern         (AqSim        *sim,
                                   const char   *text);
guint32   aq_sim_next_id          (AqSim        *sim,
                                   guint32      *counters,
                                   gint32        day);
double    aq_sim_lon              (double        x);
double    aq_sim_lat              (double        y);

/* aq-simulator-geo.c */
void      aq_sim_geo_build        (AqSim        *sim);
void      aq_sim_geo_build_zones  (AqSim        *sim);
gboolean  aq_sim_geo_write        (AqSim        *sim,
                                   GError      **error);
double    aq_sim_river_center     (double        x);
double    aq_sim_river_upper      (double        x);
double    aq_sim_river_lower      (double        x);
double    aq_sim_row_bottom       (AqSim        *sim,
                                   guint         row,
                                   double        x);
void      aq_sim_premise_address  (AqSim        *sim,
                                   guint32       premise,
                                   GString      *out);

/* aq-simulator-network.c */
void      aq_sim_network_build    (AqSim        *sim);
gboolean  aq_sim_network_write    (AqSim        *sim,
                                   GError      **error);
gboolean  aq_sim_network_write_inflow (AqSim    *sim,
                                   GError      **error);

/* aq-simulator-accounts.c */
void      aq_sim_accounts_build   (AqSim        *sim);
gboolean  aq_sim_accounts_write   (AqSim        *sim,
                                   GError      **error);
gboolean  aq_sim_dirt_pick        (AqSim        *sim,
                                   guint         kind,
                                   guint32       index);
gboolean  aq_sim_dirt_pick_bill   (AqSim        *sim,
                                   guint32       account,
                                   int           month);
gboolean  aq_sim_phone_format_plain (guint      format);
gboolean  aq_sim_dirt_write       (AqSim        *sim,
                                   GError      **error);
gboolean  aq_sim_truth_write      (AqSim        *sim,
                                   GError      **error);
void      aq_sim_customer_name    (AqSim        *sim,
                                   guint32       customer,
                                   GString      *out);
gboolean  aq_sim_account_active   (const AqSimAccount *account,
                                   gint32        day);
void      aq_sim_append_acct_no   (GString      *out,
                                   guint32       account);
void      aq_sim_format_acct_no   (char         *buf,
                                   guint32       account);

/* aq-simulator-billing.c */
gboolean  aq_sim_billing_write    (AqSim        *sim,
                                   GError      **error);
gint32    aq_sim_read_date        (AqSim        *sim,
                                   guint32       account,
                                   int           month);

/* aq-simulator-sms.c */
typedef struct _AqSimMonthBill AqSimMonthBill;
struct _AqSimMonthBill
{
  gint64   create_time;
  gint64   pay_time;                /* 0: unpaid at the extract */
  gint64   amount;                  /* cents */
  gint64   late_fee;                /* cents */
  gint32   due_day;
  gint32   qty;
  guint8   channel;
  guint8   billed;                  /* a bill exists this month */
  guint8   overdue;                 /* an older bill is overdue on reminder day */
};
typedef struct
{
  AqSim         *sim;
  AqCopyWriter  *writer;
  GString       *text;           /* the message's template parameters, '|' between them */
  GString       *mobile;
  int            month;
} AqSimSmsCtx;
void      aq_sim_sms_account_notices (AqSimSmsCtx          *ctx,
                                      guint32               account,
                                      const AqSimMonthBill *bill);
void      aq_sim_sms_outage_notices  (AqSimSmsCtx          *ctx);

/* aq-simulator-meters.c */
void      aq_sim_meters_plan      (AqSim        *sim);
gboolean  aq_sim_meters_write     (AqSim        *sim,
                                   GError      **error);
void      aq_sim_format_meter_no  (AqSim        *sim,
                                   guint32       meter,
                                   char         *buf);

/* aq-simulator-service.c */
gboolean  aq_sim_service_write    (AqSim        *sim,
                                   GError      **error);
void      aq_sim_format_phone     (GString      *out,
                                   guint64       mobile,
                                   guint         format);
void      aq_sim_format_landline  (GString      *out,
                                   guint32       number,
                                   guint         format);

/* aq-simulator-names.c */
void      aq_sim_person_name      (AqRandom     *r,
                                   GString      *out);
void      aq_sim_business_name    (AqRandom     *r,
                                   guint         cust_type,
                                   guint         key_kind,
                                   GString      *out);
void      aq_sim_community_name   (AqRandom     *r,
                                   GString      *out);
void      aq_sim_street_name      (AqRandom     *r,
                                   GString      *out);
void      aq_sim_property_company (AqRandom     *r,
                                   GString      *out);
void      aq_sim_id_card          (AqRandom     *r,
                                   gint32        birth_day,
                                   GString      *out);
void      aq_sim_credit_code      (AqRandom     *r,
                                   GString      *out);
guint64   aq_sim_mobile_number    (AqRandom     *r);
extern const char * const aq_sim_district_names[6];
extern const char * const aq_sim_district_codes[6];
extern const char * const aq_sim_district_abbrevs[6];

/* aq-simulator-text.c: number formatting without printf, which is slow at this volume */
void      aq_sim_append_uint      (GString      *out,
                                   guint64       value);
void      aq_sim_append_padded    (GString      *out,
                                   guint64       value,
                                   guint         width);
void      aq_sim_append_money     (GString      *out,
                                   gint64        cents);
void      aq_sim_append_date      (GString      *out,
                                   gint32        day);
void      aq_sim_append_period    (GString      *out,
                                   int           month);
void      aq_sim_append_time      (GString      *out,
                                   gint64        seconds);
char     *aq_sim_period_string    (int           month,
                                   char         *buf);

/* Whether a growing table's row at @t (seconds) is to be written: by the extract, and not
 * already there when appending. */
static inline gboolean
aq_sim_new_row (const AqSim *sim,
                gint64       t)
{
  return t <= sim->now && (!sim->append || t > sim->since);
}

/* Functions rather than GLib's MIN/MAX/CLAMP, which evaluate an argument twice: with a
 * random draw in it, that is two different draws. */
static inline gint64
aq_sim_min (gint64 a,
            gint64 b)
{
  return a < b ? a : b;
}

static inline gint64
aq_sim_max (gint64 a,
            gint64 b)
{
  return a > b ? a : b;
}

static inline double
aq_sim_clamp (double v,
              double lo,
              double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

static inline gint64
aq_sim_day_seconds (gint32 day)
{
  return (gint64) day * 86400;
}

static inline gint32
aq_sim_seconds_day (gint64 seconds)
{
  return (gint32) (seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400);
}

G_END_DECLS
