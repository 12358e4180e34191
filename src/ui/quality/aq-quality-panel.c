/* aq-quality-panel.c — data quality rules and their results
 *
 * Until its issue is done the panel says what it will do and that it is not there yet,
 * instead of showing an empty page that looks broken.
 */
#define G_LOG_DOMAIN "aq-quality-panel"

#include "config.h"

#include "aq-quality-panel.h"

#include "aq-panel.h"

struct _AqQualityPanel
{
  GtkWidget parent_instance;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqQualityPanel, aq_quality_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
}

static void
aq_quality_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_QUALITY_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_quality_panel_parent_class)->dispose (object);
}

static void
aq_quality_panel_class_init (AqQualityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_quality_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-quality-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_quality_panel_init (AqQualityPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
