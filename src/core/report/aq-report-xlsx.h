/* aq-report-xlsx.h — a report as an Excel workbook that looks like the screen
 *
 * Pivots: title and parameter block, merged multi-level headers, the catalog's number formats,
 * frozen panes, autofilter, column widths from the text, styled subtotal and total rows,
 * conditional colours as fills. Lists: streamed in libxlsxwriter's constant-memory mode, so a
 * million rows cost a few megabytes; past Excel's 1,048,576 rows they continue on another
 * sheet that says so.
 *
 * Every writer is atomic: it writes a temporary file beside @path and renames it over @path
 * only when complete, so a failed or cancelled export leaves nothing half-written.
 */
#pragma once

#include "aq-report.h"

G_BEGIN_DECLS

/* Writes a result held in memory: a pivot, or a list of at most its limit. */
gboolean             aq_report_write_xlsx           (AqReportResult      *result,
                                                     const char          *path,
                                                     GError             **error);

/* The streaming writer itself, for callers that feed several outputs from one run:
 * aq_report_xlsx_stream_add_row() is an AqReportRowFunc (pass the stream as user_data);
 * finish() with the run's header completes the file (also when no row came); free() without
 * finish() removes the temporary file. */
typedef struct _AqReportXlsxStream AqReportXlsxStream;

AqReportXlsxStream  *aq_report_xlsx_stream_new      (const char          *path,
                                                     GError             **error);
gboolean             aq_report_xlsx_stream_add_row  (AqReportResult      *header,
                                                     guint64              row_index,
                                                     const char * const  *cells,
                                                     gpointer             stream,
                                                     GError             **error);
gboolean             aq_report_xlsx_stream_finish   (AqReportXlsxStream  *self,
                                                     AqReportResult      *header,
                                                     GError             **error);
guint64              aq_report_xlsx_stream_get_n_rows (AqReportXlsxStream *self);
void                 aq_report_xlsx_stream_free     (AqReportXlsxStream  *self);

/* Tests only: a smaller sheet size than Excel's, to see the overflow sheet on small data. */
void                 aq_report_xlsx_stream_set_max_sheet_rows (AqReportXlsxStream *self,
                                                     guint32              rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportXlsxStream, aq_report_xlsx_stream_free)

G_END_DECLS
