/* aq-dashboard-delivery.c — a dashboard delivered as a PNG or PDF into a folder, headless
 *
 * The scheduler's "delivery" kind (aq-delivery.c) hands a target naming "dashboard" (or
 * "dashboards") here. The daemon has no display: the tiles are fetched on the job's own
 * connection, one after the other, and drawn by aq_tile_draw() — core, cairo and pango only —
 * onto an image surface (PNG, the first dashboard) or a PDF surface (one page per dashboard),
 * on the same grid as the window and the kiosk (12 px gaps; a big screen's 1920×1080 canvas by
 * default). A tile whose figures cannot be read is drawn with its error, like on screen. The
 * file appears through a temporary one renamed into place, as csv/xlsx deliveries do.
 */
#define G_LOG_DOMAIN "aq-dashboard-delivery"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-dashboard-data.h"
#include "aq-dashboard-delivery.h"
#include "aq-dashboard-store.h"
#include "aq-error.h"
#include "aq-json-reader.h"
#include "aq-tile-draw.h"

#define GAP 12.0
#define MAX_SIDE 8192

typedef struct
{
  GStrv     names;
  gboolean  pdf;
  char     *folder;
  int       width, height;   /* 0: the dashboard's own (1920×1080 screen, 1600×900 cockpit) */
} Target;

static void
target_free (Target *t)
{
  g_strfreev (t->names);
  g_free (t->folder);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Target, target_free)

gboolean
aq_dashboard_delivery_wanted (const char *target)
{
  g_autoptr(JsonNode) node = aq_json_read (target ? target : "", -1, AQ_JSON_LIMIT_ANSWER,
                                           NULL);

  return node && JSON_NODE_HOLDS_OBJECT (node)
         && (json_object_has_member (json_node_get_object (node), "dashboard")
             || json_object_has_member (json_node_get_object (node), "dashboards"));
}

static Target *
parse (const char  *target,
       GError     **error)
{
  g_autoptr(JsonNode) node = aq_json_read (target ? target : "", -1, AQ_JSON_LIMIT_ANSWER,
                                           error);
  g_autoptr(Target) t = g_new0 (Target, 1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonObject *o;
  const char *format;
  JsonNode *list;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("A delivery must be a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);
  if (json_object_has_member (o, "dashboard"))
    g_strv_builder_add (names, json_object_get_string_member_with_default (o, "dashboard",
                                                                           ""));
  list = json_object_get_member (o, "dashboards");
  if (list && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *a = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("dashboards[%u]: must be a dashboard's name"), i);
              return NULL;
            }
          g_strv_builder_add (names, json_node_get_string (e));
        }
    }
  t->names = g_strv_builder_end (names);
  if (t->names[0] == NULL || *t->names[0] == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("dashboard: a dashboard delivery needs a dashboard's name"));
      return NULL;
    }
  format = json_object_get_string_member_with_default (o, "format", "png");
  if (strcmp (format, "png") != 0 && strcmp (format, "pdf") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("format: a dashboard is delivered as png or pdf"));
      return NULL;
    }
  t->pdf = strcmp (format, "pdf") == 0;
  if (!t->pdf && t->names[1] != NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("dashboards: a PNG holds one dashboard; use pdf for several"));
      return NULL;
    }
  t->folder = g_strdup (json_object_get_string_member_with_default (o, "folder", ""));
  if (!g_path_is_absolute (t->folder))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("folder: must be an absolute path"));
      return NULL;
    }
  t->width = json_object_get_int_member_with_default (o, "width", 0);
  t->height = json_object_get_int_member_with_default (o, "height", 0);
  if (t->width < 0 || t->height < 0 || t->width > MAX_SIDE || t->height > MAX_SIDE
      || (t->width > 0 && t->width < 320) || (t->height > 0 && t->height < 200))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("width, height: between 320×200 and %d×%d pixels"), MAX_SIDE, MAX_SIDE);
      return NULL;
    }
  return g_steal_pointer (&t);
}

gboolean
aq_dashboard_delivery_validate (const char  *target,
                                GError     **error)
{
  g_autoptr(Target) t = parse (target, error);

  return t != NULL;
}

static void
page_size (const Target      *t,
           const AqDashboard *d,
           int               *width,
           int               *height)
{
  *width = t->width > 0 ? t->width : d->kind == AQ_DASHBOARD_SCREEN ? 1920 : 1600;
  *height = t->height > 0 ? t->height : d->kind == AQ_DASHBOARD_SCREEN ? 1080 : 900;
}

