/* aq-report-chip.c — a field placed in a zone
 *
 * The chip is a drag source (MOVE) carrying its own field object: the zone it is dropped on
 * moves it when the object is already one of its own and copies it otherwise, and the zone it
 * came from lets it go when the drop moved it elsewhere. "remove" is the x button; the zone also
 * removes the focused chip on Delete. A value chip's menu picks its calculation through the
 * "chip.calculation" action.
 */
#define G_LOG_DOMAIN "aq-report-chip"

#include "config.h"

#include "aq-report-chip.h"

#include <glib/gi18n.h>

struct _AqReportChip
{
  GtkWidget       parent_instance;

  GtkLabel       *label;
  GtkMenuButton  *menu_button;
  GtkButton      *remove_button;

  AqReportFieldItem  *field;
  GSimpleAction  *calculation;
  AqReportChipPopoverFunc popover_func;
  gpointer        popover_data;
};

G_DEFINE_FINAL_TYPE (AqReportChip, aq_report_chip, GTK_TYPE_WIDGET)

enum {
  REMOVE,
  MOVED_AWAY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void
update_label (AqReportChip *self)
{
  const char *calculation = aq_report_field_item_get_calculation (self->field);
  const char *suffix = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (calculation, "share_of_total") == 0)
    suffix = C_("report designer", "share");
  else if (g_strcmp0 (calculation, "mom") == 0)
    suffix = C_("report designer", "MoM");
  else if (g_strcmp0 (calculation, "yoy") == 0)
    suffix = C_("report designer", "YoY");
  else if (g_strcmp0 (calculation, "rank") == 0)
    suffix = C_("report designer", "rank");

  /* a filter set by a parameter ("$period") shows in the parameters bar, not on the chip */
  if (suffix == NULL && aq_report_field_item_get_filter_values (self->field) != NULL
      && aq_report_field_item_get_filter_values (self->field)[0] != NULL
      && aq_report_field_item_get_filter_values (self->field)[0][0] != '$')
    {
      const char * const *values = aq_report_field_item_get_filter_values (self->field);
      guint n = g_strv_length ((char **) values);

      if (n == 1)
        text = g_strdup_printf ("%s = %s", aq_report_field_item_get_label (self->field),
                                values[0]);
      else if (n > 1)
        /* Translators: a filter chip: a field and how many values it keeps */
        text = g_strdup_printf (C_("report designer", "%s: %u values"),
                                aq_report_field_item_get_label (self->field), n);
    }
  if (text == NULL)
    text = suffix ? g_strdup_printf ("%s (%s)", aq_report_field_item_get_label (self->field),
                                     suffix)
                  : g_strdup (aq_report_field_item_get_label (self->field));
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               aq_report_field_item_get_description (self->field));
}

/* ---- callbacks ---- */

static void
remove_clicked_cb (AqReportChip *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
calculation_change_state_cb (GSimpleAction *action,
                             GVariant      *state,
                             gpointer       user_data)
{
  AqReportChip *self = AQ_REPORT_CHIP (user_data);

  g_simple_action_set_state (action, state);
  aq_report_field_item_set_calculation (self->field, g_variant_get_string (state, NULL));
  update_label (self);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 AqReportChip  *self)
{
  return gdk_content_provider_new_typed (AQ_TYPE_REPORT_FIELD_ITEM, self->field);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               AqReportChip  *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             AqReportChip  *self)
{
  if (delete_data)
    g_signal_emit (self, signals[MOVED_AWAY], 0);
}

/* ---- GObject overrides ---- */

static void
aq_report_chip_dispose (GObject *object)
{
  AqReportChip *self = AQ_REPORT_CHIP (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_CHIP);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->field);
  g_clear_object (&self->calculation);

  G_OBJECT_CLASS (aq_report_chip_parent_class)->dispose (object);
}

static void
aq_report_chip_class_init (AqReportChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_chip_dispose;

  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[MOVED_AWAY] = g_signal_new ("moved-away", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportChip, label);
  gtk_widget_class_bind_template_child (widget_class, AqReportChip, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AqReportChip, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "report-chip");
}

static void
aq_report_chip_init (AqReportChip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkWidget *
aq_report_chip_new (AqReportFieldItem *field,
                    GMenuModel    *menu)
{
  AqReportChip *self;
  GtkDragSource *source;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  const char *calculation;

  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (field), NULL);

  self = g_object_new (AQ_TYPE_REPORT_CHIP, NULL);
  self->field = g_object_ref (field);

  calculation = aq_report_field_item_get_calculation (field);
  self->calculation = g_simple_action_new_stateful ("calculation", G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string (calculation
                                                                          ? calculation : "none"));
  g_signal_connect (self->calculation, "change-state",
                    G_CALLBACK (calculation_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (self->calculation));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "chip", G_ACTION_GROUP (group));

  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), menu != NULL);
  if (menu != NULL)
    gtk_menu_button_set_menu_model (self->menu_button, menu);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (source, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  update_label (self);
  return GTK_WIDGET (self);
}

static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  AqReportChip *self = AQ_REPORT_CHIP (user_data);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *content = self->popover_func (self, GTK_POPOVER (popover), self->popover_data);

  gtk_popover_set_child (GTK_POPOVER (popover), content);
  gtk_menu_button_set_popover (button, popover);
}

/* A chip whose menu is built when it opens (a filter's members, say), instead of a menu model. */
void
aq_report_chip_set_popover_func (AqReportChip            *self,
                                 AqReportChipPopoverFunc  func,
                                 gpointer                 user_data)
{
  g_return_if_fail (AQ_IS_REPORT_CHIP (self));

  self->popover_func = func;
  self->popover_data = user_data;
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), func != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), C_("report designer", "Filter"));
  if (func != NULL)
    gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
}

/* The field changed under the chip (its filter): the label follows. */
void
aq_report_chip_update (AqReportChip *self)
{
  g_return_if_fail (AQ_IS_REPORT_CHIP (self));
  update_label (self);
}

AqReportFieldItem *
aq_report_chip_get_field (AqReportChip *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_CHIP (self), NULL);
  return self->field;
}
