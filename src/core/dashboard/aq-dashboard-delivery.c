/* aq-dashboard-delivery.c — a dashboard delivered as a PNG or PDF into a folder, headless
 *
 * The scheduler's "delivery" kind (aq-delivery.c) hands a target naming "dashboard" (or
 * "dashboards") here. The daemon has no display: the tiles are fetched on the job's own
 * connection, one after the other, and drawn by aq_tile_draw() — core, cairo and pango only —
 * onto an image surface (PNG, the first dashboard) or a PDF surface (one page per dashboard),
 * on the same grid as the window and the kiosk (12 px gaps; a big screen's 1920×1080 canvas by
 * default). A tile whose figures cannot be read is drawn with its error, like on screen. The
 * file appears through a temporary one renamed into place, as csv/xlsx deliveries do.
 * A target with a "webhook" posts one JSON document instead of (or besides) the file: every
 * KPI tile's value, month, change figures and status, and the drawn file in base64
 * (aq-webhook.c; a 5xx or a timeout is tried twice more, then the run fails and the job
 * history says why).
 */
#define G_LOG_DOMAIN "aq-dashboard-delivery"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
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
#include "aq-webhook.h"

#define GAP 12.0
#define MAX_SIDE 8192
#define WEBHOOK_ATTEMPTS 3

typedef struct
{
  GStrv     names;
  gboolean  pdf;
  char     *folder;          /* (nullable) with a webhook */
  char     *webhook;         /* (nullable) */
  GStrv     headers;         /* "Name: value" sent with the webhook */
  int       width, height;   /* 0: the dashboard's own (1920×1080 screen, 1600×900 cockpit) */
} Target;

static void
target_free (Target *t)
{
  g_strfreev (t->names);
  g_free (t->folder);
  g_free (t->webhook);
  g_strfreev (t->headers);
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
  if (json_object_has_member (o, "webhook"))
    {
      t->webhook = g_strdup (json_object_get_string_member_with_default (o, "webhook", ""));
      if (!aq_webhook_url_valid (t->webhook))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("webhook: must be an http:// or https:// URL"));
          return NULL;
        }
      list = json_object_get_member (o, "headers");
      if (list != NULL)
        {
          g_autoptr(GStrvBuilder) headers = g_strv_builder_new ();
          JsonArray *a = JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;

          for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
            {
              JsonNode *e = json_array_get_element (a, i);

              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING
                  || strchr (json_node_get_string (e), ':') == NULL)
                a = NULL;
              else
                g_strv_builder_add (headers, json_node_get_string (e));
            }
          if (a == NULL)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("headers: a list of “Name: value” strings"));
              return NULL;
            }
          t->headers = g_strv_builder_end (headers);
        }
    }
  if (json_object_has_member (o, "folder") || t->webhook == NULL)
    {
      t->folder = g_strdup (json_object_get_string_member_with_default (o, "folder", ""));
      if (!g_path_is_absolute (t->folder))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("folder: must be an absolute path"));
          return NULL;
        }
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

/* Fetches every tile of @dashboard and draws it on @cr (a page of @width × @height); the
 * figures and errors are appended to @all_data and @all_errors, which own them. */
static gboolean
draw_dashboard (AqDb          *db,
                AqCatalog     *catalog,
                AqDashboard   *dashboard,
                cairo_t       *cr,
                int            width,
                int            height,
                GPtrArray     *all_data,
                GPtrArray     *all_errors,
                guint         *n_failed,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) data = g_ptr_array_new ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();

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
      /* kept for the webhook's document, which owns them */
      g_ptr_array_add (all_data, d);
      g_ptr_array_add (all_errors, errors->pdata[i]);
      *n_failed += d == NULL;
    }
  aq_dashboard_paint (cr, dashboard, data, errors, width, height);
  return TRUE;
}

static const char *
status_name (AqTileStatus status)
{
  switch (status)
    {
    case AQ_TILE_STATUS_OK:
      return "ok";
    case AQ_TILE_STATUS_WARNING:
      return "warning";
    case AQ_TILE_STATUS_ALARM:
      return "alarm";
    case AQ_TILE_STATUS_NONE:
    default:
      return "none";
    }
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            gboolean     has,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (has)
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* One tile in the webhook's document: a KPI with its figures, any other tile by its title. */
static void
add_tile (JsonBuilder           *b,
          const AqDashboardTile *tile,
          AqTileData            *data,
          const char            *tile_error)
{
  static const char *kinds[] = { "kpi", "chart", "table", "map", "alarms" };
  double change;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, tile->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, (guint) tile->kind < G_N_ELEMENTS (kinds) ? kinds[tile->kind]
                                                                              : "");
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, tile->title ? tile->title
                                    : data && data->title ? data->title
                                    : tile->indicator ? tile->indicator : tile->report);
  if (data == NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, tile_error ? tile_error : "");
    }
  else if (tile->kind == AQ_TILE_KPI)
    {
      g_autofree char *text = aq_tile_data_format_value (data);

      json_builder_set_member_name (b, "indicator");
      json_builder_add_string_value (b, tile->indicator);
      json_builder_set_member_name (b, "period");
      if (data->period)
        json_builder_add_string_value (b, data->period);
      else
        json_builder_add_null_value (b);
      add_number (b, "value", data->has_value, data->value);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, text);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, data->unit ? data->unit : "");
      add_number (b, "previous", data->has_previous, data->previous);
      add_number (b, "last_year", data->has_last_year, data->last_year);
      /* a ratio's changes are in percentage points (as fractions), others relative */
      add_number (b, "change_previous", aq_tile_data_change (data, FALSE, &change), change);
      add_number (b, "change_last_year", aq_tile_data_change (data, TRUE, &change), change);
      add_number (b, "target", tile->has_target, tile->target);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, status_name (data->status));
    }
  json_builder_end_object (b);
}

