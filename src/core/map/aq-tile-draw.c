/* aq-tile-draw.c — one basemap tile drawn from the rows of the tile statement
 *
 * The rows carry WKB in WGS 84; each vertex is projected to Web Mercator pixels of the tile
 * here (cheaper than ST_Transform in the warehouse) and the layers are drawn in map order:
 * community blocks, the river, roads with their casing, district borders, mains by diameter,
 * valves by status. The result is PNG bytes, what libshumate and the disk cache both take.
 */
#define G_LOG_DOMAIN "aq-tile-renderer"

#include "config.h"

#include "aq-tile-draw-private.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aq-tile-renderer.h"

/* ---- WKB to cairo paths ---- */

typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      little;
  double        n;       /* 2^zoom */
  double        x0, y0;  /* the tile's corner, in tiles */
  double        px;      /* pixels per tile */
} Wkb;

static gboolean
wkb_u32 (Wkb    *w,
         guint32 *out)
{
  guint32 v;

  if (w->end - w->p < 4)
    return FALSE;
  memcpy (&v, w->p, 4);
  w->p += 4;
  *out = w->little ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
wkb_point (Wkb    *w,
           double *x,
           double *y)
{
  guint64 a, b;
  double lon, lat;

  if (w->end - w->p < 16)
    return FALSE;
  memcpy (&a, w->p, 8);
  memcpy (&b, w->p + 8, 8);
  w->p += 16;
  a = w->little ? GUINT64_FROM_LE (a) : GUINT64_FROM_BE (a);
  b = w->little ? GUINT64_FROM_LE (b) : GUINT64_FROM_BE (b);
  memcpy (&lon, &a, 8);
  memcpy (&lat, &b, 8);
  *x = ((lon + 180.0) / 360.0 * w->n - w->x0) * w->px;
  *y = ((1.0 - asinh (tan (lat * G_PI / 180.0)) / G_PI) / 2.0 * w->n - w->y0) * w->px;
  return TRUE;
}

static gboolean
wkb_ring (Wkb     *w,
          cairo_t *cr,
          gboolean close)
{
  guint32 n;

  if (!wkb_u32 (w, &n) || (gsize) (w->end - w->p) < (gsize) n * 16)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      double x, y;

      wkb_point (w, &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (close && n > 0)
    cairo_close_path (cr);
  return TRUE;
}

/* Appends the geometry to @cr's path; points call @point instead. */
static gboolean
wkb_geometry (Wkb      *w,
              cairo_t  *cr,
              void    (*point) (cairo_t *cr, double x, double y, gpointer data),
              gpointer  data)
{
  guint32 type, n;

  if (w->p >= w->end)
    return FALSE;
  w->little = *w->p++ == 1;
  if (!wkb_u32 (w, &type))
    return FALSE;
  switch (type)
    {
    case 1:
      {
        double x, y;

        if (!wkb_point (w, &x, &y))
          return FALSE;
        if (point != NULL && !isnan (x))
          point (cr, x, y, data);
        return TRUE;
      }
    case 2:
      return wkb_ring (w, cr, FALSE);
    case 3:
      if (!wkb_u32 (w, &n))
        return FALSE;
      for (guint32 i = 0; i < n; i++)
        if (!wkb_ring (w, cr, TRUE))
          return FALSE;
      return TRUE;
    case 4: case 5: case 6: case 7:
      if (!wkb_u32 (w, &n))
        return FALSE;
      for (guint32 i = 0; i < n; i++)
        if (!wkb_geometry (w, cr, point, data))
          return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

static guint8 *
hex_decode (const char *text,
            gsize      *len)
{
  gsize n;
  guint8 *out;

  /* bytea in text form: \x followed by hex digits */
  if (text[0] != '\\' || text[1] != 'x')
    {
      *len = 0;
      return NULL;
    }
  text += 2;
  n = strlen (text) / 2;
  out = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    out[i] = (g_ascii_xdigit_value (text[2 * i]) << 4) | g_ascii_xdigit_value (text[2 * i + 1]);
  *len = n;
  return out;
}

/* ---- drawing ---- */

typedef struct
{
  double scale;
  int    status;
} ValveStyle;

static void
valve_point (cairo_t *cr,
             double   x,
             double   y,
             gpointer data)
{
  ValveStyle *style = data;
  double r = 2.6 * style->scale;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  if (style->status == 0)
    cairo_set_source_rgb (cr, 1, 1, 1);
  else if (style->status == 1)
    cairo_set_source_rgb (cr, 0.85, 0.20, 0.18);
  else
    cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.12, 0.33, 0.66);
  cairo_set_line_width (cr, 1.2 * style->scale);
  cairo_stroke (cr);
}

static double
road_width (int    road_class,
            guint  zoom,
            double scale)
{
  double base = road_class <= 1 ? 5.0 : road_class == 2 ? 3.6 : 2.2;
  double factor = zoom >= 17 ? 2.0 : zoom >= 15 ? 1.4 : zoom >= 14 ? 1.0 : 0.6;

  return base * factor * scale;
}

static double
pipe_width (int    dn,
            guint  zoom,
            double scale)
{
  double w = dn >= 600 ? 2.0 : dn >= 300 ? 1.5 : dn >= 150 ? 1.0 : 0.7;

  return (zoom >= 17 ? w * 1.6 : w) * scale;
}

static void
draw_rows (cairo_t     *cr,
           PGresult    *res,
           AqTileLayer  layer,
           guint        zoom,
           Wkb         *proto,
           double       scale,
           gboolean     casing)
{
  int rows = PQntuples (res);

  for (int i = 0; i < rows; i++)
    {
      g_autofree guint8 *bytes = NULL;
      int attr;
      gsize len;
      Wkb w = *proto;
      ValveStyle valve;

      if (atoi (PQgetvalue (res, i, 0)) != (int) layer || PQgetisnull (res, i, 2))
        continue;
      attr = atoi (PQgetvalue (res, i, 1));
      bytes = hex_decode (PQgetvalue (res, i, 2), &len);
      if (bytes == NULL)
        continue;
      w.p = bytes;
      w.end = bytes + len;
      valve.scale = scale;
      valve.status = attr;

      cairo_new_path (cr);
      if (!wkb_geometry (&w, cr, layer == AQ_TILE_LAYER_VALVE ? valve_point : NULL, &valve))
        {
          g_debug ("a feature of layer %d has geometry this renderer cannot read", layer);
          continue;
        }

      switch (layer)
        {
        case AQ_TILE_LAYER_RIVER:
          cairo_set_source_rgb (cr, 0.67, 0.83, 0.87);
          cairo_fill (cr);
          break;

        case AQ_TILE_LAYER_DISTRICT:
          {
            const double dash[] = { 6 * scale, 4 * scale };

            cairo_set_dash (cr, dash, 2, 0);
            cairo_set_line_width (cr, 1.5 * scale);
            cairo_set_source_rgba (cr, 0.55, 0.45, 0.65, 0.8);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
          }
          break;

        case AQ_TILE_LAYER_COMMUNITY:
          cairo_set_source_rgb (cr, 0.91, 0.88, 0.84);
          cairo_fill_preserve (cr);
          cairo_set_line_width (cr, 1.0 * scale);
          cairo_set_source_rgb (cr, 0.80, 0.74, 0.67);
          cairo_stroke (cr);
          break;

        case AQ_TILE_LAYER_ROAD:
          if (casing)
            {
              cairo_set_line_width (cr, road_width (attr, zoom, scale) + 1.6 * scale);
              cairo_set_source_rgb (cr, 0.76, 0.74, 0.72);
            }
          else
            {
              cairo_set_line_width (cr, road_width (attr, zoom, scale));
              if (attr <= 1)
                cairo_set_source_rgb (cr, 0.99, 0.88, 0.62);
              else
                cairo_set_source_rgb (cr, 1, 1, 1);
            }
          cairo_stroke (cr);
          break;

        case AQ_TILE_LAYER_PIPE:
          cairo_set_line_width (cr, pipe_width (attr, zoom, scale));
          cairo_set_source_rgba (cr, 0.16, 0.42, 0.80, 0.85);
          cairo_stroke (cr);
          break;

        case AQ_TILE_LAYER_VALVE:
          /* drawn point by point */
          cairo_new_path (cr);
          break;
        }
    }
}

static cairo_status_t
png_write (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
_aq_tile_draw (PGresult *res,
               guint     zoom,
               guint     x,
               guint     y,
               guint     scale)
{
  int size = AQ_TILE_SIZE * scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  Wkb proto = { 0 };

  proto.n = ldexp (1.0, (int) zoom);
  proto.x0 = x;
  proto.y0 = y;
  proto.px = size;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgb (cr, 0.95, 0.94, 0.91);
  cairo_paint (cr);

  if (res != NULL)
    {
      draw_rows (cr, res, AQ_TILE_LAYER_COMMUNITY, zoom, &proto, scale, FALSE);
      draw_rows (cr, res, AQ_TILE_LAYER_RIVER, zoom, &proto, scale, FALSE);
      draw_rows (cr, res, AQ_TILE_LAYER_ROAD, zoom, &proto, scale, TRUE);
      draw_rows (cr, res, AQ_TILE_LAYER_ROAD, zoom, &proto, scale, FALSE);
      draw_rows (cr, res, AQ_TILE_LAYER_DISTRICT, zoom, &proto, scale, FALSE);
      draw_rows (cr, res, AQ_TILE_LAYER_PIPE, zoom, &proto, scale, FALSE);
      draw_rows (cr, res, AQ_TILE_LAYER_VALVE, zoom, &proto, scale, FALSE);
    }

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_write_to_png_stream (surface, png_write, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}
