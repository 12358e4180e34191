/* aq-customer-panel.h — Customer 360 (not available yet) */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_CUSTOMER_PANEL (aq_customer_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqCustomerPanel, aq_customer_panel, AQ, CUSTOMER_PANEL, GtkWidget)

void        aq_customer_panel_lookup         (AqCustomerPanel *self,
                                              const char      *phone);
const char *aq_customer_panel_get_lookup     (AqCustomerPanel *self);

G_END_DECLS
