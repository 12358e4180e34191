/* aq-tile-paint.c — the map and the alarm ticker of a dashboard, drawn with cairo and pango
 *
 * Core, so a headless delivery draws what the window and the kiosk draw. The map is the
 * level-3 zones in an equirectangular projection (longitudes shortened by the cosine of the
 * middle latitude, which is exact enough for a city), fitted into the tile. Colour only where
 * it means something: a zone past the tile's thresholds is amber or red, others stay grey;
 * without thresholds a single blue ramp from the lowest to the highest figure. Active outages
 * are red, planned ones an amber dashed outline.
 */
#define G_LOG_DOMAIN "aq-tile-paint"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "aq-map-features.h"
#include "aq-report.h"
#include "aq-tile-paint.h"

const double aq_tile_paint_warning_rgb[3] = { 0.90, 0.62, 0.10 };
const double aq_tile_paint_alarm_rgb[3] = { 0.88, 0.24, 0.22 };
const double aq_tile_paint_ok_rgb[3] = { 0.30, 0.70, 0.45 };

static void
set_rgb (cairo_t      *cr,
         const double  rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *str,
             double      px,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, "Sans");
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, str ? str : "", -1);
  pango_font_description_free (font);
  return layout;
}

double
aq_tile_paint_text (cairo_t    *cr,
                    const char *str,
                    double      px,
                    gboolean    bold,
                    double      x,
                    double      y,
                    double      max_width,
                    int         align)
{
  PangoLayout *layout = make_layout (cr, str, px, bold);
  int w, h;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, MAX (1, max_width) * PANGO_SCALE);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, align == 1 ? x + max_width - w : x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  return h;
}

double
aq_tile_paint_text_width (cairo_t    *cr,
                          const char *str,
                          double      px,
                          gboolean    bold)
{
  PangoLayout *layout = make_layout (cr, str, px, bold);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  g_object_unref (layout);
  return w;
}

/* ---- map ---- */

typedef struct
{
  double lon0, lat0, kx, scale, ox, oy;
} Projection;

static void
project (const Projection *p,
         double            lon,
         double            lat,
         double           *px,
         double           *py)
{
  *px = p->ox + (lon - p->lon0) * p->kx * p->scale;
  *py = p->oy - (lat - p->lat0) * p->scale;
}

