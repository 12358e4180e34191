/* aq-dashboard.c — the dashboard model: tiles on a grid, placing them, JSON in and out
 *
 * Plain structs, no GObject: a dashboard is a value that the designer edits on a copy, the
 * store saves as a new version, and the workers read from other threads (they get copies).
 * Validation here is structural only; whether an indicator or report exists is known when the
 * tile's figures are fetched (aq-dashboard-data.c), where the tile shows the error.
 */
#define G_LOG_DOMAIN "aq-dashboard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "aq-dashboard.h"
#include "aq-error.h"
#include "aq-json-reader.h"

static const char *tile_kinds[] = { "kpi", "chart", "table", "map", "alarms" };
static const char *statuses[] = { "none", "ok", "warning", "alarm" };

const char *
aq_tile_kind_to_string (AqTileKind kind)
{
  g_return_val_if_fail (kind <= AQ_TILE_ALARMS, NULL);
  return tile_kinds[kind];
}

gboolean
aq_tile_kind_from_string (const char *text,
                          AqTileKind *kind)
{
  for (guint i = 0; text && i < G_N_ELEMENTS (tile_kinds); i++)
    if (strcmp (text, tile_kinds[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
aq_tile_status_to_string (AqTileStatus status)
{
  g_return_val_if_fail (status <= AQ_TILE_STATUS_ALARM, NULL);
  return statuses[status];
}

/* ---- tiles ---------------------------------------------------------------------------- */

AqDashboardTile *
aq_dashboard_tile_new (const char *id,
                       AqTileKind  kind)
{
  AqDashboardTile *tile = g_new0 (AqDashboardTile, 1);

  tile->id = g_strdup (id);
  tile->kind = kind;
  tile->w = kind == AQ_TILE_KPI ? 3 : 6;
  tile->h = kind == AQ_TILE_KPI ? 2 : 3;
  return tile;
}

AqDashboardTile *
aq_dashboard_tile_copy (const AqDashboardTile *tile)
{
  AqDashboardTile *copy = g_memdup2 (tile, sizeof *tile);

  copy->id = g_strdup (tile->id);
  copy->title = g_strdup (tile->title);
  copy->indicator = g_strdup (tile->indicator);
  copy->report = g_strdup (tile->report);
  copy->chart = g_strdup (tile->chart);
  copy->period = g_strdup (tile->period);
  return copy;
}

void
aq_dashboard_tile_free (AqDashboardTile *tile)
{
  if (tile == NULL)
    return;
  g_free (tile->id);
  g_free (tile->title);
  g_free (tile->indicator);
  g_free (tile->report);
  g_free (tile->chart);
  g_free (tile->period);
  g_free (tile);
}

int
aq_dashboard_tile_get_refresh (const AqDashboardTile *tile,
                               const AqDashboard     *dashboard)
{
  int seconds = tile->refresh > 0 ? tile->refresh
                : dashboard && dashboard->refresh > 0 ? dashboard->refresh
                : AQ_DASHBOARD_DEFAULT_REFRESH;

  return CLAMP (seconds, 10, 86400);
}

const char *
aq_dashboard_tile_get_period (const AqDashboardTile *tile,
                              const AqDashboard     *dashboard)
{
  if (tile->period && *tile->period)
    return tile->period;
  if (dashboard && dashboard->period && *dashboard->period)
    return dashboard->period;
  return "@latest";
}

AqTileStatus
aq_dashboard_tile_status (const AqDashboardTile *tile,
                          double                 value)
{
  g_return_val_if_fail (tile != NULL, AQ_TILE_STATUS_NONE);

  if (!tile->has_thresholds || isnan (value))
    return AQ_TILE_STATUS_NONE;
  if (tile->alarm >= tile->warning)   /* higher is worse */
    return value >= tile->alarm ? AQ_TILE_STATUS_ALARM
           : value >= tile->warning ? AQ_TILE_STATUS_WARNING : AQ_TILE_STATUS_OK;
  return value <= tile->alarm ? AQ_TILE_STATUS_ALARM
         : value <= tile->warning ? AQ_TILE_STATUS_WARNING : AQ_TILE_STATUS_OK;
}

/* ---- dashboards ------------------------------------------------------------------------ */

AqDashboard *
aq_dashboard_new (const char      *name,
                  AqDashboardKind  kind)
{
  AqDashboard *dashboard = g_new0 (AqDashboard, 1);

  dashboard->name = g_strdup (name);
  dashboard->title = g_strdup ("");
  dashboard->description = g_strdup ("");
  dashboard->kind = kind;
  dashboard->columns = AQ_DASHBOARD_DEFAULT_COLUMNS;
  dashboard->rows = AQ_DASHBOARD_DEFAULT_ROWS;
  dashboard->refresh = kind == AQ_DASHBOARD_SCREEN ? 60 : AQ_DASHBOARD_DEFAULT_REFRESH;
  dashboard->period = g_strdup ("@latest");
  dashboard->tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_dashboard_tile_free);
  return dashboard;
}

AqDashboard *
aq_dashboard_copy (const AqDashboard *dashboard)
{
  AqDashboard *copy = aq_dashboard_new (dashboard->name, dashboard->kind);

  g_free (copy->title);
  g_free (copy->description);
  g_free (copy->period);
  copy->title = g_strdup (dashboard->title);
  copy->description = g_strdup (dashboard->description);
  copy->period = g_strdup (dashboard->period);
  copy->columns = dashboard->columns;
  copy->rows = dashboard->rows;
  copy->refresh = dashboard->refresh;
  copy->version = dashboard->version;
  copy->standard = dashboard->standard;
  for (guint i = 0; i < dashboard->tiles->len; i++)
    g_ptr_array_add (copy->tiles, aq_dashboard_tile_copy (dashboard->tiles->pdata[i]));
  return copy;
}

void
aq_dashboard_free (AqDashboard *dashboard)
{
  if (dashboard == NULL)
    return;
  g_free (dashboard->name);
  g_free (dashboard->title);
  g_free (dashboard->description);
  g_free (dashboard->period);
  g_ptr_array_unref (dashboard->tiles);
  g_free (dashboard);
}

AqDashboardTile *
aq_dashboard_lookup_tile (AqDashboard *dashboard,
                          const char  *id)
{
  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      AqDashboardTile *tile = dashboard->tiles->pdata[i];

      if (g_strcmp0 (tile->id, id) == 0)
        return tile;
    }
  return NULL;
}

static gboolean
overlaps (int ax, int ay, int aw, int ah,
          int bx, int by, int bw, int bh)
{
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

static gboolean
place_is_free (AqDashboard           *dashboard,
               const AqDashboardTile *except,
               int x, int y, int w, int h)
{
  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      AqDashboardTile *t = dashboard->tiles->pdata[i];

      if (t != except && overlaps (x, y, w, h, t->x, t->y, t->w, t->h))
        return FALSE;
    }
  return TRUE;
}

gboolean
aq_dashboard_place_tile (AqDashboard *dashboard,
                         const char  *id,
                         int          x,
                         int          y,
                         int          w,
                         int          h)
{
  AqDashboardTile *tile;

  g_return_val_if_fail (dashboard != NULL, FALSE);
  tile = aq_dashboard_lookup_tile (dashboard, id);
  g_return_val_if_fail (tile != NULL, FALSE);

  w = CLAMP (w, 1, dashboard->columns);
  h = CLAMP (h, 1, dashboard->rows);
  x = CLAMP (x, 0, dashboard->columns - w);
  y = CLAMP (y, 0, dashboard->rows - h);
  if (!place_is_free (dashboard, tile, x, y, w, h))
    return FALSE;
  tile->x = x;
  tile->y = y;
  tile->w = w;
  tile->h = h;
  return TRUE;
}

gboolean
aq_dashboard_find_free (AqDashboard *dashboard,
                        int          w,
                        int          h,
                        int         *out_x,
                        int         *out_y)
{
  for (int y = 0; y + h <= dashboard->rows; y++)
    for (int x = 0; x + w <= dashboard->columns; x++)
      if (place_is_free (dashboard, NULL, x, y, w, h))
        {
          *out_x = x;
          *out_y = y;
          return TRUE;
        }
  return FALSE;
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, message);
  return FALSE;
}

gboolean
aq_dashboard_validate (AqDashboard  *dashboard,
                       GError      **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  if (dashboard->name == NULL || *dashboard->name == '\0')
    return fail (error, _("name: a dashboard needs a name"));
  if (dashboard->columns < 1 || dashboard->columns > AQ_DASHBOARD_MAX_COLUMNS)
    return fail (error, _("columns: must be between 1 and %d"), AQ_DASHBOARD_MAX_COLUMNS);
  if (dashboard->rows < 1 || dashboard->rows > AQ_DASHBOARD_MAX_ROWS)
    return fail (error, _("rows: must be between 1 and %d"), AQ_DASHBOARD_MAX_ROWS);
  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      AqDashboardTile *t = dashboard->tiles->pdata[i];

      if (t->id == NULL || *t->id == '\0')
        return fail (error, _("tiles[%u].id: a tile needs an id"), i);
      if (!g_hash_table_add (ids, t->id))
        return fail (error, _("tiles[%u].id: “%s” is used twice"), i, t->id);
      if (t->w < 1 || t->h < 1 || t->x < 0 || t->y < 0
          || t->x + t->w > dashboard->columns || t->y + t->h > dashboard->rows)
        return fail (error, _("tiles[%u]: the tile does not fit the %d × %d grid"), i,
                     dashboard->columns, dashboard->rows);
      if (t->kind == AQ_TILE_KPI && (t->indicator == NULL || *t->indicator == '\0'))
        return fail (error, _("tiles[%u].indicator: a KPI tile needs an indicator"), i);
      if ((t->kind == AQ_TILE_CHART || t->kind == AQ_TILE_TABLE)
          && (t->report == NULL || *t->report == '\0'))
        return fail (error, _("tiles[%u].report: a chart or table tile needs a report"), i);
      if (t->chart && !g_strv_contains ((const char *[]) { "bar", "line", "pie", "stacked",
                                                            NULL }, t->chart))
        return fail (error, _("tiles[%u].chart: “%s” is not bar, line, pie or stacked"), i,
                     t->chart);
      for (guint j = 0; j < i; j++)
        {
          AqDashboardTile *o = dashboard->tiles->pdata[j];

          if (overlaps (t->x, t->y, t->w, t->h, o->x, o->y, o->w, o->h))
            return fail (error, _("tiles[%u]: overlaps tile “%s”"), i, o->id);
        }
    }
  return TRUE;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char  *path,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, _("%s%s: must be a string"), path, member);
  g_free (*out);
  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
