/* aq-quality.h — data-quality rules: definitions, runs against the warehouse, stored results
 *
 * A rule checks one table of one layer (ods, dw, dm, or a src_* schema) and answers how many
 * rows it checked and how many fail. Column rules of one table share one scan (see
 * aq-quality-compile.c); every run and its results are kept in meta.quality_* (013_quality).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

#define AQ_QUALITY_DEFAULT_SAMPLES 20
#define AQ_QUALITY_DEFAULT_TIMEOUT_MS 300000
#define AQ_QUALITY_DEFAULT_PARALLEL 2
#define AQ_QUALITY_WORK_MEM "64MB"   /* per statement node, each connection of a run */

typedef struct
{
  char       *name;         /* unique, e.g. "dw.dim_customer.mobile_format" */
  char       *rule_set;     /* the standard file it came from, or "custom" */
  char       *layer;        /* schema: ods, dw, dm, src_billing… */
  char       *table;
  char       *filter;       /* optional SQL condition on the target's rows */
  char       *type;         /* not_null, unique, range, pattern, accepted_values, referential,
                             * freshness, volume, reconciliation, distribution, custom */
  JsonObject *args;
  char       *dimension;    /* completeness, validity, uniqueness, consistency, timeliness,
                             * accuracy, volume */
  char       *severity;     /* warn or fail: the worst status the rule can give */
  gboolean    share;        /* thresholds are shares of the checked rows, else counts */
  double      warn_at;      /* status warn when failing >= warn_at (and > 0) */
  double      fail_at;      /* status fail when failing >= fail_at (fail severity only) */
  char       *owner;
  char       *description;  /* what it checks, in business words */
  char       *reason;       /* why the rule exists (the known dirt) */
  char       *description_zh; /* the same in Chinese, for shipped rules (the catalog's pattern:
                               * both kept, the user's language shown); NULL if not given */
  char       *reason_zh;
  int         version;      /* from meta.quality_rule; 0 before it is stored */
} AqQualityRule;

typedef struct
{
  gint64  run_id;
  char   *rule_name;
  int     rule_version;
  char   *layer;
  char   *table;
  char   *dimension;
  char   *severity;
  gint64  checked;
  gint64  failing;
  double  measured;        /* the rule's own figure: share, age in days, row count… */
  gboolean has_measured;
  char   *status;          /* pass, warn, fail, error */
  char   *message;
  double  duration_ms;
  GPtrArray *samples;      /* AqQualitySample */
} AqQualityResult;

typedef struct
{
  char *row_key;
  char *value;
} AqQualitySample;

typedef struct
{
  gint64     run_id;
  char      *scope;
  char      *status;       /* passed, warned, failed, error, cancelled */
  int        scans;        /* statements run against the warehouse */
  double     duration_ms;
  GDateTime *started_at;
  GPtrArray *results;      /* AqQualityResult */
} AqQualityRun;

typedef struct
{
  int       max_samples;   /* failing rows kept per rule (AQ_QUALITY_DEFAULT_SAMPLES) */
  int       timeout_ms;    /* statement timeout */
  gboolean  one_query_per_rule;  /* no batching: for the benchmark's comparison */
  gboolean  store;         /* keep the run in meta.quality_* (TRUE) */
  gboolean  in_transaction; /* run on @db's open transaction (a pipeline gate) */
  const char *trigger;     /* hand, schedule, gate, test */
  int       parallel;      /* connections the statements are spread over, all reading one
                            * exported snapshot (AQ_QUALITY_DEFAULT_PARALLEL; 1: one) */
  gint64    merge_min_rows; /* a referential rule whose own and referenced tables are both
                             * this large (rows) or larger is answered by a merge anti-join
                             * where indexes allow (0: 2,000,000) */
} AqQualityOptions;

/* rules */
AqQualityRule *aq_quality_rule_new_from_json  (JsonObject     *object,
                                               const char     *rule_set,
                                               GError        **error);
JsonObject    *aq_quality_rule_to_json        (const AqQualityRule *rule);
AqQualityRule *aq_quality_rule_copy           (const AqQualityRule *rule);
void           aq_quality_rule_free           (AqQualityRule  *rule);
gboolean       aq_quality_rule_validate       (const AqQualityRule *rule,
                                               GError        **error);
gboolean       aq_quality_rule_is_column_rule (const AqQualityRule *rule);
char          *aq_quality_rule_explain        (const AqQualityRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityRule, aq_quality_rule_free)

/* The standard set shipped in data/quality/ (AqQualityRule, transfer full). */
GPtrArray     *aq_quality_standard_rules      (GError        **error);
char         **aq_quality_standard_sets       (void);

