/* aq-quality-run-private.h — what the files of a quality run share: the run's context, the
 * statement and sample helpers (aq-quality-run.c), the rules' statements
 * (aq-quality-run-rules.c) and storing the results (aq-quality-run-store.c);
 * for src/core/quality/ only */
#pragma once

#include "aq-quality-private.h"

G_BEGIN_DECLS

/* One connection's part of a run: the caller's, or a pooled one sharing its snapshot. */
typedef struct
{
  AqDb                   *db;
  const AqQualityOptions *options;
  GCancellable           *cancellable;
  int                     scans;
  GHashTable             *keys;   /* "layer.table" → key expression for samples */
} AqQualityRunContext;

AqQualityResult *_aq_quality_result_new          (const AqQualityRule  *rule);
/* pass, warn or fail from the failing count and the rule's thresholds */
void             _aq_quality_judge               (const AqQualityRule  *rule,
                                                  AqQualityResult      *r);
/* One statement on the context's connection, counted in its scans; cancellable. */
PGresult        *_aq_quality_query               (AqQualityRunContext  *ctx,
                                                  const char           *sql,
                                                  GPtrArray            *values,
                                                  GError              **error);
gint64           _aq_quality_int_at              (PGresult             *res,
                                                  int                   row,
                                                  int                   col);
/* The key of a sample row: the table's primary key columns joined with "|" (cached). */
const char      *_aq_quality_key_expr            (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GError              **error);
/* Whether a referential rule's referenced columns hold a unique index of their table (no
 * predicate, no expression), so a join on them finds at most one row: 1 or 0 (cached), −1 on
 * error. */
int              _aq_quality_ref_unique          (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GError              **error);
/* Whether a referential rule is answered by a merge anti-join of two index-only scans: its
 * referenced table holds AQ_QUALITY_MERGE_MIN_ROWS rows or more (a hash of its keys is large;
 * AqQualityOptions.merge_min_rows, for tests)
 * and each side has a btree index led by the rule's columns, in one order on both (dw's bills
 * and payments by (period, account_id), migration 053). 1 or 0 (cached), −1 on error. */
#define AQ_QUALITY_MERGE_MIN_ROWS 2000000
int              _aq_quality_ref_merge           (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GError              **error);
/* The samples in @res from column @first on: key, then values, masked. */
void             _aq_quality_samples_from_result (const AqQualityRule  *rule,
                                                  AqQualityResult      *r,
                                                  PGresult             *res,
                                                  int                   first,
                                                  gboolean              null_keys);
gboolean         _aq_quality_add_samples         (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  AqQualityResult      *r,
                                                  const char           *sql,
                                                  GPtrArray            *values,
                                                  GError              **error);
/* "(filter)", or "(true)" */
char            *_aq_quality_where_clause        (const AqQualityRule  *rule);

/* aq-quality-run-rules.c: a table's column rules in one scan; any other rule alone */
gboolean         _aq_quality_run_column_rules    (AqQualityRunContext  *ctx,
                                                  GPtrArray            *rules,
                                                  GPtrArray            *results,
                                                  GError              **error);
gboolean         _aq_quality_run_set_rule        (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GPtrArray            *results,
                                                  GError              **error);

/* aq-quality-run-store.c: the run's row, its results, samples and alerts, in one transaction */
gboolean         _aq_quality_store_results       (AqDb                 *db,
                                                  AqQualityRun         *run,
                                                  GError              **error);

G_END_DECLS