get_number (JsonObject  *object,
            const char  *member,
            const char  *path,
            gboolean    *has,
            double      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return fail (error, _("%s%s: must be a number"), path, member);
  *out = json_node_get_double (node);
  if (has)
    *has = TRUE;
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         const char  *path,
         int          min,
         int          max,
         int         *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, _("%s%s: must be an integer"), path, member);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (error, _("%s%s: must be between %d and %d"), path, member, min, max);
  *out = value;
  return TRUE;
}

static AqDashboardTile *
tile_from_json (JsonNode  *node,
                guint      index,
                GError   **error)
{
  g_autoptr(AqDashboardTile) tile = NULL;
  g_autofree char *path = g_strdup_printf ("tiles[%u].", index);
  g_autofree char *kind = NULL;
  JsonObject *o;
  JsonNode *thresholds;
  int limit = 0;
  AqTileKind k;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, _("tiles[%u]: must be an object"), index);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (o, "kind", path, &kind, error))
    return NULL;
  if (!aq_tile_kind_from_string (kind, &k))
    {
      fail (error, _("%skind: must be kpi, chart, table, map or alarms"), path);
      return NULL;
    }
  tile = aq_dashboard_tile_new (NULL, k);
  if (!get_string (o, "id", path, &tile->id, error)
      || !get_string (o, "title", path, &tile->title, error)
      || !get_string (o, "indicator", path, &tile->indicator, error)
      || !get_string (o, "report", path, &tile->report, error)
      || !get_string (o, "chart", path, &tile->chart, error)
      || !get_string (o, "period", path, &tile->period, error)
      || !get_int (o, "x", path, 0, AQ_DASHBOARD_MAX_COLUMNS, &tile->x, error)
      || !get_int (o, "y", path, 0, AQ_DASHBOARD_MAX_ROWS, &tile->y, error)
      || !get_int (o, "w", path, 1, AQ_DASHBOARD_MAX_COLUMNS, &tile->w, error)
      || !get_int (o, "h", path, 1, AQ_DASHBOARD_MAX_ROWS, &tile->h, error)
      || !get_int (o, "limit", path, 0, 1000, &limit, error)
      || !get_int (o, "refresh", path, 0, 86400, &tile->refresh, error)
      || !get_number (o, "target", path, &tile->has_target, &tile->target, error))
    return NULL;
  tile->limit = limit;
  thresholds = json_object_get_member (o, "thresholds");
  if (thresholds && !JSON_NODE_HOLDS_NULL (thresholds))
    {
      g_autofree char *tpath = g_strconcat (path, "thresholds.", NULL);
      gboolean has_warning = FALSE, has_alarm = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (thresholds))
        {
          fail (error, _("%sthresholds: must be an object"), path);
          return NULL;
        }
      if (!get_number (json_node_get_object (thresholds), "warning", tpath, &has_warning,
                       &tile->warning, error)
          || !get_number (json_node_get_object (thresholds), "alarm", tpath, &has_alarm,
                          &tile->alarm, error))
        return NULL;
      if (!has_warning || !has_alarm)
        {
          fail (error, _("%sthresholds: needs both warning and alarm"), path);
          return NULL;
        }
      tile->has_thresholds = TRUE;
    }
  return g_steal_pointer (&tile);
}