/* The SQL a rule runs, for reading (its failing-rows query; parameters inlined as literals). */
char          *aq_quality_rule_sql            (const AqQualityRule *rule);

/* store (meta.quality_rule / _version) */
gboolean       aq_quality_sync_standard       (AqDb           *db,
                                               GError        **error);
gboolean       aq_quality_save_rule           (AqDb           *db,
                                               AqQualityRule  *rule,
                                               GError        **error);
GPtrArray     *aq_quality_list_rules          (AqDb           *db,
                                               GError        **error);
GPtrArray     *aq_quality_select_rules        (AqDb           *db,
                                               const char * const *names,
                                               GError        **error);
AqQualityRule *aq_quality_get_rule            (AqDb           *db,
                                               const char     *name,
                                               int             version,
                                               GError        **error);

/* runs */
void           aq_quality_options_init        (AqQualityOptions *options);
AqQualityRun  *aq_quality_run_rules           (AqDb           *db,
                                               GPtrArray      *rules,
                                               const char     *scope,
                                               const AqQualityOptions *options,
                                               GCancellable   *cancellable,
                                               GError        **error);
void           aq_quality_run_free            (AqQualityRun   *run);
void           aq_quality_result_free         (AqQualityResult *result);
JsonNode      *aq_quality_run_to_json         (const AqQualityRun *run);
JsonNode      *aq_quality_result_to_json      (const AqQualityResult *result);
gboolean       aq_quality_run_has_failure     (const AqQualityRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityRun, aq_quality_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityResult, aq_quality_result_free)

/* stored results */
AqQualityRun  *aq_quality_load_run            (AqDb           *db,
                                               gint64          run_id,
                                               GError        **error);
GPtrArray     *aq_quality_rule_history        (AqDb           *db,
                                               const char     *rule_name,
                                               int             limit,
                                               GError        **error);

/* the scheduler's kind "quality" (aq-job-kinds.c): @target names rule sets or rules */
gboolean       aq_quality_job_validate        (const char     *target,
                                               GError        **error);
char          *aq_quality_job_run             (const char     *target,
                                               const char     *conninfo,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* A pipeline's quality gate (step "quality_gate", definition {"rules": [names]}): runs the
 * rules on @db's open transaction, nothing stored; fails (AQ_ERROR_FAILED, with the rule's
 * words) when a fail-severity rule fails, so the runner rolls the whole run back. */
gboolean       aq_quality_gate_run            (AqDb           *db,
                                               JsonObject     *definition,
                                               GCancellable   *cancellable,
                                               gint64         *out_rows,
                                               GError        **error);

/* profiling: per column nulls, distinct, min/max, named format, top values and shapes, and
 * suggested rules for one table "layer.table" (AqQualityRule, transfer full) */
JsonNode      *aq_quality_profile             (AqDb           *db,
                                               const char     *qualified_table,
                                               GPtrArray     **out_suggestions,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* The same on a worker thread with a pooled connection to @conninfo (aq_db_job_run_async);
 * cancelling stops the statement on the server. */
typedef struct
{
  JsonNode  *profile;      /* as aq_quality_profile() returns it */
  GPtrArray *suggestions;  /* AqQualityRule */
} AqQualityProfile;

void              aq_quality_profile_free   (AqQualityProfile *profile);
void              aq_quality_profile_async  (const char          *conninfo,
                                             const char          *qualified_table,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
AqQualityProfile *aq_quality_profile_finish (GAsyncResult        *result,
                                             GError             **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityProfile, aq_quality_profile_free)

/* The alerts' outbox (meta.quality_alert), for the daemon that sends them. */
typedef struct
{
  gint64  alert_id;
  char   *rule_name;
  gint64  run_id;
  char   *kind;             /* failing, resolved */
  char   *body;             /* the message, in the warehouse's words */
  char   *idempotency_key;
  int     attempts;         /* before this one */
} AqQualityAlert;

void           aq_quality_alert_free          (AqQualityAlert *alert);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityAlert, aq_quality_alert_free)
/* Opens a transaction and locks up to @limit alerts due to be sent (AqQualityAlert); record
 * each with aq_quality_alert_record(), then aq_db_commit(). */
GPtrArray     *aq_quality_alerts_claim        (AqDb           *db,
                                               guint           limit,
                                               GError        **error);
/* One try: sent, or failed with @failure (tried again in @retry_in_ms, or never with
 * @give_up). */
gboolean       aq_quality_alert_record        (AqDb           *db,
                                               const AqQualityAlert *alert,
                                               gboolean        sent,
                                               const char     *failure,
                                               guint           retry_in_ms,
                                               gboolean        give_up,
                                               GError        **error);

G_END_DECLS
