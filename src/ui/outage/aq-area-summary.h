/* aq-area-summary.h — what the drawn area affects, as the outage map's side pane shows it */
#pragma once

#include <gtk/gtk.h>

#include "aq-outage-area.h"

G_BEGIN_DECLS

#define AQ_TYPE_AREA_SUMMARY (aq_area_summary_get_type ())
G_DECLARE_FINAL_TYPE (AqAreaSummary, aq_area_summary, AQ, AREA_SUMMARY, GtkWidget)

void        aq_area_summary_show_empty (AqAreaSummary      *self);
void        aq_area_summary_show_error (AqAreaSummary      *self,
                                        const GError       *error,
                                        gboolean            repairable);
void        aq_area_summary_show_area  (AqAreaSummary      *self,
                                        const AqOutageArea *area);
const char *aq_area_summary_get_total  (AqAreaSummary      *self);
const char *aq_area_summary_get_page   (AqAreaSummary      *self);

G_END_DECLS