AqDashboard *
aq_dashboard_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(AqDashboard) dashboard = NULL;
  g_autofree char *kind = NULL;
  JsonObject *o;
  JsonNode *tiles;
  JsonNode *standard;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, _("A dashboard must be a JSON object"));
      return NULL;
    }
  o = json_node_get_object (node);
  if (!get_string (o, "kind", "", &kind, error))
    return NULL;
  if (kind && strcmp (kind, "cockpit") != 0 && strcmp (kind, "screen") != 0)
    {
      fail (error, _("kind: must be cockpit or screen"));
      return NULL;
    }
  dashboard = aq_dashboard_new (NULL, g_strcmp0 (kind, "screen") == 0 ? AQ_DASHBOARD_SCREEN
                                                                       : AQ_DASHBOARD_COCKPIT);
  if (!get_string (o, "name", "", &dashboard->name, error)
      || !get_string (o, "title", "", &dashboard->title, error)
      || !get_string (o, "description", "", &dashboard->description, error)
      || !get_string (o, "period", "", &dashboard->period, error)
      || !get_int (o, "columns", "", 1, AQ_DASHBOARD_MAX_COLUMNS, &dashboard->columns, error)
      || !get_int (o, "rows", "", 1, AQ_DASHBOARD_MAX_ROWS, &dashboard->rows, error)
      || !get_int (o, "refresh", "", 0, 86400, &dashboard->refresh, error)
      || !get_int (o, "version", "", 0, G_MAXINT, &dashboard->version, error))
    return NULL;
  standard = json_object_get_member (o, "standard");
  if (standard && JSON_NODE_HOLDS_VALUE (standard)
      && json_node_get_value_type (standard) == G_TYPE_BOOLEAN)
    dashboard->standard = json_node_get_boolean (standard);
  tiles = json_object_get_member (o, "tiles");
  if (tiles && !JSON_NODE_HOLDS_ARRAY (tiles))
    {
      fail (error, _("tiles: must be a list"));
      return NULL;
    }
  for (guint i = 0; tiles && i < json_array_get_length (json_node_get_array (tiles)); i++)
    {
      AqDashboardTile *tile =
        tile_from_json (json_array_get_element (json_node_get_array (tiles), i), i, error);

      if (tile == NULL)
        return NULL;
      g_ptr_array_add (dashboard->tiles, tile);
    }
  if (!aq_dashboard_validate (dashboard, error))
    return NULL;
  return g_steal_pointer (&dashboard);
}

