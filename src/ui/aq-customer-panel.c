/* aq-customer-panel.c — Customer 360
 *
 * Until its issue is done the panel says what it will do and that it is not there yet. A
 * lookup (--lookup, app.lookup: the hotline's "incoming call" hook) already lands here, and
 * says plainly that it was not carried out, so a caller is never silently not looked up.
 */
#define G_LOG_DOMAIN "aq-customer-panel"

#include "config.h"

#include "aq-customer-panel.h"

#include <glib/gi18n.h>

#include "aq-panel.h"

struct _AqCustomerPanel
{
  GtkWidget  parent_instance;

  GtkLabel  *lookup_label;

  char      *lookup;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqCustomerPanel, aq_customer_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

/* ---- AqPanel ---- */

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
}

/* ---- GObject overrides ---- */

static void
aq_customer_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_CUSTOMER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_customer_panel_parent_class)->dispose (object);
}

static void
aq_customer_panel_finalize (GObject *object)
{
  AqCustomerPanel *self = AQ_CUSTOMER_PANEL (object);

  g_clear_pointer (&self->lookup, g_free);

  G_OBJECT_CLASS (aq_customer_panel_parent_class)->finalize (object);
}

static void
aq_customer_panel_class_init (AqCustomerPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_customer_panel_dispose;
  object_class->finalize = aq_customer_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-customer-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqCustomerPanel, lookup_label);
}

static void
aq_customer_panel_init (AqCustomerPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

/**
 * aq_customer_panel_lookup:
 * @phone: a phone number or customer number, as the caller gave it
 *
 * Shows which lookup was asked for, and that lookups come with the Customer 360 panel.
 */
void
aq_customer_panel_lookup (AqCustomerPanel *self,
                          const char      *phone)
{
  g_autofree char *text = NULL;

  g_return_if_fail (AQ_IS_CUSTOMER_PANEL (self));
  g_return_if_fail (phone != NULL);

  g_free (self->lookup);
  self->lookup = g_strdup (phone);

  /* Translators: %s is the phone number a lookup was asked for */
  text = g_strdup_printf (_("“%s” was not looked up: lookups come with the Customer 360 "
                            "panel."), phone);
  gtk_label_set_label (self->lookup_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->lookup_label), TRUE);
}

/* Returns: (nullable): the last lookup asked for */
const char *
aq_customer_panel_get_lookup (AqCustomerPanel *self)
{
  g_return_val_if_fail (AQ_IS_CUSTOMER_PANEL (self), NULL);
  return self->lookup;
}
