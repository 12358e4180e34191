/* aq-report-export.h — a list report run once into Excel and/or CSV files
 *
 * The warehouse is read on a worker thread while the caller's thread writes the files, a few
 * thousand rows apart (bounded: memory stays constant), so the query and the file writing
 * overlap instead of taking turns.
 */
#pragma once

#include "aq-report.h"

G_BEGIN_DECLS

/* Runs the LIST report @spec and streams it into @xlsx_path and/or @csv_path (either may be
 * NULL, not both). Blocking. @n_rows (optional): the rows written. On failure or
 * cancellation neither file is touched. @db must not be used by anyone else meanwhile. */
gboolean  aq_report_export_list  (AqDb           *db,
                                  AqCatalog      *catalog,
                                  AqReportSpec   *spec,
                                  GHashTable     *params,
                                  const char     *xlsx_path,
                                  const char     *csv_path,
                                  guint64        *n_rows,
                                  GCancellable   *cancellable,
                                  GError        **error);

/* For a UI: on a worker thread, writes @result when given (a pivot, or a list complete in
 * memory), else runs the LIST report @spec on its own connection from @conninfo and streams it.
 * @spec and @params are copied. */
void      aq_report_export_async   (const char          *conninfo,
                                    AqCatalog           *catalog,
                                    AqReportSpec        *spec,
                                    GHashTable          *params,
                                    AqReportResult      *result,
                                    const char          *xlsx_path,
                                    const char          *csv_path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* @n_rows (optional): the rows written. */
gboolean  aq_report_export_finish  (GAsyncResult        *result,
                                    guint64             *n_rows,
                                    GError             **error);

G_END_DECLS
