/* aq-layer-card.c — one schema of the warehouse on the Overview: tables and rows */
#define G_LOG_DOMAIN "aq-layer-card"

#include "config.h"

#include "aq-layer-card.h"

#include <glib/gi18n.h>

#include "aq-format.h"

struct _AqLayerCard
{
  GtkWidget  parent_instance;

  GtkLabel  *schema_label;
  GtkLabel  *role_label;
  GtkLabel  *rows_label;
  GtkLabel  *tables_label;
};

G_DEFINE_FINAL_TYPE (AqLayerCard, aq_layer_card, GTK_TYPE_WIDGET)

/* ---- auxiliary methods ---- */

static const char *
layer_role (const char *schema)
{
  if (g_str_has_prefix (schema, "src_"))
    return _("Source system (simulated)");
  if (g_str_equal (schema, "ods"))
    return _("Raw extracts");
  if (g_str_equal (schema, "dw"))
    return _("Conformed dimensions and facts");
  if (g_str_equal (schema, "dm"))
    return _("Marts for the panels");
  return "";
}

/* ---- GObject overrides ---- */

static void
aq_layer_card_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_LAYER_CARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_layer_card_parent_class)->dispose (object);
}

static void
aq_layer_card_class_init (AqLayerCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_layer_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-layer-card.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqLayerCard, schema_label);
  gtk_widget_class_bind_template_child (widget_class, AqLayerCard, role_label);
  gtk_widget_class_bind_template_child (widget_class, AqLayerCard, rows_label);
  gtk_widget_class_bind_template_child (widget_class, AqLayerCard, tables_label);
}

static void
aq_layer_card_init (AqLayerCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkWidget *
aq_layer_card_new (const AqOverviewLayer *layer)
{
  AqLayerCard *self;
  g_autofree char *rows = NULL;
  g_autofree char *tables = NULL;

  g_return_val_if_fail (layer != NULL, NULL);

  self = g_object_new (AQ_TYPE_LAYER_CARD, NULL);
  rows = aq_format_count (layer->approx_rows);
  tables = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "rows in %u table",
                                         "rows in %u tables", layer->n_tables),
                            layer->n_tables);

  gtk_label_set_label (self->schema_label, layer->schema);
  gtk_label_set_label (self->role_label, layer_role (layer->schema));
  gtk_label_set_label (self->rows_label, rows);
  gtk_label_set_label (self->tables_label, tables);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->rows_label),
                               _("Estimated from the warehouse’s statistics"));
  return GTK_WIDGET (self);
}

const char *
aq_layer_card_get_schema (AqLayerCard *self)
{
  g_return_val_if_fail (AQ_IS_LAYER_CARD (self), NULL);
  return gtk_label_get_label (self->schema_label);
}

const char *
aq_layer_card_get_rows_text (AqLayerCard *self)
{
  g_return_val_if_fail (AQ_IS_LAYER_CARD (self), NULL);
  return gtk_label_get_label (self->rows_label);
}
