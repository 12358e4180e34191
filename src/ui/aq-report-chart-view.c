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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-chart-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportChartView, area);
  gtk_widget_class_bind_template_child (widget_class, AqReportChartView, empty_label);
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
