/* aq-reading-chart.c — an account's consumption per period, odd reads marked
 *
 * One bar per period of the readings section, oldest on the left. Zero, estimated, abnormal
 * and unread periods are what an agent is asked about ("why is my bill zero?", "why was it
 * estimated?"), so each has its own colour and mark, and a legend says which is which.
 * aq_reading_chart_render() draws on any cairo_t: the widget's snapshot, a PNG or a PDF.
 */
#define G_LOG_DOMAIN "aq-reading-chart"

#include "config.h"

#include "aq-reading-chart.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  char          *period;
  gint64         qty;
  AqReadingFlag  flag;
} Point;

struct _AqReadingChart
{
  GtkWidget  parent_instance;

  GArray    *points;   /* (element-type Point): oldest first */
  GdkRGBA    fg;
};

G_DEFINE_FINAL_TYPE (AqReadingChart, aq_reading_chart, GTK_TYPE_WIDGET)

#define MARGIN_LEFT   44.0
#define MARGIN_RIGHT  12.0
#define MARGIN_TOP    30.0
#define MARGIN_BOTTOM 22.0

/* GNOME's palette: blue for the ordinary, then yellow, red, purple and grey for the odd */
static const struct
{
  double      r, g, b;
  const char *label;
} styles[] = {
  [AQ_READING_NORMAL] = { 0.208, 0.518, 0.894, N_("Read") },
  [AQ_READING_ZERO] = { 0.569, 0.255, 0.675, N_("Zero") },
  [AQ_READING_ESTIMATED] = { 0.898, 0.647, 0.039, N_("Estimated") },
  [AQ_READING_ABNORMAL] = { 0.878, 0.106, 0.141, N_("Abnormal") },
  [AQ_READING_UNREAD] = { 0.604, 0.600, 0.588, N_("Not read") },
};

/* ---- auxiliary methods ---- */

static void
point_clear (gpointer data)
{
  Point *point = data;

  g_free (point->period);
}

static AqReadingFlag
flag_for (const char *status,
          gint64      qty)
{
  if (g_strcmp0 (status, "estimated") == 0)
    return AQ_READING_ESTIMATED;
  if (g_strcmp0 (status, "abnormal") == 0)
    return AQ_READING_ABNORMAL;
  if (g_strcmp0 (status, "valid") == 0)
    return qty == 0 ? AQ_READING_ZERO : AQ_READING_NORMAL;
  return AQ_READING_UNREAD;
}

/* The step of the four grid lines: a round number (1, 2, 3, 4, 5, 6, 8 times a power of
 * ten, or 15, 150…) at least @top / 4, so every line is labelled with a whole number. */
static double
grid_step (double top)
{
  static const double multipliers[] = { 1, 1.5, 2, 3, 4, 5, 6, 8, 10 };
  double wanted = MAX (top / 4, 1);
  double power = pow (10, floor (log10 (wanted)));

  for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
    if (multipliers[i] * power >= wanted && (power >= 10 || multipliers[i] != 1.5))
      return multipliers[i] * power;
  return 10 * power;
}

static void
set_fg (AqReadingChart *self,
        cairo_t        *cr,
        double          alpha)
{
  cairo_set_source_rgba (cr, self->fg.red, self->fg.green, self->fg.blue, self->fg.alpha * alpha);
}

/* Text through Pango, not cairo's toy API: it picks a CJK font for Chinese labels. */
static double
text_width (cairo_t    *cr,
            const char *text)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  int width, height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

/* @y is the baseline; @xalign 0 puts @x at the text's left end, 1 at its right end */
static void
draw_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      xalign)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  int width, height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * xalign, y - pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_legend (AqReadingChart *self,
             cairo_t        *cr,
             int             width)
{
  double x = width - MARGIN_RIGHT;

  /* right to left, so the legend ends where the plot does */
  for (int f = G_N_ELEMENTS (styles) - 1; f >= 0; f--)
    {
      const char *label = _(styles[f].label);

      x -= text_width (cr, label);
      set_fg (self, cr, 0.8);
      draw_text (cr, label, x, 14, 0);
      x -= 14;
      cairo_set_source_rgb (cr, styles[f].r, styles[f].g, styles[f].b);
      if (f == AQ_READING_ZERO)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x + 5, 10, 4, 0, 2 * G_PI);
          cairo_set_line_width (cr, 2);
          cairo_stroke (cr);
        }
      else
        {
          cairo_rectangle (cr, x, 5, 10, 10);
          cairo_fill (cr);
        }
      x -= 16;
    }
}