static GBytes *
webhook_document (const Target *t,
                  GPtrArray    *dashboards,
                  GPtrArray    *data,
                  GPtrArray    *errors,
                  const char   *file_name,
                  const char   *path,
                  GBytes       *file,
                  GDateTime    *now,
                  const char   *key)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (file, NULL),
                                             g_bytes_get_size (file));
  guint k = 0;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "dashboard");
  json_builder_set_member_name (b, "delivered_at");
  json_builder_add_string_value (b, when);
  json_builder_set_member_name (b, "idempotency_key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "dashboards");
  json_builder_begin_array (b);
  for (guint i = 0; i < dashboards->len; i++)
    {
      AqDashboard *d = dashboards->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, d->name);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, d->title ? d->title : d->name);
      json_builder_set_member_name (b, "tiles");
      json_builder_begin_array (b);
      for (guint j = 0; j < d->tiles->len; j++, k++)
        add_tile (b, d->tiles->pdata[j], data->pdata[k], errors->pdata[k]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "file");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, file_name);
  json_builder_set_member_name (b, "content_type");
  json_builder_add_string_value (b, t->pdf ? "application/pdf" : "image/png");
  if (path)
    {
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, path);
    }
  json_builder_set_member_name (b, "base64");
  json_builder_add_string_value (b, base64);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *bytes,
           unsigned int         length)
{
  g_byte_array_append (closure, bytes, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
post (const Target  *t,
      GBytes        *document,
      const char    *key,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(SoupSession) session = aq_webhook_session_new (30, NULL);

  for (int attempt = 1;; attempt++)
    {
      g_autofree char *failure = NULL;
      AqWebhookOutcome outcome = aq_webhook_post (session, t->webhook, AQ_WEBHOOK_PLAIN,
                                                  (const char * const *) t->headers, key,
                                                  document, cancellable, &failure);

      if (outcome == AQ_WEBHOOK_SENT)
        return TRUE;
      if (outcome == AQ_WEBHOOK_FAILED || attempt >= WEBHOOK_ATTEMPTS
          || g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("webhook %s: %s"), t->webhook,
                       failure);
          return FALSE;
        }
      /* 1 s, then 2 s */
      g_usleep ((gulong) attempt * G_USEC_PER_SEC);
    }
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
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GBytes) file = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *final = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
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
  if (t->folder && g_mkdir_with_parents (t->folder, 0755) != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot create the folder %s"),
                   t->folder);
      return NULL;
    }
  now = aq_clock_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  name = g_strdup_printf ("%s-%s.%s", t->names[0], stamp, t->pdf ? "pdf" : "png");

  /* drawn into memory, then written and/or posted */
  data = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_data_free);
  errors = g_ptr_array_new_with_free_func (g_free);
  page_size (t, dashboards->pdata[0], &width, &height);
  surface = t->pdf ? cairo_pdf_surface_create_for_stream (append_cb, bytes, width, height)
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
      ok = draw_dashboard (db, catalog, d, cr, width, height, data, errors, &n_failed,
                           cancellable, error);
      if (ok && t->pdf)
        cairo_show_page (cr);
      cairo_destroy (cr);
      if (!ok)
        {
          cairo_surface_destroy (surface);
          return NULL;
        }
    }
  if (t->pdf)
    cairo_surface_finish (surface);
  else
    cairo_surface_write_to_png_stream (surface, append_cb, bytes);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write %s: %s"), name,
                   cairo_status_to_string (status));
      return NULL;
    }
  file = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

  if (t->folder)
    {
      g_autofree char *tmp = g_strdup_printf ("%s/.%s.part", t->folder, name);
      g_autoptr(GError) local_error = NULL;

      final = g_build_filename (t->folder, name, NULL);
      if (!g_file_set_contents (tmp, g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                                &local_error)
          || g_rename (tmp, final) != 0)
        {
          g_unlink (tmp);
          g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write %s: %s"), final,
                       local_error ? local_error->message : g_strerror (errno));
          return NULL;
        }
      g_string_append (where, final);
    }
  if (t->webhook)
    {
      g_autoptr(GBytes) document = NULL;

      key = g_strdup_printf ("dashboard:%s:%s", t->names[0], stamp);
      document = webhook_document (t, dashboards, data, errors, name, final, file, now, key);
      if (!post (t, document, key, cancellable, error))
        return NULL;
      g_string_append_printf (where, "%s%s", where->len ? " and " : "", t->webhook);
    }
  return g_strdup_printf ("delivered %u dashboard%s (%u tiles%s) to %s", dashboards->len,
                          dashboards->len == 1 ? "" : "s", n_tiles,
                          n_failed > 0 ? ", some without figures" : "", where->str);
}
