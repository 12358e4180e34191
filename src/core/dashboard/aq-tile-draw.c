/* aq-tile-draw.c — one dashboard tile drawn with cairo and pango
 *
 * One function draws a tile for the cockpit panel, the kiosk's 1920×1080 canvas and a PNG or
 * PDF delivery, so they cannot disagree. Core, without GTK: the daemon draws deliveries
 * headless. The control-room style is calm: grey, large numerals, colour
 * only for a value past its thresholds and for the staleness badge. A stale tile keeps its
 * last good figures and says how old they are.
 */
#define G_LOG_DOMAIN "aq-tile-draw"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "aq-chart.h"
#include "aq-tile-draw.h"
#include "aq-tile-paint.h"

typedef struct
{
  double bg[3], card[3], ink[3], muted[3], line[3];
  double title_px, value_px_max, small_px;
  double chart_scale_max;   /* how much a chart's lettering may grow with its tile */
} Palette;

#define warning_rgb aq_tile_paint_warning_rgb
#define alarm_rgb aq_tile_paint_alarm_rgb
#define ok_rgb aq_tile_paint_ok_rgb

static void
get_palette (AqTileStyle  style,
             Palette     *p)
{
  if (style == AQ_TILE_STYLE_SCREEN)
    *p = (Palette) { { 0.16, 0.17, 0.18 }, { 0.22, 0.23, 0.25 }, { 0.93, 0.93, 0.92 },
                     { 0.62, 0.64, 0.66 }, { 0.35, 0.37, 0.40 }, 24, 96, 16, 2 };
  else
    *p = (Palette) { { 0.96, 0.96, 0.96 }, { 1, 1, 1 }, { 0.13, 0.14, 0.15 },
                     { 0.45, 0.47, 0.50 }, { 0.85, 0.86, 0.87 }, 15, 44, 12, 1 };
}

