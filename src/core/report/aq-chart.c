/* aq-chart.c — bar, line and pie charts drawn with cairo
 *
 * Not a widget: the report's chart view, a PNG export and the tests call the same function on
 * their own cairo_t. Text goes through pangocairo so Chinese labels render. Pies take the first
 * series only (a pie of several series means nothing); negative values are left out of pies.
 */
#define G_LOG_DOMAIN "aq-chart"

#include "config.h"

#include "aq-chart.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

/* Tableau-like colours that stay apart for the colour-blind and in print. */
static const double palette[][3] = {
  { 0.12, 0.47, 0.71 }, { 1.00, 0.50, 0.05 }, { 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
  { 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
  { 0.74, 0.74, 0.13 }, { 0.09, 0.75, 0.81 },
};

#define MARGIN 12.0
#define CHART_MAX_CATEGORIES 60
#define CHART_MAX_SERIES 8

static void
series_free (gpointer data)
{
  AqChartSeries *series = data;

  g_free (series->name);
  g_free (series->values);
  g_free (series);
}

AqChartData *
aq_chart_data_new (const char *title)
{
  AqChartData *data = g_new0 (AqChartData, 1);

  data->title = g_strdup (title);
  data->categories = g_ptr_array_new_with_free_func (g_free);
  data->series = g_ptr_array_new_with_free_func (series_free);
  return data;
}

void
aq_chart_data_free (AqChartData *data)
{
  if (data == NULL)
    return;
  g_free (data->title);
  g_ptr_array_unref (data->categories);
  g_ptr_array_unref (data->series);
  g_free (data);
}

void
aq_chart_data_add_category (AqChartData *data,
                            const char  *category)
{
  g_return_if_fail (data != NULL);
  g_return_if_fail (data->series->len == 0);
  g_ptr_array_add (data->categories, g_strdup (category ? category : ""));
}

void
aq_chart_data_add_series (AqChartData  *data,
                          const char   *name,
                          const double *values)
{
  AqChartSeries *series;

  g_return_if_fail (data != NULL);

  series = g_new0 (AqChartSeries, 1);
  series->name = g_strdup (name ? name : "");
  series->values = g_memdup2 (values, sizeof (double) * MAX (data->categories->len, 1));
  g_ptr_array_add (data->series, series);
}

/* ---- drawing helpers ---- */

static double
text_width_at (cairo_t    *cr,
               const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 9");
  int w;
  int h;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  pango_font_description_free (font);
  g_object_unref (layout);
  return w;
}

static void
text_at (cairo_t    *cr,
         const char *text,
         double      x,
         double      y,
         double      xalign,
         double      yalign,
         double      max_width,
         gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (bold ? "Sans Bold 10"
                                                                        : "Sans 9");
  int w;
  int h;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
format_tick (double value,
             char   buffer[32])
{
  double a = fabs (value);

  if (a >= 1e8)
    g_snprintf (buffer, 32, "%.1f亿", value / 1e8);
  else if (a >= 1e4)
    g_snprintf (buffer, 32, "%.1f万", value / 1e4);
  else if (a >= 100 || value == floor (value))
    g_snprintf (buffer, 32, "%.0f", value);
  else
    g_snprintf (buffer, 32, "%.2f", value);
}

/* A "nice" step (1, 2, 5 × 10^k) giving about five ticks over [lo, hi]. */
static double
nice_step (double span)
{
  double raw = span / 5;
  double magnitude = pow (10, floor (log10 (raw)));
  double residual = raw / magnitude;

  if (residual > 5)
    return 10 * magnitude;
  if (residual > 2)
    return 5 * magnitude;
  if (residual > 1)
    return 2 * magnitude;
  return magnitude;
}

static void
legend (cairo_t           *cr,
        const AqChartData *data,
        double             x,
        double             y,
        double             width,
        const double       ink[3])
{
  double cx = x;

  for (guint s = 0; s < data->series->len && s < 12; s++)
    {
      AqChartSeries *series = g_ptr_array_index (data->series, s);
      const double *c = palette[s % G_N_ELEMENTS (palette)];

      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_rectangle (cr, cx, y + 3, 10, 10);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
      text_at (cr, series->name, cx + 14, y, 0, 0, 130, FALSE);
      cx += 150;
      if (cx + 150 > x + width)
        {
          cx = x;
          y += 16;
        }
    }
}

static guint
render_axes_chart (cairo_t           *cr,
                   AqChartKind        kind,
                   const AqChartData *data,
                   double             width,
                   double             height,
                   const double       ink[3])
{
  guint n_cat = data->categories->len;
  guint n_series = data->series->len;
  double lo = 0;
  double hi = 0;
  double step;
  double left = MARGIN + 56;
  double top = MARGIN + 26;
  double bottom = height - MARGIN - 40;
  double right = width - MARGIN;
  double plot_w;
  double plot_h;
  double band;
  guint marks = 0;

  if (kind == AQ_CHART_STACKED)
    /* a stack per category: positives up from 0, negatives down */
    for (guint i = 0; i < n_cat; i++)
      {
        double up = 0, down = 0;

        for (guint s = 0; s < n_series; s++)
          {
            double v = ((AqChartSeries *) g_ptr_array_index (data->series, s))->values[i];

            if (!isnan (v))
              *(v >= 0 ? &up : &down) += v;
          }
        lo = MIN (lo, down);
        hi = MAX (hi, up);
      }
  else
    for (guint s = 0; s < n_series; s++)
      {
        AqChartSeries *series = g_ptr_array_index (data->series, s);

        for (guint i = 0; i < n_cat; i++)
          if (!isnan (series->values[i]))
            {
              lo = MIN (lo, series->values[i]);
              hi = MAX (hi, series->values[i]);
            }
      }
  if (hi == lo)
    hi = lo + 1;
  step = nice_step (hi - lo);
  lo = floor (lo / step) * step;
  hi = ceil (hi / step) * step;
  plot_w = MAX (right - left, 1);
  plot_h = MAX (bottom - top, 1);
  band = plot_w / MAX (n_cat, 1);

#define Y_OF(v) (bottom - ((v) - lo) / (hi - lo) * plot_h)

  /* grid and ticks */
  cairo_set_line_width (cr, 1);
  for (double t = lo; t <= hi + step / 2; t += step)
    {
      char tick[32];
      double y = round (Y_OF (t)) + 0.5;

      cairo_set_source_rgba (cr, ink[0], ink[1], ink[2], t == 0 ? 0.6 : 0.15);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);
      format_tick (t, tick);
      cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
      text_at (cr, tick, left - 6, y, 1, 0.5, 0, FALSE);
    }

  /* category labels: every k-th when they would overlap */
  {
    guint every = MAX (1, (guint) ceil (70.0 / band));

    cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
    for (guint i = 0; i < n_cat; i += every)
      text_at (cr, g_ptr_array_index (data->categories, i), left + band * (i + 0.5),
               bottom + 4, 0.5, 0, band * every - 4, FALSE);
  }

  if (kind == AQ_CHART_STACKED)
    {
      for (guint i = 0; i < n_cat; i++)
        {
          double up = 0, down = 0;

          for (guint s = 0; s < n_series; s++)
            {
              double v = ((AqChartSeries *) g_ptr_array_index (data->series, s))->values[i];
              const double *c = palette[s % G_N_ELEMENTS (palette)];
              double *base = v >= 0 ? &up : &down;
              double y0, y1;

              if (isnan (v) || v == 0)
                continue;
              y0 = Y_OF (*base);
              y1 = Y_OF (*base + v);
              *base += v;
              cairo_set_source_rgb (cr, c[0], c[1], c[2]);
              cairo_rectangle (cr, left + band * i + band * 0.15, MIN (y0, y1),
                               MAX (band * 0.7 - 1, 1), fabs (y1 - y0));
              cairo_fill (cr);
              marks++;
            }
        }
      n_series = 0;   /* drawn */
    }

  for (guint s = 0; s < n_series; s++)
    {
      AqChartSeries *series = g_ptr_array_index (data->series, s);
      const double *c = palette[s % G_N_ELEMENTS (palette)];
      gboolean pen_down = FALSE;

      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      for (guint i = 0; i < n_cat; i++)
        {
          double v = series->values[i];

          if (isnan (v))
            {
              pen_down = FALSE;
              continue;
            }
          if (kind == AQ_CHART_BAR)
            {
              double group = band * 0.8;
              double bar = group / n_series;
              double x = left + band * i + band * 0.1 + bar * s;
              double y0 = Y_OF (MAX (lo, 0));
              double y1 = Y_OF (v);

              cairo_rectangle (cr, x, MIN (y0, y1), MAX (bar - 1, 1), fabs (y1 - y0));
              cairo_fill (cr);
            }
          else
            {
              double x = left + band * (i + 0.5);

              if (pen_down)
                cairo_line_to (cr, x, Y_OF (v));
              else
                cairo_move_to (cr, x, Y_OF (v));
              pen_down = TRUE;
            }
          marks++;
        }
      if (kind == AQ_CHART_LINE)
        {
          cairo_set_line_width (cr, 2);
          cairo_stroke (cr);
          for (guint i = 0; i < n_cat; i++)
            if (!isnan (series->values[i]))
              {
                cairo_arc (cr, left + band * (i + 0.5), Y_OF (series->values[i]), 3, 0,
                           2 * G_PI);
                cairo_fill (cr);
              }
        }
    }
#undef Y_OF

  legend (cr, data, left, height - MARGIN - 18, plot_w, ink);
  return marks;
}

static guint
render_pie (cairo_t           *cr,
            const AqChartData *data,
            double             width,
            double             height,
            const double       ink[3])
{
  AqChartSeries *series;
  double total = 0;
  double angle = -G_PI / 2;
  double radius;
  double cx;
  double cy;
  guint marks = 0;

  if (data->series->len == 0)
    return 0;
  series = g_ptr_array_index (data->series, 0);
  for (guint i = 0; i < data->categories->len; i++)
    if (!isnan (series->values[i]) && series->values[i] > 0)
      total += series->values[i];
  if (total <= 0)
    return 0;

  /* the legend keeps its labels whole: the pie gets what they leave (not less than a small
   * disc, when the labels are ellipsized after all) */
  {
    double label_w = 0;

    for (guint i = 0; i < data->categories->len && i < 24; i++)
      {
        g_autofree char *label = NULL;

        if (isnan (series->values[i]) || series->values[i] <= 0)
          continue;
        label = g_strdup_printf ("%s  %.1f%%",
                                 (char *) g_ptr_array_index (data->categories, i),
                                 series->values[i] / total * 100);
        label_w = MAX (label_w, text_width_at (cr, label));
      }
    radius = MIN (MIN (width * 0.6, height - 2 * MARGIN - 30) / 2 - 10,
                  (width - 2 * MARGIN - 50 - label_w) / 2);
    radius = MAX (radius, MIN (28, MIN (width, height) / 4));
  }
  cx = MARGIN + radius + 10;
  cy = MARGIN + 30 + radius;
  for (guint i = 0; i < data->categories->len; i++)
    {
      double v = series->values[i];
      const double *c = palette[i % G_N_ELEMENTS (palette)];
      double sweep;
      g_autofree char *label = NULL;

      if (isnan (v) || v <= 0)
        continue;
      sweep = v / total * 2 * G_PI;
      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_move_to (cr, cx, cy);
      cairo_arc (cr, cx, cy, radius, angle, angle + sweep);
      cairo_close_path (cr);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      angle += sweep;

      /* the legend on the right, with shares */
      if (marks < 24)
        {
          double ly = MARGIN + 30 + marks * 18;

          cairo_set_source_rgb (cr, c[0], c[1], c[2]);
          cairo_rectangle (cr, cx + radius + 24, ly + 3, 10, 10);
          cairo_fill (cr);
          label = g_strdup_printf ("%s  %.1f%%", (char *) g_ptr_array_index (data->categories, i),
                                   v / total * 100);
          cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
          text_at (cr, label, cx + radius + 40, ly, 0, 0,
                   MAX (width - (cx + radius + 40) - MARGIN, 40), FALSE);
        }
      marks++;
    }
  return marks;
}

guint
aq_chart_render (cairo_t           *cr,
                 AqChartKind        kind,
                 const AqChartData *data,
                 double             width,
                 double             height,
                 const double       ink[3])
{
  guint marks;

  g_return_val_if_fail (cr != NULL, 0);
  g_return_val_if_fail (data != NULL, 0);

  if (data->categories->len == 0 || data->series->len == 0 || width < 40 || height < 40)
    return 0;

  cairo_save (cr);
  if (data->title != NULL)
    {
      cairo_set_source_rgb (cr, ink[0], ink[1], ink[2]);
      text_at (cr, data->title, MARGIN, MARGIN, 0, 0, width - 2 * MARGIN, TRUE);
    }
  if (kind == AQ_CHART_PIE)
    marks = render_pie (cr, data, width, height, ink);
  else
    marks = render_axes_chart (cr, kind, data, width, height, ink);
  cairo_restore (cr);
  return marks;
}

/* ---- from a report ---- */

AqChartData *
aq_chart_data_from_result (AqReportResult *result,
                           guint           value_index)
{
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint n_rows = aq_report_result_get_n_rows (result);
  guint n_levels = aq_report_result_get_n_header_levels (result);
  AqChartData *data = aq_chart_data_new (aq_report_result_get_title (result));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_series = 0;

  /* detail rows only: subtotals would double the bars */
  for (guint r = 0; r < n_rows && rows->len < CHART_MAX_CATEGORIES; r++)
    {
      g_autoptr(GString) label = g_string_new (NULL);

      if (n_dims > 0 && aq_report_result_get_row_kind (result, r) != AQ_REPORT_ROW_DETAIL)
        continue;
      for (guint d = 0; d < n_dims; d++)
        {
          const char *text = aq_report_result_get_row_label (result, r, d);

          if (label->len > 0)
            g_string_append (label, " / ");
          g_string_append (label, text ? text : "");
        }
      aq_chart_data_add_category (data, label->len > 0 ? label->str
                                                       : C_("report designer", "Total"));
      g_array_append_val (rows, r);
    }
  for (guint c = 0; c < n_cols && n_series < CHART_MAX_SERIES; c++)
    {
      g_autofree double *values = NULL;
      g_autoptr(GString) name = g_string_new (NULL);

      /* one indicator, its column members as the series: bars of different units on one axis
       * mean nothing */
      if (aq_report_result_get_column_kind (result, c) != AQ_REPORT_COLUMN_DETAIL
          || aq_report_result_get_column_value_index (result, c) != value_index)
        continue;
      values = g_new (double, MAX (rows->len, 1));
      for (guint i = 0; i < rows->len; i++)
        if (!aq_report_result_get_cell (result, g_array_index (rows, guint, i), c, &values[i]))
          values[i] = NAN;
      for (guint l = 0; l < n_levels; l++)
        {
          const char *text = aq_report_result_get_column_header (result, c, l);

          if (text == NULL)
            continue;
          if (name->len > 0)
            g_string_append (name, " · ");
          g_string_append (name, text);
        }
      aq_chart_data_add_series (data, name->str, values);
      n_series++;
    }
  return data;
}