AqDashboard *
aq_dashboard_new_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonNode) node = aq_json_read (data, length, AQ_JSON_LIMIT_DEFINITION, error);

  if (node == NULL)
    return NULL;
  return aq_dashboard_new_from_json (node, error);
}

static void
add_string (JsonBuilder *b,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b,
            const char  *member,
            double       value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_double_value (b, value);
}

JsonNode *
aq_dashboard_to_json (const AqDashboard *dashboard)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "name", dashboard->name);
  add_string (b, "title", dashboard->title);
  add_string (b, "description", dashboard->description);
  add_string (b, "kind", dashboard->kind == AQ_DASHBOARD_SCREEN ? "screen" : "cockpit");
  add_int (b, "columns", dashboard->columns);
  add_int (b, "rows", dashboard->rows);
  add_int (b, "refresh", dashboard->refresh);
  add_string (b, "period", dashboard->period);
  add_int (b, "version", dashboard->version);
  json_builder_set_member_name (b, "standard");
  json_builder_add_boolean_value (b, dashboard->standard);
  json_builder_set_member_name (b, "tiles");
  json_builder_begin_array (b);
  for (guint i = 0; i < dashboard->tiles->len; i++)
    {
      AqDashboardTile *t = dashboard->tiles->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", t->id);
      add_string (b, "kind", aq_tile_kind_to_string (t->kind));
      add_string (b, "title", t->title);
      add_int (b, "x", t->x);
      add_int (b, "y", t->y);
      add_int (b, "w", t->w);
      add_int (b, "h", t->h);
      add_string (b, "indicator", t->indicator);
      add_string (b, "report", t->report);
      add_string (b, "chart", t->chart);
      add_string (b, "period", t->period);
      if (t->limit)
        add_int (b, "limit", t->limit);
      if (t->refresh)
        add_int (b, "refresh", t->refresh);
      if (t->has_target)
        add_double (b, "target", t->target);
      if (t->has_thresholds)
        {
          json_builder_set_member_name (b, "thresholds");
          json_builder_begin_object (b);
          add_double (b, "warning", t->warning);
          add_double (b, "alarm", t->alarm);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
aq_dashboard_to_data (const AqDashboard *dashboard,
                      gsize             *length)
{
  g_autoptr(JsonNode) node = aq_dashboard_to_json (dashboard);

  char *text = json_to_string (node, TRUE);

  if (length)
    *length = strlen (text);
  return text;
}
