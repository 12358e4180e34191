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
 * referenced table AND its own table hold AQ_QUALITY_MERGE_MIN_ROWS rows or more each
 * (pg_class.reltuples; a hash of the referenced keys is large, and so many referencing rows
 * would probe the referenced index at random; AqQualityOptions.merge_min_rows, for tests)
 * and each side has a btree index led by the rule's columns, in one order on both (dw's bills
 * and payments by their keys). 1 or 0 (cached), −1 on error. */
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
void             _aq_quality_samples_from_rows   (const AqQualityRule  *rule,
                                                  AqQualityResult      *r,
                                                  PGresult             *res,
                                                  int                   first,
                                                  gboolean              null_keys,
                                                  int                   from,
                                                  int                   to);
gboolean         _aq_quality_add_samples         (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  AqQualityResult      *r,
                                                  const char           *sql,
                                                  GPtrArray            *values,
                                                  GError              **error);
/* "(filter)", or "(true)" */
char            *_aq_quality_where_clause        (const AqQualityRule  *rule);

/* The estimated rows of a table (pg_class.reltuples, −1 when never counted; cached);
 * FALSE on error. */
gboolean         _aq_quality_table_rows          (AqQualityRunContext  *ctx,
                                                  const char           *layer,
                                                  const char           *table,
                                                  gint64               *rows,
                                                  GError              **error);

/* aq-quality-run-shared.c: a set rule that groups or aggregates a table (distribution,
 * volume, freshness, one side of a reconciliation) answered in that table's one statement,
 * with its column rules */
typedef struct
{
  const AqQualityRule *rule;
  int                  side;   /* a reconciliation's side read in the shared statement: 0 the
                                * left, 1 the right; −1 for the other types */
  char                *layer;  /* the table whose statement answers it */
  char                *table;
} AqQualitySetPart;

void              _aq_quality_set_part_free      (AqQualitySetPart     *part);
/* The part a set rule can take in a table's statement, or NULL (no error) when it runs
 * alone: a custom or unique rule, a measure that does not add up from groups (count(DISTINCT
 * …), avg, a sum of floating-point numbers), or one query per rule. */
AqQualitySetPart *_aq_quality_set_part           (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GError              **error);
/* One statement answering a table's column rules (@columns, may be empty) and set parts
 * (@parts, not empty): rows of (i, o, x0, x1, x2), ordered by i then o; i is the rule's
 * place (the column rules first, then the parts), o 0 its measure (a column rule: checked,
 * failing; a set rule: the columns of its own statement), o 1… its samples (key, value). */
char             *_aq_quality_shared_sql         (AqQualityRunContext  *ctx,
                                                  GPtrArray            *columns,
                                                  const gboolean       *joined,
                                                  GPtrArray            *parts,
                                                  AqQualityParams      *params);

/* aq-quality-run-rules.c: a table's column rules in one scan, with its set parts when
 * @parts holds some; any other rule alone */
gboolean         _aq_quality_run_column_rules    (AqQualityRunContext  *ctx,
                                                  GPtrArray            *rules,
                                                  GPtrArray            *parts,
                                                  GPtrArray            *results,
                                                  GError              **error);
/* A set rule's values from row @row of @res, columns @first on, as its own statement answers
 * them; no samples but a freshness rule's. */
gboolean         _aq_quality_finish_set_rule     (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  AqQualityResult      *r,
                                                  PGresult             *res,
                                                  int                   row,
                                                  int                   first,
                                                  GError              **error);
/* a reconciliation side's "SELECT key AS @group_alias, measure AS v …" */
char            *_aq_quality_side_sql            (JsonObject           *side,
                                                  const char           *group_alias);
const char      *_aq_quality_str_arg             (JsonObject           *o,
                                                  const char           *name);
gboolean         _aq_quality_run_set_rule        (AqQualityRunContext  *ctx,
                                                  const AqQualityRule  *rule,
                                                  GPtrArray            *results,
                                                  GError              **error);

/* aq-quality-run-store.c: the run's row, its results, samples and alerts, in one transaction */
gboolean         _aq_quality_store_results       (AqDb                 *db,
                                                  AqQualityRun         *run,
                                                  GError              **error);

G_END_DECLS
