/* aq-customer-panel.h — Customer 360: search, candidates, and one account on one page */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"
#include "aq-customer-360.h"

G_BEGIN_DECLS

#define AQ_TYPE_CUSTOMER_PANEL (aq_customer_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqCustomerPanel, aq_customer_panel, AQ, CUSTOMER_PANEL, GtkWidget)

void                    aq_customer_panel_set_monitor      (AqCustomerPanel     *self,
                                                            AqConnectionMonitor *monitor);
void                    aq_customer_panel_lookup           (AqCustomerPanel     *self,
                                                            const char          *phone);
const char             *aq_customer_panel_get_lookup       (AqCustomerPanel     *self);
void                    aq_customer_panel_focus_search     (AqCustomerPanel     *self);
GtkWidget              *aq_customer_panel_get_search_entry (AqCustomerPanel     *self);
const AqCustomerLookup *aq_customer_panel_get_result       (AqCustomerPanel     *self);
const char             *aq_customer_panel_get_page         (AqCustomerPanel     *self);

G_END_DECLS
