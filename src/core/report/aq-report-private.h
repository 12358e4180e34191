/* aq-report-private.h — what the report modules share and nobody else uses */
#pragma once

#include "aq-catalog-private.h"
#include "aq-db.h"
#include "aq-report-result.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

void            _aq_report_spec_set_standard     (AqReportSpec   *self,
                                                  gboolean        standard);

/* Building a result (the compiler and the list reader only). */
AqReportResult *_aq_report_result_new            (AqReportKind    kind,
                                                  const char     *title,
                                                  const char * const *parameter_lines,
                                                  const char     *sql,
                                                  const char * const *sql_params);
void            _aq_report_result_add_row_dim    (AqReportResult *self,
                                                  const char     *id,
                                                  const char     *label);
void            _aq_report_result_set_n_header_levels (AqReportResult *self,
                                                  guint           n);
/* @headers: n_header_levels labels (NULL = merged with the one above); @keys: one per column
 * dimension (n_header_levels - 1), NULL where rolled up. Returns the column index. */
guint           _aq_report_result_add_column     (AqReportResult *self,
                                                  AqReportColumnKind kind,
                                                  guint           value_index,
                                                  const char     *indicator,
                                                  AqReportCalc    calc,
                                                  const char     *format,
                                                  const char * const *headers,
                                                  const char * const *keys);
/* @labels / @keys: n_row_dims each, NULL where rolled up. Returns the row index. */
guint           _aq_report_result_add_row        (AqReportResult *self,
                                                  AqReportRowKind kind,
                                                  guint           level,
                                                  const char * const *labels,
                                                  const char * const *keys);
/* @text NULL: formatted from the column's format. @color: interned or static. */
void            _aq_report_result_set_cell       (AqReportResult *self,
                                                  guint           row,
                                                  guint           col,
                                                  gboolean        present,
                                                  double          value,
                                                  const char     *text,
                                                  const char     *color);
void            _aq_report_result_set_elapsed    (AqReportResult *self,
                                                  double          ms);
/* A copy with the same header and no rows (for list pages and stream headers). */
AqReportResult *_aq_report_result_new_like       (AqReportResult *self);
/* Index of the value column @value_index with @calc among plain (detail) columns; for lists. */

/* Parameter values: parse a month "YYYY-MM" into the first day ("YYYY-MM-01"). */
gboolean        _aq_report_parse_month           (const char     *text,
                                                  char          **out_date);
/* Splits "a..b" in two. */
/* aq-report-period.c: keeps aq_report_period_note()'s sentence (transfer full) on @result */
void            _aq_report_result_set_period_note (AqReportResult *result,
                                                   char           *note);
gboolean        _aq_report_split_range           (const char     *text,
                                                  char          **from,
                                                  char          **to);

/* Runs on @db: read-only transaction with the interactive statement timeout. */
gboolean        _aq_report_begin_read_only       (AqDb           *db,
                                                  GError        **error);

/* Fills "@latest" / "@last12" defaults with the warehouse's latest month. */
GHashTable     *_aq_report_resolve_dynamic       (AqDb           *db,
                                                  AqReportSpec   *spec,
                                                  GHashTable     *params,
                                                  GError        **error);

G_END_DECLS

G_BEGIN_DECLS

/* One value column of a compiled report. */
typedef struct
{
  AqIndicator  *indicator;   /* (unowned): the catalog outlives the plan */
  AqReportCalc  calc;
  char         *label;       /* the header: name, plus the calculation */
  char         *format;
} AqReportPlanValue;

/* A compiled report: the statement and what its columns mean.
 * Pivot columns: rl, cl, col_ord, (key, label) per row dimension, (key, label) per column
 * dimension, one per value. List columns: (key, label) per row dimension, one per value. */
typedef struct
{
  AqReportKind        kind;
  char               *title;
  char              **parameter_lines;
  char               *sql;
  GPtrArray          *params;      /* (element-type utf8) */
  GPtrArray          *row_dims;    /* (element-type AqDimension) unowned */
  GPtrArray          *row_labels;  /* (element-type utf8): header of each row dimension */
  GPtrArray          *col_dims;
  GArray             *values;      /* AqReportPlanValue */
  GPtrArray          *format_rules; /* (element-type AqReportFormatRule) copies */
  gboolean            subtotals;
  gboolean            totals;
} AqReportPlan;

void          _aq_report_plan_free   (AqReportPlan   *plan);
AqReportPlan *_aq_report_plan_new    (AqCatalog      *catalog,
                                      AqReportSpec   *spec,
                                      GHashTable     *resolved_params,
                                      GError        **error);
/* The result's header (row dims, columns are added by the reader for pivots). */
AqReportResult *_aq_report_plan_new_result (AqReportPlan *plan);
/* The colour of the first matching rule for value @value_index, or NULL. */
const char   *_aq_report_plan_color  (AqReportPlan   *plan,
                                      guint           value_index,
                                      double          value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportPlan, _aq_report_plan_free)

/* Validates, resolves the parameters (with the warehouse's months) and compiles. */
AqReportPlan *_aq_report_plan_for_run      (AqDb           *db,
                                            AqCatalog      *catalog,
                                            AqReportSpec   *spec,
                                            GHashTable     *params,
                                            GError        **error);
/* The bound values as a NULL-terminated array (owned by the plan). */
const char * const *_aq_report_plan_param_values (AqReportPlan *plan);
/* Appends list rows [@first, @first + @n) of @res (a list plan's columns) to @result. */
void          _aq_report_append_list_rows  (AqReportResult *result,
                                            AqReportPlan   *plan,
                                            PGresult       *res,
                                            int             first,
                                            int             n);

G_END_DECLS
