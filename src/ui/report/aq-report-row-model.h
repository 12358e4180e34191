/* aq-report-row-model.h — the grid's rows as a lazy GListModel: all in memory (a pivot) or
 * fetched a page at a time on a worker thread (a list of a million rows) */
#pragma once

#include <gio/gio.h>

#include "aq-report-grid-row.h"

G_BEGIN_DECLS

/* Runs on a worker thread. Returns: (transfer full) AqReportGridRow*s for rows
 * [offset, offset + limit), or NULL with @error set. */
typedef GPtrArray *(*AqReportRowFetch) (gpointer       source,
                                        guint          offset,
                                        guint          limit,
                                        GCancellable  *cancellable,
                                        GError       **error);

#define AQ_TYPE_REPORT_ROW_MODEL (aq_report_row_model_get_type ())
G_DECLARE_FINAL_TYPE (AqReportRowModel, aq_report_row_model, AQ, REPORT_ROW_MODEL, GObject)

AqReportRowModel *aq_report_row_model_new_static (GPtrArray        *rows);
AqReportRowModel *aq_report_row_model_new_paged  (guint             n_rows,
                                                  guint             page_size,
                                                  AqReportRowFetch  fetch,
                                                  gpointer          source,
                                                  GDestroyNotify    source_free);
void              aq_report_row_model_cancel     (AqReportRowModel *self);
guint             aq_report_row_model_get_n_fetched_pages (AqReportRowModel *self);
guint             aq_report_row_model_get_n_pending (AqReportRowModel *self);
const char       *aq_report_row_model_get_error (AqReportRowModel *self);

G_END_DECLS