/* ---- callbacks ---- */

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  AqReadingChart *self = AQ_READING_CHART (widget);
  g_autofree char *text = NULL;
  int index;

  index = aq_reading_chart_point_at (self, x, gtk_widget_get_width (widget));
  if (index < 0)
    return FALSE;
  text = aq_reading_chart_describe_point (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- GtkWidget overrides ---- */

static void
aq_reading_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AqReadingChart *self = AQ_READING_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &self->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  aq_reading_chart_render (self, cr, width, height);
  cairo_destroy (cr);
}

/* ---- GObject overrides ---- */

static void
aq_reading_chart_finalize (GObject *object)
{
  AqReadingChart *self = AQ_READING_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  G_OBJECT_CLASS (aq_reading_chart_parent_class)->finalize (object);
}

static void
aq_reading_chart_class_init (AqReadingChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = aq_reading_chart_finalize;
  widget_class->snapshot = aq_reading_chart_snapshot;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-reading-chart.ui");
  gtk_widget_class_set_css_name (widget_class, "reading-chart");
  gtk_widget_class_bind_template_callback (widget_class, query_tooltip_cb);
}

static void
aq_reading_chart_init (AqReadingChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, point_clear);
  self->fg = (GdkRGBA) { 0.2, 0.2, 0.2, 1.0 };
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkWidget *
aq_reading_chart_new (void)
{
  return g_object_new (AQ_TYPE_READING_CHART, NULL);
}

/**
 * aq_reading_chart_set_readings:
 * @rows: (nullable): the 360's readings rows (period, qty, read_status…), newest first
 */
