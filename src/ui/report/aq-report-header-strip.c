/* aq-report-header-strip.c — the upper levels of a multi-level column header
 *
 * GtkColumnView draws one header row; the levels above it (a month over its indicators, a DMA
 * level over its months) are drawn here as boxes whose widths are the sums of the leaf columns
 * they span, shifted by the column view's horizontal scroll offset. The grid keeps the leaf
 * widths fixed, so the spans stay aligned.
 */
#define G_LOG_DOMAIN "aq-report-header-strip"

#include "config.h"

#include "aq-report-header-strip.h"

#define LEVEL_HEIGHT 28

struct _AqReportHeaderStrip
{
  GtkWidget  parent_instance;

  GPtrArray *levels;
  GArray    *widths;
  double     offset;
};

G_DEFINE_FINAL_TYPE (AqReportHeaderStrip, aq_report_header_strip, GTK_TYPE_WIDGET)

AqHeaderSpan *
aq_header_span_new (const char *label,
                    guint       first,
                    guint       n)
{
  AqHeaderSpan *span = g_new0 (AqHeaderSpan, 1);

  span->label = g_strdup (label ? label : "");
  span->first = first;
  span->n = n;
  return span;
}

void
aq_header_span_free (AqHeaderSpan *span)
{
  if (span == NULL)
    return;
  g_free (span->label);
  g_free (span);
}

/* ---- GtkWidget overrides ---- */

static void
aq_report_header_strip_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  AqReportHeaderStrip *self = AQ_REPORT_HEADER_STRIP (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = (self->levels ? self->levels->len : 0) * LEVEL_HEIGHT;
  else
    *minimum = *natural = 0;
}

static void
aq_report_header_strip_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  AqReportHeaderStrip *self = AQ_REPORT_HEADER_STRIP (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA ink;
  GdkRGBA line;

  if (self->levels == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &ink);
  line = ink;
  line.alpha = 0.18;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width,
                                                         gtk_widget_get_height (widget)));
  for (guint l = 0; l < self->levels->len; l++)
    {
      GPtrArray *spans = g_ptr_array_index (self->levels, l);
      double y = l * LEVEL_HEIGHT;

      for (guint s = 0; s < spans->len; s++)
        {
          AqHeaderSpan *span = g_ptr_array_index (spans, s);
          double x = -self->offset;
          double w = 0;
          g_autoptr(PangoLayout) layout = NULL;
          int tw;
          int th;

          for (guint c = 0; c < span->first && c < self->widths->len; c++)
            x += g_array_index (self->widths, int, c);
          for (guint c = span->first; c < span->first + span->n && c < self->widths->len; c++)
            w += g_array_index (self->widths, int, c);
          if (x + w < 0 || x > width || w <= 0)
            continue;

          /* the box's right and bottom rules */
          gtk_snapshot_append_color (snapshot, &line,
                                     &GRAPHENE_RECT_INIT (x + w - 1, y, 1, LEVEL_HEIGHT));
          gtk_snapshot_append_color (snapshot, &line,
                                     &GRAPHENE_RECT_INIT (x, y + LEVEL_HEIGHT - 1, w, 1));

          layout = gtk_widget_create_pango_layout (widget, span->label);
          pango_layout_set_width (layout, (int) MAX (w - 8, 1) * PANGO_SCALE);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          pango_layout_get_pixel_size (layout, &tw, &th);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (x + 4, y + (LEVEL_HEIGHT - th) / 2.0));
          gtk_snapshot_append_layout (snapshot, layout, &ink);
          gtk_snapshot_restore (snapshot);
        }
    }
  gtk_snapshot_pop (snapshot);
}

/* ---- GObject overrides ---- */

static void
aq_report_header_strip_finalize (GObject *object)
{
  AqReportHeaderStrip *self = AQ_REPORT_HEADER_STRIP (object);

  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_array_unref (self->widths);

  G_OBJECT_CLASS (aq_report_header_strip_parent_class)->finalize (object);
}

static void
aq_report_header_strip_class_init (AqReportHeaderStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = aq_report_header_strip_finalize;
  widget_class->measure = aq_report_header_strip_measure;
  widget_class->snapshot = aq_report_header_strip_snapshot;
  gtk_widget_class_set_css_name (widget_class, "report-header-strip");
}

static void
aq_report_header_strip_init (AqReportHeaderStrip *self)
{
  self->widths = g_array_new (FALSE, TRUE, sizeof (int));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

/* ---- public API ---- */

GtkWidget *
aq_report_header_strip_new (void)
{
  return g_object_new (AQ_TYPE_REPORT_HEADER_STRIP, NULL);
}

void
aq_report_header_strip_set_levels (AqReportHeaderStrip *self,
                                   GPtrArray           *levels)
{
  g_return_if_fail (AQ_IS_REPORT_HEADER_STRIP (self));

  g_clear_pointer (&self->levels, g_ptr_array_unref);
  self->levels = levels;
  gtk_widget_set_visible (GTK_WIDGET (self), levels != NULL && levels->len > 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
aq_report_header_strip_set_widths (AqReportHeaderStrip *self,
                                   const int           *widths,
                                   guint                n_widths)
{
  g_return_if_fail (AQ_IS_REPORT_HEADER_STRIP (self));

  g_array_set_size (self->widths, 0);
  g_array_append_vals (self->widths, widths, n_widths);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
aq_report_header_strip_set_offset (AqReportHeaderStrip *self,
                                   double               offset)
{
  g_return_if_fail (AQ_IS_REPORT_HEADER_STRIP (self));

  self->offset = offset;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (transfer none) (nullable): per level, AqHeaderSpan*s */
GPtrArray *
aq_report_header_strip_get_levels (AqReportHeaderStrip *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_HEADER_STRIP (self), NULL);
  return self->levels;
}