void
aq_dashboard_paint (cairo_t            *cr,
                    const AqDashboard  *dashboard,
                    GPtrArray          *data,
                    GPtrArray          *errors,
                    double              width,
                    double              height)
{
  AqTileStyle style = dashboard->kind == AQ_DASHBOARD_SCREEN ? AQ_TILE_STYLE_SCREEN
                                                             : AQ_TILE_STYLE_COCKPIT;
  double cell_w = MAX (1, (width - GAP * (dashboard->columns + 1)) / dashboard->columns);
  double cell_h = MAX (1, (height - GAP * (dashboard->rows + 1)) / dashboard->rows);

  aq_tile_draw_background (cr, style, width, height);
  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      const AqDashboardTile *t = dashboard->tiles->pdata[i];
      AqTileDrawState state = { t, data ? data->pdata[i] : NULL,
                                errors ? errors->pdata[i] : NULL };

      cairo_save (cr);
      cairo_translate (cr, GAP + t->x * (cell_w + GAP), GAP + t->y * (cell_h + GAP));
      aq_tile_draw (cr, style, &state, t->w * cell_w + (t->w - 1) * GAP,
                    t->h * cell_h + (t->h - 1) * GAP);
      cairo_restore (cr);
    }
}

/* Fetches every tile of @name and draws it on @cr (a page of @width × @height). */
static gboolean
draw_dashboard (AqDb          *db,
                AqCatalog     *catalog,
                AqDashboard   *dashboard,
                cairo_t       *cr,
                int            width,
                int            height,
                guint         *n_failed,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_data_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      g_autoptr(GError) tile_error = NULL;
      AqTileData *d = aq_tile_data_fetch (db, catalog, dashboard, dashboard->tiles->pdata[i],
                                          cancellable, &tile_error);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          aq_tile_data_free (d);
          return FALSE;
        }
      g_ptr_array_add (data, d);
      g_ptr_array_add (errors, tile_error ? g_strdup (tile_error->message) : NULL);
      *n_failed += d == NULL;
    }
  aq_dashboard_paint (cr, dashboard, data, errors, width, height);
  return TRUE;
}

char *
aq_dashboard_delivery_run (const char    *target,
                           const char    *conninfo,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(Target) t = parse (target, error);
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(GPtrArray) dashboards = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *final = NULL;
  g_autofree char *tmp = NULL;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  guint n_failed = 0, n_tiles = 0;
  int width, height;

  if (t == NULL)
    return NULL;
  db = aq_db_connect (conninfo, error);
  if (db == NULL)
    return NULL;
  catalog = aq_catalog_load (db, cancellable, error);
  if (catalog == NULL)
    return NULL;
  dashboards = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_dashboard_free);
  for (guint i = 0; t->names[i]; i++)
    {
      AqDashboard *d = aq_dashboard_store_open (db, t->names[i], 0, cancellable, error);

      if (d == NULL)
        return NULL;
      g_ptr_array_add (dashboards, d);
      n_tiles += d->tiles->len;
    }
  if (g_mkdir_with_parents (t->folder, 0755) != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot create the folder %s"),
                   t->folder);
      return NULL;
    }
  now = aq_clock_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  final = g_strdup_printf ("%s/%s-%s.%s", t->folder, t->names[0], stamp, t->pdf ? "pdf" : "png");
  tmp = g_strdup_printf ("%s/.%s-%s.part.%s", t->folder, t->names[0], stamp,
                         t->pdf ? "pdf" : "png");

  page_size (t, dashboards->pdata[0], &width, &height);
  surface = t->pdf ? cairo_pdf_surface_create (tmp, width, height)
                   : cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  for (guint i = 0; i < dashboards->len; i++)
    {
      AqDashboard *d = dashboards->pdata[i];
      cairo_t *cr;
      gboolean ok;

      page_size (t, d, &width, &height);
      if (t->pdf)
        cairo_pdf_surface_set_size (surface, width, height);
      cr = cairo_create (surface);
      ok = draw_dashboard (db, catalog, d, cr, width, height, &n_failed, cancellable, error);
      if (ok && t->pdf)
        cairo_show_page (cr);
      cairo_destroy (cr);
      if (!ok)
        {
          cairo_surface_destroy (surface);
          g_unlink (tmp);
          return NULL;
        }
    }
  if (t->pdf)
    cairo_surface_finish (surface);
  else
    cairo_surface_write_to_png (surface, tmp);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, final) != 0)
    {
      g_unlink (tmp);
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write %s: %s"), final,
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_strdup_printf ("delivered %u dashboard%s (%u tiles%s) to %s", dashboards->len,
                          dashboards->len == 1 ? "" : "s", n_tiles,
                          n_failed > 0 ? ", some without figures" : "", final);
}
