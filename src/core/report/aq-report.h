/* aq-report.h — running reports: compile a spec to SQL, run it, drill down, stream lists */
#pragma once

#include <gio/gio.h>

#include "aq-catalog.h"
#include "aq-db.h"
#include "aq-report-list.h"
#include "aq-report-result.h"
#include "aq-report-spec.h"
#include "aq-report-store.h"

G_BEGIN_DECLS

/* Interactive runs are read-only and stopped after this long. */
#define AQ_REPORT_STATEMENT_TIMEOUT_MS 120000

/* The compiled statement: SQL with $n placeholders and the values bound to them. */
typedef struct
{
  char      *sql;
  GPtrArray *params;   /* (element-type utf8) */
} AqReportQuery;

void            aq_report_query_free      (AqReportQuery   *query);

/* Validates @spec, resolves @params (name → text; NULL for none: defaults apply) and
 * compiles to one statement. No warehouse needed. */
AqReportQuery  *aq_report_compile         (AqCatalog       *catalog,
                                           AqReportSpec    *spec,
                                           GHashTable      *params,
                                           GError         **error);

/* Runs the report in a read-only transaction with a statement timeout. A list report
 * returns at most its limit (or 100 000 rows when it has none): use the stream or
 * AqReportList for more. */
AqReportResult *aq_report_run             (AqDb            *db,
                                           AqCatalog       *catalog,
                                           AqReportSpec    *spec,
                                           GHashTable      *params,
                                           GCancellable    *cancellable,
                                           GError         **error);
/* The worker opens its own connection from @conninfo; cancelling sends PQcancel, so a
 * designer cancels the older run when the layout changes. @spec is copied. */
void            aq_report_run_async       (const char          *conninfo,
                                           AqCatalog           *catalog,
                                           AqReportSpec        *spec,
                                           GHashTable          *params,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
AqReportResult *aq_report_run_finish      (GAsyncResult    *result,
                                           GError         **error);

/* Called once per list row, in order. @cells has n_row_dims + n_columns entries (the row
 * dimension columns, then the value columns) as the warehouse's text, NULL for SQL NULL;
 * numbers in C locale ("1234.5"). Return FALSE (with @error set) to stop. */
typedef gboolean (*AqReportRowFunc) (AqReportResult     *header,
                                     guint64             row_index,
                                     const char * const *cells,
                                     gpointer            user_data,
                                     GError            **error);

/* Streams a LIST report with constant memory (a cursor fetched in chunks). @out_header
 * (optional) receives a result with the title, parameter lines and columns but no rows,
 * also passed to @row_func. Works for pivots too (each row of the pivot, subtotals
 * included, with the row kind not available: use aq_report_run for pivots). */
gboolean        aq_report_run_stream      (AqDb            *db,
                                           AqCatalog       *catalog,
                                           AqReportSpec    *spec,
                                           GHashTable      *params,
                                           AqReportRowFunc  row_func,
                                           gpointer         user_data,
                                           AqReportResult **out_header,
                                           GCancellable    *cancellable,
                                           GError         **error);

/* (transfer full): a LIST spec of the detail rows behind cell (@row, @col) of @result: the
 * cell's row and column members and the spec's filters become filters of the list, its
 * parameters are kept. AQ_ERROR_INVALID when the cell has no detail source (a calculation
 * column, or an indicator whose source has no detail list). */
AqReportSpec   *aq_report_drill_spec      (AqCatalog       *catalog,
                                           AqReportSpec    *spec,
                                           AqReportResult  *result,
                                           guint            row,
                                           guint            col,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportQuery, aq_report_query_free)

G_END_DECLS
