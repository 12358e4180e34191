/* aq-report-catalog-view.h — the indicator catalog as a searchable tree to drag fields from */
#pragma once

#include <gtk/gtk.h>

#include "aq-report-field-item.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_CATALOG_VIEW (aq_report_catalog_view_get_type ())
G_DECLARE_FINAL_TYPE (AqReportCatalogView, aq_report_catalog_view, AQ, REPORT_CATALOG_VIEW,
                      GtkWidget)

void           aq_report_catalog_view_set_categories (AqReportCatalogView *self,
                                                      GListModel          *categories);
AqReportFieldItem *aq_report_catalog_view_get_selected   (AqReportCatalogView *self);
gboolean       aq_report_catalog_view_select         (AqReportCatalogView *self,
                                                      const char          *field_id);
AqReportFieldItem *aq_report_catalog_view_find           (AqReportCatalogView *self,
                                                      const char          *field_id);
GtkWidget     *aq_report_catalog_view_get_search_entry (AqReportCatalogView *self);
guint          aq_report_catalog_view_get_n_visible  (AqReportCatalogView *self);

G_END_DECLS