void
aq_reading_chart_set_readings (AqReadingChart *self,
                               JsonArray      *rows)
{
  guint n;

  g_return_if_fail (AQ_IS_READING_CHART (self));

  g_array_set_size (self->points, 0);
  n = rows ? json_array_get_length (rows) : 0;
  for (guint i = n; i-- > 0;)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      Point point = { 0 };

      point.period = g_strdup (json_object_get_string_member_with_default (row, "period", ""));
      point.qty = json_object_get_int_member_with_default (row, "qty", 0);
      point.flag = flag_for (json_object_get_string_member_with_default (row, "read_status", NULL),
                             point.qty);
      g_array_append_val (self->points, point);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
aq_reading_chart_get_n_points (AqReadingChart *self)
{
  g_return_val_if_fail (AQ_IS_READING_CHART (self), 0);
  return self->points->len;
}

/* Returns: how the @index-th point (oldest first) is marked */
AqReadingFlag
aq_reading_chart_get_flag (AqReadingChart *self,
                           guint           index)
{
  g_return_val_if_fail (AQ_IS_READING_CHART (self), AQ_READING_NORMAL);
  g_return_val_if_fail (index < self->points->len, AQ_READING_NORMAL);
  return g_array_index (self->points, Point, index).flag;
}

/* Returns: the @index-th point's period ("2026-10-01"), oldest first */
const char *
aq_reading_chart_get_period (AqReadingChart *self,
                             guint           index)
{
  g_return_val_if_fail (AQ_IS_READING_CHART (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);
  return g_array_index (self->points, Point, index).period;
}

/* Returns: (transfer full): what the tooltip over the @index-th point says */
char *
aq_reading_chart_describe_point (AqReadingChart *self,
                                 guint           index)
{
  g_autofree char *qty = NULL;
  Point *point;

  g_return_val_if_fail (AQ_IS_READING_CHART (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);

  point = &g_array_index (self->points, Point, index);
  qty = g_strdup_printf ("%" G_GINT64_FORMAT, point->qty);
  /* Translators: a chart's tooltip: the month ("2026-10"), the volume used and how it was
   * read ("Estimated") */
  return g_strdup_printf (_("%.7s: %s m³ (%s)"), point->period, qty,
                          _(styles[point->flag].label));
}

/* Returns: the point under @x in a chart @width wide, -1 for none */
int
aq_reading_chart_point_at (AqReadingChart *self,
                           double          x,
                           int             width)
{
  double plot_width = width - MARGIN_LEFT - MARGIN_RIGHT;
  int index;

  g_return_val_if_fail (AQ_IS_READING_CHART (self), -1);

  if (self->points->len == 0 || plot_width <= 0 || x < MARGIN_LEFT)
    return -1;
  index = (int) ((x - MARGIN_LEFT) / (plot_width / self->points->len));
  return index < (int) self->points->len ? index : -1;
}

/**
 * aq_reading_chart_render:
 * @cr: where to draw: the widget's snapshot, an image or a PDF surface
 *
 * Draws the chart into the rectangle (0, 0, @width, @height) of @cr.
 */
void
aq_reading_chart_render (AqReadingChart *self,
                         cairo_t        *cr,
                         int             width,
                         int             height)
{
  double plot_width = width - MARGIN_LEFT - MARGIN_RIGHT;
  double plot_height = height - MARGIN_TOP - MARGIN_BOTTOM;
  double top = 0, slot, bottom = height - MARGIN_BOTTOM;
  guint n, label_every;

  g_return_if_fail (AQ_IS_READING_CHART (self));
  g_return_if_fail (cr != NULL);

  n = self->points->len;
  if (plot_width <= 0 || plot_height <= 0)
    return;

  cairo_save (cr);

  set_fg (self, cr, 0.8);
  draw_text (cr, _("m³ per period"), 0, 14, 0);
  draw_legend (self, cr, width);

  for (guint i = 0; i < n; i++)
    top = MAX (top, (double) g_array_index (self->points, Point, i).qty);
  top = 4 * grid_step (top);

  /* four grid lines with their values */
  cairo_set_line_width (cr, 1);
  for (int g = 0; g <= 4; g++)
    {
      double y = round (bottom - plot_height * g / 4.0) + 0.5;
      g_autofree char *value = g_strdup_printf ("%g", top * g / 4.0);

      set_fg (self, cr, g == 0 ? 0.5 : 0.12);
      cairo_move_to (cr, MARGIN_LEFT, y);
      cairo_line_to (cr, width - MARGIN_RIGHT, y);
      cairo_stroke (cr);
      set_fg (self, cr, 0.7);
      draw_text (cr, value, MARGIN_LEFT - 6, y + 4, 1.0);
    }

  if (n == 0)
    {
      set_fg (self, cr, 0.6);
      draw_text (cr, _("No readings"), MARGIN_LEFT + plot_width / 2, MARGIN_TOP + plot_height / 2,
                 0.5);
      cairo_restore (cr);
      return;
    }

  slot = plot_width / n;
  for (guint i = 0; i < n; i++)
    {
      Point *point = &g_array_index (self->points, Point, i);
      double x = MARGIN_LEFT + slot * i;
      double bar = MAX (1.0, slot * 0.7);
      double h = plot_height * point->qty / top;

      cairo_set_source_rgb (cr, styles[point->flag].r, styles[point->flag].g,
                            styles[point->flag].b);
      if (point->flag == AQ_READING_ZERO || (point->qty == 0 && point->flag != AQ_READING_NORMAL))
        {
          /* nothing to draw a bar of: a ring on the axis instead */
          double radius = CLAMP (slot * 0.3, 2.5, 4.5);

          cairo_new_sub_path (cr);
          cairo_arc (cr, x + slot / 2, bottom - radius - 1, radius, 0, 2 * G_PI);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
      else
        {
          cairo_rectangle (cr, x + (slot - bar) / 2, bottom - h, bar, h);
          cairo_fill (cr);
        }
    }

  /* a period label about every 60 pixels, always on a January when there is room for a year */
  label_every = MAX (1, (guint) ceil (60.0 / slot));
  if (label_every > 1 && label_every < 12)
    label_every = label_every <= 3 ? 3 : label_every <= 6 ? 6 : 12;
  set_fg (self, cr, 0.7);
  for (guint i = 0; i < n; i++)
    {
      const char *period = g_array_index (self->points, Point, i).period;
      int month = strlen (period) >= 7 ? atoi (period + 5) : 1;
      g_autofree char *label = NULL;

      if (label_every > 1 && (month - 1) % (int) MIN (label_every, 12) != 0)
        continue;
      label = g_strndup (period, 7);
      draw_text (cr, label, MARGIN_LEFT + slot * (i + 0.5), height - 6, 0.5);
    }
  cairo_restore (cr);
}