static void
set_rgb (cairo_t      *cr,
         const double  rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* the shared text helpers of aq-tile-paint.c */
#define text(cr, str, px, bold, x, y, max_width, align) \
  aq_tile_paint_text ((cr), (str), (px), (bold), (x), (y), (max_width), (align))
#define text_width(cr, str, px, bold) aq_tile_paint_text_width ((cr), (str), (px), (bold))

static void
rounded (cairo_t *cr,
         double   x,
         double   y,
         double   w,
         double   h,
         double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static char *
format_change (const AqTileData *data,
               gboolean          last_year)
{
  double change;

  if (!aq_tile_data_change ((AqTileData *) data, last_year, &change))
    return g_strdup ("—");
  if (data->percent)
    /* Translators: a change in percentage points, e.g. "+1.2 pp" */
    return g_strdup_printf (_("%+.1f pp"), change * 100);
  return g_strdup_printf ("%+.1f%%", change * 100);
}

static void
draw_spark (cairo_t          *cr,
            const AqTileData *data,
            const Palette    *p,
            const double      color[3],
            double            x,
            double            y,
            double            w,
            double            h)
{
  double lo = INFINITY, hi = -INFINITY;
  gboolean pen = FALSE;
  guint n = data->spark->len;

  if (n < 2 || w < 20 || h < 8)
    return;
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (data->spark, double, i);

      if (!isnan (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (!isfinite (lo))
    return;
  if (hi - lo < 1e-12)
    {
      lo -= 1;
      hi += 1;
    }
  cairo_save (cr);
  set_rgb (cr, color);
  cairo_set_line_width (cr, MAX (1.5, h / 24));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (data->spark, double, i);
      double px = x + w * i / (n - 1);
      double py = y + h - (v - lo) / (hi - lo) * h;

      if (isnan (v))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = TRUE;
    }
  cairo_stroke (cr);
  /* the period's point */
  {
    double v = g_array_index (data->spark, double, n - 1);

    if (!isnan (v))
      {
        cairo_arc (cr, x + w, y + h - (v - lo) / (hi - lo) * h, MAX (2.5, h / 14), 0, 2 * G_PI);
        cairo_fill (cr);
      }
  }
  cairo_restore (cr);
  (void) p;
}

/* A KPI at any width: the value shrinks so its unit stays beside it; below about 200 px the
 * changes against the month before and the year before go on two lines instead of being
 * cut (the compact layout). */
static void
draw_kpi (cairo_t          *cr,
          const Palette    *p,
          const AqTileDrawState *s,
          double            x,
          double            y,
          double            w,
          double            h)
{
  const AqTileData *data = s->data;
  g_autofree char *value = aq_tile_data_format_value ((AqTileData *) data);
  g_autofree char *mom = format_change (data, FALSE);
  g_autofree char *yoy = format_change (data, TRUE);
  g_autofree char *changes = NULL;
  const double *value_rgb = p->ink;
  double value_px = MIN (p->value_px_max, MIN (h * 0.42, w / MAX (4, g_utf8_strlen (value, -1)
                                                                     * 0.62)));
  double change_px = p->small_px * 1.1;
  double unit_px = p->small_px * 1.2;
  double vw, uw = 0, line_y;
  gboolean show_unit = data->unit && *data->unit && !data->percent;
  gboolean split = FALSE;
  int n_lines = s->tile->has_target ? 1 : 0;

  if (data->status == AQ_TILE_STATUS_WARNING)
    value_rgb = warning_rgb;
  else if (data->status == AQ_TILE_STATUS_ALARM)
    value_rgb = alarm_rgb;

  /* the lines under the value must fit below it: the value gives way */
  if (data->period)
    {
      /* Translators: the changes of a KPI against the month before and the same month a
       * year before */
      changes = g_strdup_printf (_("MoM %s   YoY %s"), mom, yoy);
      split = text_width (cr, changes, change_px, FALSE) > w;
      n_lines += split ? 2 : 1;
    }
  /* (a CJK line is about 1.5 × its size high) */
  value_px = MAX (MIN (value_px, (h - n_lines * change_px * 1.5 - 4) / 1.25), p->small_px);

  /* the value and its unit side by side: the value shrinks (down to half) rather than the
   * unit being cut; the unit goes when even that is too wide */
  vw = text_width (cr, value, value_px, TRUE);
  if (show_unit)
    {
      uw = text_width (cr, data->unit, unit_px, FALSE) + 2;
      if (vw + 6 + uw > w && vw > 0)
        {
          double fit = value_px * (w - 6 - uw) / vw;

          if (fit >= value_px * 0.5)
            value_px = fit;
          else
            show_unit = FALSE;
          vw = text_width (cr, value, value_px, TRUE);
        }
    }
  set_rgb (cr, value_rgb);
  text (cr, value, value_px, TRUE, x, y, w, 0);
  if (show_unit)
    {
      set_rgb (cr, p->muted);
      text (cr, data->unit, unit_px, FALSE, x + vw + 6,
            y + value_px * 1.15 - p->small_px * 1.6, MAX (uw, w - vw - 6), 0);
    }
  line_y = y + value_px * 1.25;
  if (data->period)
    {
      set_rgb (cr, p->muted);
      if (!split)
        line_y += text (cr, changes, change_px, FALSE, x, line_y, w, 0) + 2;
      else
        {
          /* Translators: a KPI's change against the month before, on a line of its own */
          g_autofree char *one = g_strdup_printf (_("MoM %s"), mom);
          /* Translators: a KPI's change against the same month a year before */
          g_autofree char *two = g_strdup_printf (_("YoY %s"), yoy);

          line_y += text (cr, one, change_px, FALSE, x, line_y, w, 0);
          line_y += text (cr, two, change_px, FALSE, x, line_y, w, 0) + 2;
        }
    }
  if (s->tile->has_target)
    {
      g_autofree char *target = aq_report_format_number (s->tile->target, data->format
                                                                            ? data->format
                                                                            : "#,##0");
      g_autofree char *line = g_strdup_printf (_("Target %s"), target);

      set_rgb (cr, p->muted);
      line_y += text (cr, line, change_px, FALSE, x, line_y, w, 0) + 2;
    }
  if (data->spark->len > 1 && y + h - line_y > 16)
    draw_spark (cr, data, p, data->status >= AQ_TILE_STATUS_WARNING ? value_rgb : p->muted,
                x + 2, line_y + 4, w - 8, MIN (y + h - line_y - 8, h * 0.35));
}

static void
table_layout (cairo_t               *cr,
              const Palette         *p,
              const AqTileDrawState *s,
              double                 w,
              double                 h,
              AqTileTableLayout     *out,
              GArray                *rows)
{
  AqReportResult *result = s->data->result;
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint limit = s->tile->limit ? s->tile->limit : 10;
  double label_need = 0, cols = 0;

  memset (out, 0, sizeof *out);
  out->n_cols = MIN (aq_report_result_get_n_columns (result), 3);
  out->row_h = MIN (h / (limit + 1), p->small_px * 2.4);
  out->px = out->row_h / 1.8;

  /* the rows shown, and the widths of their labels and figures at px */
  for (guint r = 0; r < aq_report_result_get_n_rows (result) && rows->len < limit; r++)
    {
      const char *label = NULL;

      if (n_dims > 0 && aq_report_result_get_row_kind (result, r) != AQ_REPORT_ROW_DETAIL)
        continue;
      g_array_append_val (rows, r);
      for (guint d = n_dims; d > 0 && label == NULL; d--)
        label = aq_report_result_get_row_label (result, r, d - 1);
      label_need = MAX (label_need, text_width (cr, label, out->px, FALSE));
      for (guint c = 0; c < out->n_cols; c++)
        out->col_w[c] = MAX (out->col_w[c],
                             text_width (cr, aq_report_result_get_cell_text (result, r, c),
                                         out->px, FALSE));
    }
  /* an empty list keeps its label column's header whole (the columns get the rest) */
  if (rows->len == 0 && n_dims > 0)
    label_need = text_width (cr, aq_report_result_get_row_dim_label (result, n_dims - 1),
                             out->px, FALSE);
  out->gap = out->px;
  for (guint c = 0; c < out->n_cols; c++)
    cols += out->col_w[c] + out->gap;
  /* the figures within two thirds of the tile, and the labels beside them whole if they can
   * be: the text shrinks, to 70 % at most */
  if (cols > w * 2 / 3 || cols + label_need + out->gap > w)
    {
      double k = MAX (0.7, MIN (w * 2 / 3 / cols, w / (cols + label_need + out->gap)));

      out->px *= k;
      out->gap *= k;
      /* measured again: text widths do not scale exactly with the size */
      label_need = 0;
      memset (out->col_w, 0, sizeof out->col_w);
      for (guint i = 0; i < rows->len; i++)
        {
          guint r = g_array_index (rows, guint, i);
          const char *label = NULL;

          for (guint d = n_dims; d > 0 && label == NULL; d--)
            label = aq_report_result_get_row_label (result, r, d - 1);
          label_need = MAX (label_need, text_width (cr, label, out->px, FALSE));
          for (guint c = 0; c < out->n_cols; c++)
            out->col_w[c] = MAX (out->col_w[c],
                                 text_width (cr, aq_report_result_get_cell_text (result, r, c),
                                             out->px, FALSE));
        }
      cols = 0;
      for (guint c = 0; c < out->n_cols; c++)
        cols += out->col_w[c] + out->gap;
    }
  out->label_w = w - cols;
  if (out->n_cols > 0 && out->label_w > label_need + out->gap)
    {
      double extra = (out->label_w - label_need - out->gap) / out->n_cols;

      for (guint c = 0; c < out->n_cols; c++)
        out->col_w[c] += extra;
      out->label_w = label_need + out->gap;
    }
  for (guint c = 0; c < out->n_cols; c++)
    out->col_w[c] += out->gap;
}

/* A figure column's header: a pivot's column dimension members (the upper header levels) go
 * before the value's name, so a report by priority does not read as a list of unnamed
 * repeats of one value. A rolled-up level's NULL means "merged with the label above". */
static void
column_header (AqReportResult *result,
               guint           col,
               char           *out,
               gsize           size)
{
  guint n_levels = aq_report_result_get_n_header_levels (result);
  g_autoptr(GString) h = g_string_new (NULL);

  for (guint l = 0; l < n_levels; l++)
    {
      const char *part = aq_report_result_get_column_header (result, col, l);

      if (part && *part)
        g_string_append_printf (h, "%s%s", h->len ? "·" : "", part);
    }
  g_utf8_strncpy (out, h->str, MIN ((gsize) g_utf8_strlen (h->str, -1), size / 4 - 1));
}

/* A table's rows: the label column gets what the figures leave. The figures are never cut:
 * each column is as wide as its widest shown figure, the text shrinks (down to 70 %) when
 * they do not fit beside a label column of a third of the tile, and the width the labels do
 * not need goes to the columns so their headers can be read. */
static void
draw_table (cairo_t          *cr,
            const Palette    *p,
            const AqTileDrawState *s,
            double            x,
            double            y,
            double            w,
            double            h)
{
  AqReportResult *result = s->data->result;
  guint n_dims = aq_report_result_get_n_row_dims (result);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  AqTileTableLayout l;
  double cx;

  table_layout (cr, p, s, w, h, &l, rows);
  l.n_rows = rows->len;
  set_rgb (cr, p->muted);
  if (n_dims > 0)
    text (cr, aq_report_result_get_row_dim_label (result, n_dims - 1), l.px, FALSE, x, y,
          l.label_w - 6, 0);
  cx = x + l.label_w;
  for (guint c = 0; c < l.n_cols; c++)
    {
      const char *header = l.header[c];
      double need, hpx;

      column_header (result, c, l.header[c], sizeof l.header[c]);
      need = text_width (cr, header, l.px, FALSE);
      /* a header wider than its figures gets smaller (to 75 %) before it is cut */
      hpx = need > l.col_w[c] - l.gap
            ? MAX (l.px * 0.75, l.px * (l.col_w[c] - l.gap) / need) : l.px;
      l.header_px[c] = hpx;
      text (cr, header, hpx, FALSE, cx + l.gap, y + (l.px - hpx) * 1.3, l.col_w[c] - l.gap, 1);
      cx += l.col_w[c];
    }
  if (s->table_layout)
    *s->table_layout = l;
  y += l.row_h;
  if (rows->len == 0)
    {
      /* the headers, then a line saying the list is empty (a mining list with no findings) */
      set_rgb (cr, p->muted);
      text (cr, _("Nothing to list"), l.px, FALSE, x, y + (l.row_h - l.px * 1.3) / 2, w, 0);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      guint r = g_array_index (rows, guint, i);
      const char *label = NULL;

      for (guint d = n_dims; d > 0 && label == NULL; d--)
        label = aq_report_result_get_row_label (result, r, d - 1);
      if (i % 2 == 1)
        {
          cairo_save (cr);
          cairo_set_source_rgba (cr, p->line[0], p->line[1], p->line[2], 0.35);
          cairo_rectangle (cr, x - 4, y, w + 8, l.row_h);
          cairo_fill (cr);
          cairo_restore (cr);
        }
      set_rgb (cr, p->ink);
      text (cr, label, l.px, FALSE, x, y + (l.row_h - l.px * 1.3) / 2, l.label_w - 6, 0);
      cx = x + l.label_w;
      for (guint c = 0; c < l.n_cols; c++)
        {
          const char *color = aq_report_result_get_cell_color (result, r, c);
          unsigned int red, green, blue;

          if (color && sscanf (color, "#%02x%02x%02x", &red, &green, &blue) == 3)
            cairo_set_source_rgb (cr, red / 255.0, green / 255.0, blue / 255.0);
          else
            set_rgb (cr, p->ink);
          /* one pixel of slack: a measured width rounds */
          text (cr, aq_report_result_get_cell_text (result, r, c), l.px, FALSE,
                cx + l.gap - 1, y + (l.row_h - l.px * 1.3) / 2, l.col_w[c] - l.gap + 1, 1);
          cx += l.col_w[c];
        }
      y += l.row_h;
    }
}

static void
draw_chart (cairo_t          *cr,
            const Palette    *p,
            const AqTileDrawState *s,
            double            x,
            double            y,
            double            w,
            double            h)
{
  g_autoptr(AqChartData) chart = aq_chart_data_from_result (s->data->result, 0);
  const char *kind = s->tile->chart ? s->tile->chart : "bar";
  AqChartKind k = g_str_equal (kind, "line") ? AQ_CHART_LINE
                  : g_str_equal (kind, "pie") ? AQ_CHART_PIE
                  : g_str_equal (kind, "stacked") ? AQ_CHART_STACKED : AQ_CHART_BAR;
  /* the chart's lettering is sized for a window; on the big screen it grows with the tile
   * (a tile of 420 × 240 and smaller as drawn, up to twice that size) */
  double scale = CLAMP (MIN (w / 420, h / 240), 1, p->chart_scale_max);
  g_clear_pointer (&chart->title, g_free);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  aq_chart_render (cr, k, chart, w / scale, h / scale, p->ink);
  cairo_restore (cr);
}

void
aq_tile_draw_background (cairo_t     *cr,
                         AqTileStyle  style,
                         double       width,
                         double       height)
{
  Palette p;

  get_palette (style, &p);
  set_rgb (cr, p.bg);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

void
aq_tile_draw_background_rgb (AqTileStyle style,
                             double      rgb[3])
{
  Palette p;

  get_palette (style, &p);
  memcpy (rgb, p.bg, sizeof p.bg);
}

guint
aq_tile_draw (cairo_t               *cr,
              AqTileStyle            style,
              const AqTileDrawState *s,
              double                 width,
              double                 height)
{
  guint drawn = 0;
  Palette p;
  double pad, y, title_h;
  double strip_left = 0, strip_right = 0;
  gboolean strip;
  const char *title;

  g_return_val_if_fail (s != NULL && s->tile != NULL, 0);

  get_palette (style, &p);
  pad = style == AQ_TILE_STYLE_SCREEN ? 18 : 12;
  cairo_save (cr);
  rounded (cr, 0.5, 0.5, width - 1, height - 1, style == AQ_TILE_STYLE_SCREEN ? 6 : 8);
  set_rgb (cr, p.card);
  cairo_fill_preserve (cr);
  set_rgb (cr, s->selected ? (double[3]) { 0.21, 0.52, 0.89 } : p.line);
  cairo_set_line_width (cr, s->selected ? 3 : 1);
  cairo_stroke (cr);

  title = s->tile->title ? s->tile->title : s->data ? s->data->title : NULL;
  if (title == NULL)
    title = s->tile->indicator ? s->tile->indicator : s->tile->report;
  /* a ticker one row high is one strip: its title on the left, the time on the right, the
   * alarms between them at a readable size */
  strip = s->tile->kind == AQ_TILE_ALARMS && height < p.title_px * 6.5;
  set_rgb (cr, p.muted);
  if (strip)
    {
      strip_left = MIN (text_width (cr, title, p.title_px, FALSE), width / 4);
      text (cr, title, p.title_px, FALSE, pad, (height - p.title_px * 1.3) / 2, strip_left, 0);
      strip_left += 2 * pad;
      title_h = 0;
    }
  else
    title_h = text (cr, title, p.title_px, FALSE, pad, pad,
                    width - 2 * pad - (s->stale && s->data ? p.small_px * 5 : 0), 0);

  /* the badge: these figures are old, or the warehouse cannot be reached */
  if (s->stale && s->data)
    {
      const char *badge = _("Stale");
      double bw = text_width (cr, badge, p.small_px, TRUE) + 14;

      rounded (cr, width - pad - bw, pad, bw, p.small_px * 1.6, p.small_px * 0.8);
      set_rgb (cr, warning_rgb);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      text (cr, badge, p.small_px, TRUE, width - pad - bw + 7, pad + p.small_px * 0.2, bw, 0);
    }
  /* when the figures are from */
  if (s->data && s->data->as_of)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (s->data->as_of);
      g_autofree char *hm = g_date_time_format (local, "%H:%M");
      g_autofree char *as_of = NULL;

      if (s->data->period)
        /* Translators: when a tile's figures were read, and the month they are for */
        as_of = g_strdup_printf (_("%s · as of %s"), s->data->period, hm);
      else
        /* Translators: when a tile's figures were read */
        as_of = g_strdup_printf (_("as of %s"), hm);
      /* a narrow tile: the month and the time without the words */
      if (text_width (cr, as_of, p.small_px, FALSE) > width - 2 * pad)
        {
          g_free (as_of);
          as_of = s->data->period ? g_strdup_printf ("%s · %s", s->data->period, hm)
                                  : g_strdup (hm);
        }
      set_rgb (cr, s->stale ? warning_rgb : p.muted);
      if (strip)
        {
          strip_right = text_width (cr, as_of, p.small_px, FALSE) + 2 * pad;
          text (cr, as_of, p.small_px, FALSE, pad, (height - p.small_px * 1.3) / 2,
                width - 2 * pad - (s->stale ? p.small_px * 5 : 0), 1);
        }
      else
        text (cr, as_of, p.small_px, FALSE, pad, height - pad - p.small_px * 1.3,
              width - 2 * pad, 1);
    }

  y = pad + title_h + 8;
  if (s->data == NULL && s->error)
    {
      set_rgb (cr, alarm_rgb);
      text (cr, s->error, p.small_px * 1.1, FALSE, pad, y, width - 2 * pad, 0);
    }
  else if (s->data)
    {
      double body_h = height - y - pad - p.small_px * 1.8;

      if (strip)
        {
          y = 0;
          body_h = height;
        }
      cairo_rectangle (cr, 0, y, width, body_h);
      cairo_clip (cr);
      switch (s->data->kind)
        {
        case AQ_TILE_KPI:
          draw_kpi (cr, &p, s, pad, y, width - 2 * pad, body_h);
          break;
        case AQ_TILE_CHART:
          if (s->data->result)
            draw_chart (cr, &p, s, pad, y, width - 2 * pad, body_h);
          break;
        case AQ_TILE_TABLE:
          if (s->data->result)
            draw_table (cr, &p, s, pad, y, width - 2 * pad, body_h);
          break;
        case AQ_TILE_MAP:
        case AQ_TILE_ALARMS:
          {
            AqTilePaintColors colors;

            memcpy (colors.ink, p.ink, sizeof colors.ink);
            memcpy (colors.muted, p.muted, sizeof colors.muted);
            memcpy (colors.line, p.line, sizeof colors.line);
            memcpy (colors.card, p.card, sizeof colors.card);
            colors.small_px = p.small_px;
            if (s->data->kind == AQ_TILE_MAP)
              aq_tile_paint_map (cr, s->tile, s->data, &colors, pad, y, width - 2 * pad,
                                 body_h);
            else if (strip)
              drawn = aq_tile_paint_ticker (cr, s->data, &colors, s->ticker_first,
                                            strip_left, pad, width - strip_left - strip_right
                                                             - (s->stale ? p.small_px * 5 : 0),
                                            height - 2 * pad);
            else
              drawn = aq_tile_paint_ticker (cr, s->data, &colors, s->ticker_first, pad, y,
                                            width - 2 * pad, body_h);
          }
          break;
        default:
          break;
        }
    }
  cairo_restore (cr);
  (void) ok_rgb;
  return drawn;
}