static void
feature_path (cairo_t            *cr,
              const Projection   *p,
              const AqMapFeature *feature)
{
  for (guint i = 0; i < feature->parts->len; i++)
    {
      GArray *part = feature->parts->pdata[i];

      for (guint k = 0; k + 1 < part->len; k += 2)
        {
          double px, py;

          project (p, g_array_index (part, double, k), g_array_index (part, double, k + 1),
                   &px, &py);
          if (k == 0)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      cairo_close_path (cr);
    }
}

void
aq_tile_paint_map (cairo_t                 *cr,
                   const AqDashboardTile   *tile,
                   const AqTileData        *data,
                   const AqTilePaintColors *c,
                   double                   x,
                   double                   y,
                   double                   w,
                   double                   h)
{
  static const double ramp_rgb[3] = { 0.23, 0.47, 0.75 };
  double legend_h = c->small_px * 1.6;
  double lo = INFINITY, hi = -INFINITY;
  guint active = 0, planned = 0;
  Projection p;
  double map_h = h - legend_h - 4;
  double span_x, span_y;
  g_autofree char *legend = NULL;

  if (data->zones == NULL || data->zones->len == 0 || !isfinite (data->bounds[0])
      || map_h < 10 || w < 10)
    {
      set_rgb (cr, c->muted);
      aq_tile_paint_text (cr, _("No zones in the warehouse"), c->small_px * 1.1, FALSE, x, y,
                          w, 0);
      return;
    }

  p.lon0 = data->bounds[0];
  p.lat0 = data->bounds[1];
  p.kx = cos ((data->bounds[1] + data->bounds[3]) / 2 * G_PI / 180);
  span_x = MAX (1e-9, (data->bounds[2] - data->bounds[0]) * p.kx);
  span_y = MAX (1e-9, data->bounds[3] - data->bounds[1]);
  p.scale = MIN (w / span_x, map_h / span_y);
  p.ox = x + (w - span_x * p.scale) / 2;
  p.oy = y + map_h - (map_h - span_y * p.scale) / 2;

  if (data->zone_values)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, data->zone_values);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          lo = MIN (lo, *(double *) value);
          hi = MAX (hi, *(double *) value);
        }
    }

  cairo_save (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < data->zones->len; i++)
    {
      const AqMapFeature *zone = data->zones->pdata[i];
      double *value = data->zone_values ? g_hash_table_lookup (data->zone_values, zone->id)
                                        : NULL;

      cairo_new_path (cr);
      feature_path (cr, &p, zone);
      if (value && tile->has_thresholds)
        {
          AqTileStatus status = aq_dashboard_tile_status (tile, *value);

          if (status == AQ_TILE_STATUS_ALARM)
            cairo_set_source_rgba (cr, aq_tile_paint_alarm_rgb[0], aq_tile_paint_alarm_rgb[1],
                                   aq_tile_paint_alarm_rgb[2], 0.75);
          else if (status == AQ_TILE_STATUS_WARNING)
            cairo_set_source_rgba (cr, aq_tile_paint_warning_rgb[0],
                                   aq_tile_paint_warning_rgb[1], aq_tile_paint_warning_rgb[2],
                                   0.75);
          else
            cairo_set_source_rgba (cr, c->line[0], c->line[1], c->line[2], 0.55);
        }
      else if (value && hi > lo)
        cairo_set_source_rgba (cr, ramp_rgb[0], ramp_rgb[1], ramp_rgb[2],
                               0.15 + 0.7 * (*value - lo) / (hi - lo));
      else
        cairo_set_source_rgba (cr, c->line[0], c->line[1], c->line[2], 0.35);
      cairo_fill_preserve (cr);
      set_rgb (cr, c->muted);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  for (guint i = 0; data->outages && i < data->outages->len; i++)
    {
      const AqMapFeature *outage = data->outages->pdata[i];

      cairo_new_path (cr);
      feature_path (cr, &p, outage);
      if (outage->layer == AQ_MAP_LAYER_OUTAGES_ACTIVE)
        {
          active++;
          cairo_set_source_rgba (cr, aq_tile_paint_alarm_rgb[0], aq_tile_paint_alarm_rgb[1],
                                 aq_tile_paint_alarm_rgb[2], 0.55);
          cairo_fill_preserve (cr);
          set_rgb (cr, aq_tile_paint_alarm_rgb);
          cairo_set_line_width (cr, 2.5);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      else
        {
          static const double dash[2] = { 6, 4 };

          planned++;
          set_rgb (cr, aq_tile_paint_warning_rgb);
          cairo_set_line_width (cr, 2.5);
          cairo_set_dash (cr, dash, 2, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_restore (cr);

  /* the legend: what the colours mean, and the outages counted */
  {
    g_autofree char *range = NULL;
    double lx = x;

    cairo_rectangle (cr, lx, y + h - legend_h * 0.8, legend_h * 0.6, legend_h * 0.6);
    set_rgb (cr, aq_tile_paint_alarm_rgb);
    cairo_fill (cr);
    lx += legend_h * 0.9;
    /* Translators: the map tile's legend: outages now and planned */
    legend = g_strdup_printf (_("Outages now %u · planned %u"), active, planned);
    set_rgb (cr, c->muted);
    aq_tile_paint_text (cr, legend, c->small_px, FALSE, lx, y + h - legend_h, w / 2, 0);
    if (data->zone_values && isfinite (lo) && data->format)
      {
        g_autofree char *a = aq_report_format_number (lo, data->format);
        g_autofree char *b = aq_report_format_number (hi, data->format);

        /* Translators: the map tile's legend: the zones' figures from lowest to highest */
        range = g_strdup_printf (_("Zones %s – %s"), a, b);
        aq_tile_paint_text (cr, range, c->small_px, FALSE, x + w / 2, y + h - legend_h,
                            w / 2, 1);
      }
  }
}

/* ---- ticker ---- */

static void
alarm_dot (cairo_t           *cr,
           const AqTileAlarm *alarm,
           double             cx,
           double             cy,
           double             r)
{
  set_rgb (cr, alarm->severity == AQ_TILE_STATUS_ALARM ? aq_tile_paint_alarm_rgb
                                                       : aq_tile_paint_warning_rgb);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_fill (cr);
}

guint
aq_tile_paint_ticker (cairo_t                 *cr,
                      const AqTileData        *data,
                      const AqTilePaintColors *c,
                      guint                    first,
                      double                   x,
                      double                   y,
                      double                   w,
                      double                   h)
{
  guint n = data->alarms ? data->alarms->len : 0;
  double px = MIN (c->small_px * 1.35, MAX (8, h * 0.6));
  double line_h = px * 1.6;
  double gap = px * 2.5;
  guint drawn = 0;

  if (n == 0)
    {
      set_rgb (cr, c->muted);
      aq_tile_paint_text (cr, _("No alarms"), px, FALSE, x, y, w, 0);
      return 0;
    }
  first %= n;

  if (h < 2.2 * line_h)
    {
      /* one strip: items side by side; the last one that does not fit is not drawn */
      double cx = x;

      y += MAX (0, (h - px * 1.3) / 2);

      for (guint k = 0; k < n; k++)
        {
          const AqTileAlarm *alarm = data->alarms->pdata[(first + k) % n];
          double tw = aq_tile_paint_text_width (cr, alarm->text, px, FALSE);
          double item_w = px * 1.2 + tw;

          if (k > 0 && cx + item_w > x + w)
            break;
          alarm_dot (cr, alarm, cx + px * 0.4, y + px * 0.65, px * 0.35);
          set_rgb (cr, alarm->severity == AQ_TILE_STATUS_ALARM ? c->ink : c->muted);
          aq_tile_paint_text (cr, alarm->text, px, alarm->severity == AQ_TILE_STATUS_ALARM,
                              cx + px * 1.2, y, x + w - cx - px * 1.2, 0);
          cx += item_w + gap;
          drawn++;
        }
      return drawn;
    }

  /* a list, one alarm a line */
  for (guint k = 0; k < n && y + (k + 1) * line_h <= y + h + 0.5; k++)
    {
      const AqTileAlarm *alarm = data->alarms->pdata[(first + k) % n];
      double ly = y + k * line_h;

      alarm_dot (cr, alarm, x + px * 0.4, ly + px * 0.65, px * 0.35);
      set_rgb (cr, alarm->severity == AQ_TILE_STATUS_ALARM ? c->ink : c->muted);
      aq_tile_paint_text (cr, alarm->text, px, alarm->severity == AQ_TILE_STATUS_ALARM,
                          x + px * 1.2, ly, w - px * 1.2, 0);
      drawn++;
    }
  return drawn;
}
