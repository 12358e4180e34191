/* aq-report-chart-view.c — the report's result as a chart
 *
 * A GtkDrawingArea whose draw function is aq_chart_render(), in the theme's text colour; the
 * kind is the "chart.kind" stateful action behind the three toggle buttons.
 */
#define G_LOG_DOMAIN "aq-report-chart-view"

#include "config.h"

#include "aq-report-chart-view.h"

#include <glib/gi18n.h>

struct _AqReportChartView
{
  GtkWidget       parent_instance;

  GtkDrawingArea *area;
  GtkLabel       *empty_label;
  GtkDropDown    *value_dropdown;

  AqChartData    *data;
  AqChartKind     kind;
  guint           marks;
};

G_DEFINE_FINAL_TYPE (AqReportChartView, aq_report_chart_view, GTK_TYPE_WIDGET)

static const char * const kind_names[] = { "bar", "line", "pie" };

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  VALUE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
value_selected_cb (AqReportChartView *self)
{
  g_signal_emit (self, signals[VALUE_CHANGED], 0);
}

/* ---- callbacks ---- */

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  AqReportChartView *self = AQ_REPORT_CHART_VIEW (user_data);
  GdkRGBA color;
  double ink[3];

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  ink[0] = color.red;
  ink[1] = color.green;
  ink[2] = color.blue;
  self->marks = self->data ? aq_chart_render (cr, self->kind, self->data, width, height, ink) : 0;
}

/* ---- GObject overrides ---- */

static void
aq_report_chart_view_dispose (GObject *object)
{
  AqReportChartView *self = AQ_REPORT_CHART_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_CHART_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->data, aq_chart_data_free);

  G_OBJECT_CLASS (aq_report_chart_view_parent_class)->dispose (object);
}

static void
aq_report_chart_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AqReportChartView *self = AQ_REPORT_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, kind_names[self->kind]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_report_chart_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AqReportChartView *self = AQ_REPORT_CHART_VIEW (object);
  const char *name;

  switch (prop_id)
    {
    case PROP_KIND:
      name = g_value_get_string (value);
      for (guint i = 0; name != NULL && i < G_N_ELEMENTS (kind_names); i++)
        if (g_str_equal (name, kind_names[i]))
          aq_report_chart_view_set_kind (self, i);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_report_chart_view_class_init (AqReportChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_chart_view_dispose;
  object_class->get_property = aq_report_chart_view_get_property;
  object_class->set_property = aq_report_chart_view_set_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "bar",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[VALUE_CHANGED] = g_signal_new ("value-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-chart-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportChartView, area);
  gtk_widget_class_bind_template_child (widget_class, AqReportChartView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, AqReportChartView, value_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, value_selected_cb);
  gtk_widget_class_install_property_action (widget_class, "chart.kind", "kind");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_report_chart_view_init (AqReportChartView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
}

/* ---- public API ---- */

/* @data: (transfer full) (nullable) */
void
aq_report_chart_view_set_data (AqReportChartView *self,
                               AqChartData       *data)
{
  g_return_if_fail (AQ_IS_REPORT_CHART_VIEW (self));

  g_clear_pointer (&self->data, aq_chart_data_free);
  self->data = data;
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label),
                          data == NULL || data->categories->len == 0 || data->series->len == 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* The values the chart can show, one at a time (the selection is kept when it still exists). */
void
aq_report_chart_view_set_value_names (AqReportChartView  *self,
                                      const char * const *names)
{
  g_autoptr(GtkStringList) model = NULL;
  guint selected;

  g_return_if_fail (AQ_IS_REPORT_CHART_VIEW (self));

  selected = gtk_drop_down_get_selected (self->value_dropdown);
  g_signal_handlers_block_by_func (self->value_dropdown, value_selected_cb, self);
  model = gtk_string_list_new (names);
  gtk_drop_down_set_model (self->value_dropdown, G_LIST_MODEL (model));
  if (names != NULL && selected != GTK_INVALID_LIST_POSITION
      && selected < g_strv_length ((char **) names))
    gtk_drop_down_set_selected (self->value_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->value_dropdown, value_selected_cb, self);
  gtk_widget_set_visible (GTK_WIDGET (self->value_dropdown),
                          names != NULL && g_strv_length ((char **) names) > 1);
}

guint
aq_report_chart_view_get_value_index (AqReportChartView *self)
{
  guint selected;

  g_return_val_if_fail (AQ_IS_REPORT_CHART_VIEW (self), 0);
  selected = gtk_drop_down_get_selected (self->value_dropdown);
  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

AqChartKind
aq_report_chart_view_get_kind (AqReportChartView *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_CHART_VIEW (self), AQ_CHART_BAR);
  return self->kind;
}

void
aq_report_chart_view_set_kind (AqReportChartView *self,
                               AqChartKind        kind)
{
  g_return_if_fail (AQ_IS_REPORT_CHART_VIEW (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* the bars, points or slices the last drawing showed */
guint
aq_report_chart_view_get_marks (AqReportChartView *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_CHART_VIEW (self), 0);
  return self->marks;
}
