/* aq-customer-panel.h — Customer 360: search, candidates, and one account on one page */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"
#include "aq-customer-360.h"
#include "aq-reading-chart.h"
#include "aq-record-table.h"
#include "aq-timeline-view.h"

G_BEGIN_DECLS

#define AQ_TYPE_CUSTOMER_PANEL (aq_customer_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqCustomerPanel, aq_customer_panel, AQ, CUSTOMER_PANEL, GtkWidget)

void                    aq_customer_panel_lookup           (AqCustomerPanel     *self,
                                                            const char          *phone);
const char             *aq_customer_panel_get_lookup       (AqCustomerPanel     *self);
void                    aq_customer_panel_focus_search     (AqCustomerPanel     *self);
GtkWidget              *aq_customer_panel_get_search_entry (AqCustomerPanel     *self);
const AqCustomerLookup *aq_customer_panel_get_result       (AqCustomerPanel     *self);
const char             *aq_customer_panel_get_page         (AqCustomerPanel     *self);
const char             *aq_customer_panel_get_section      (AqCustomerPanel     *self);
AqReadingChart         *aq_customer_panel_get_chart        (AqCustomerPanel     *self);
AqTimelineView         *aq_customer_panel_get_timeline     (AqCustomerPanel     *self);
AqRecordTable          *aq_customer_panel_get_table        (AqCustomerPanel     *self);
gboolean                aq_customer_panel_get_revealed     (AqCustomerPanel     *self);
gboolean                aq_customer_panel_get_roles_known  (AqCustomerPanel     *self);
void                    aq_customer_panel_reveal           (AqCustomerPanel     *self,
                                                            const char          *reason);
void                    aq_customer_panel_export           (AqCustomerPanel     *self,
                                                            GFile               *file);

G_END_DECLS
