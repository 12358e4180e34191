/* aq-report-header-strip.h — the upper levels of a multi-level column header, drawn above a
 * GtkColumnView (which has one header row) with spans aligned to its column widths */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  char  *label;
  guint  first;   /* the first leaf column it covers */
  guint  n;       /* how many leaf columns */
} AqHeaderSpan;

AqHeaderSpan *aq_header_span_new  (const char   *label,
                                   guint         first,
                                   guint         n);
void          aq_header_span_free (AqHeaderSpan *span);

#define AQ_TYPE_REPORT_HEADER_STRIP (aq_report_header_strip_get_type ())
G_DECLARE_FINAL_TYPE (AqReportHeaderStrip, aq_report_header_strip, AQ, REPORT_HEADER_STRIP,
                      GtkWidget)

GtkWidget *aq_report_header_strip_new         (void);
/* @levels: (transfer full): GPtrArray per level (top first) of AqHeaderSpan*;
 * @widths: the leaf columns' widths in pixels */
void       aq_report_header_strip_set_levels  (AqReportHeaderStrip *self,
                                               GPtrArray           *levels);
void       aq_report_header_strip_set_widths  (AqReportHeaderStrip *self,
                                               const int           *widths,
                                               guint                n_widths);
void       aq_report_header_strip_set_offset  (AqReportHeaderStrip *self,
                                               double               offset);
GPtrArray *aq_report_header_strip_get_levels  (AqReportHeaderStrip *self);

G_END_DECLS
