/* aq-quality-dashboard.h — what the Data Quality panel shows, read from stored results */
#pragma once

#include "aq-quality.h"

G_BEGIN_DECLS

/* score = 100 × Σ (checked − failing) / Σ checked over each rule's latest result */
typedef struct
{
  char   *kind;     /* overall, dimension, layer, table */
  char   *name;
  gint64  checked;
  gint64  passing;
  double  score;
} AqQualityScore;

typedef struct
{
  AqQualityScore *overall;
  GPtrArray      *scores;        /* AqQualityScore: dimensions, layers, tables */
  GArray         *trend_runs;    /* gint64 run ids, oldest first */
  GArray         *trend_scores;  /* double, one per trend run */
  GPtrArray      *results;       /* AqQualityResult: each rule's latest, failing first */
  GHashTable     *newly_failing; /* rule names failing now that did not fail the run before */
} AqQualityDashboard;

#define AQ_QUALITY_SCORE_FORMULA \
  "score = 100 × Σ (checked rows − failing rows) / Σ checked rows, over each rule's latest result"

void                aq_quality_dashboard_free   (AqQualityDashboard *dash);
AqQualityDashboard *aq_quality_dashboard_load   (AqDb          *db,
                                                 int            trend_runs,
                                                 GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityDashboard, aq_quality_dashboard_free)

/* Everything a rule's page shows. */
typedef struct
{
  AqQualityRule   *rule;
  char            *explain;
  char            *sql;
  GPtrArray       *history;   /* AqQualityResult, newest first */
  AqQualityResult *latest;    /* with its samples; NULL before the first run */
} AqQualityRulePage;

void               aq_quality_rule_page_free    (AqQualityRulePage *page);
AqQualityRulePage *aq_quality_rule_page_load    (AqDb          *db,
                                                 const char    *rule_name,
                                                 GError       **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityRulePage, aq_quality_rule_page_free)

/* The samples as CSV (key, value), for copy and export. */
char              *aq_quality_samples_csv       (const AqQualityResult *result);

/* Worker-thread helpers for the panel: each runs through aq_db_job_run_async() on a pooled
 * connection to @conninfo; cancelling reaches the server (PQcancel). */
void  aq_quality_dashboard_load_async (const char *conninfo, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
AqQualityDashboard *aq_quality_dashboard_load_finish (GAsyncResult *result, GError **error);
void  aq_quality_rule_page_load_async (const char *conninfo, const char *rule_name,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
AqQualityRulePage *aq_quality_rule_page_load_finish (GAsyncResult *result, GError **error);
/* Runs rules by name or set (NULL: all), stored; or, with @test_rule, that one rule unsaved
 * ("test now"); with @save, saves @test_rule first and runs it stored. */
void  aq_quality_run_async            (const char *conninfo, const char * const *names,
                                       const AqQualityRule *test_rule, gboolean save,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
AqQualityRun *aq_quality_run_finish   (GAsyncResult *result, GError **error);

G_END_DECLS
