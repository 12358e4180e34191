/* aq-outage.c — a water outage: planned or emergency, its area and the accounts it affects
 *
 * The affected accounts are fixed when the outage is saved (notify.outage_account), with the
 * same rule as the analysis the dispatcher saw, so the notice, the 360 and the "water
 * restored" message all speak of the same accounts even if the area's premises change later.
 */
#define G_LOG_DOMAIN "aq-outage"

#include "config.h"

#include "aq-outage.h"

#include <glib/gi18n-lib.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-outage-area-private.h"

#define OUTAGE_COLUMNS \
  "o.outage_id, o.kind, o.reason, o.status, o.start_time, o.expected_end, o.restored_at," \
  " o.created_by, o.created_at," \
  " (SELECT count(*) FROM notify.outage_account x WHERE x.outage_id = o.outage_id)," \
  " (SELECT count(*) FROM notify.campaign x WHERE x.outage_id = o.outage_id)," \
  " ST_AsGeoJSON(o.geom, 9)"

/* ---- auxiliary methods ---- */

static GDateTime *
time_or_null (PGresult *res, int row, int column)
{
  g_autofree char *iso = NULL;

  if (PQgetisnull (res, row, column))
    return NULL;
  /* timestamptz comes as "2026-11-26 08:00:00+08": ISO 8601 once the space is a T */
  iso = g_strdup (PQgetvalue (res, row, column));
  if (iso[10] == ' ')
    iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, NULL);
}

static AqOutage *
outage_from_row (PGresult *res, int row)
{
  AqOutage *o = g_new0 (AqOutage, 1);

  o->outage_id = g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10);
  o->kind = g_strdup (PQgetvalue (res, row, 1));
  o->reason = g_strdup (PQgetvalue (res, row, 2));
  o->status = g_strdup (PQgetvalue (res, row, 3));
  o->start_time = time_or_null (res, row, 4);
  o->expected_end = time_or_null (res, row, 5);
  o->restored_at = time_or_null (res, row, 6);
  o->created_by = g_strdup (PQgetvalue (res, row, 7));
  o->created_at = time_or_null (res, row, 8);
  o->accounts = g_ascii_strtoll (PQgetvalue (res, row, 9), NULL, 10);
  o->campaigns = g_ascii_strtoll (PQgetvalue (res, row, 10), NULL, 10);
  o->geometry = aq_geometry_new_from_postgis (PQgetvalue (res, row, 11), NULL);
  return o;
}

static gboolean
validate (const AqOutageSpec  *spec,
          GError             **error)
{
  g_autofree char *reason = g_strstrip (g_strdup (spec->reason ? spec->reason : ""));

  if (g_strcmp0 (spec->kind, "planned") != 0 && g_strcmp0 (spec->kind, "emergency") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("kind: “%s” is neither planned nor emergency"), spec->kind ? spec->kind : "");
      return FALSE;
    }
  if (*reason == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("reason: say why the water is off"));
      return FALSE;
    }
  if (spec->start_time == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("start: missing"));
      return FALSE;
    }
  if (spec->expected_end == NULL
      || g_date_time_compare (spec->expected_end, spec->start_time) <= 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("expected end: must be after the start"));
      return FALSE;
    }
  if (spec->geometry == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("area: missing"));
      return FALSE;
    }
  /* a planned outage announces a cut to come: one dated in the past would be notified as if
   * it were ahead (an outage already under way is an emergency). Ten minutes of grace for the
   * time it takes to draw and save it. */
  if (g_str_equal (spec->kind, "planned"))
    {
      g_autoptr(GDateTime) now = aq_clock_now ();
      g_autoptr(GDateTime) earliest = g_date_time_add_minutes (now, -10);

      if (g_date_time_compare (spec->start_time, earliest) < 0)
        {
          g_autoptr(GTimeZone) zone = aq_clock_zone ();
          g_autoptr(GDateTime) local = g_date_time_to_timezone (spec->start_time, zone);
          g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M");

          /* Translators: %s is the start typed, 2026-12-01 08:00 */
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("start: %s is in the past; a planned outage starts later (record an "
                         "outage already under way as an emergency)"), text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
set_status (AqDb        *db,
            gint64       outage_id,
            const char  *sql,
            const char  *when,
            GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *params[] = { id, when };
  g_autoptr(PGresult) res = aq_db_query (db, sql, 2, params, error);
  g_autofree char *status = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    return TRUE;
  status = aq_db_query_string (db, "SELECT status FROM notify.outage WHERE outage_id = $1",
                               1, params, error);
  if (status == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No outage %s"), id);
      return FALSE;
    }
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Outage %s is %s: it cannot change so"),
               id, status);
  return FALSE;
}

typedef struct
{
  char       *kind;
  char       *reason;
  GDateTime  *start_time;
  GDateTime  *expected_end;
  AqGeometry *geometry;
  char       *created_by;
  char      **account_ids;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->kind);
  g_free (data->reason);
  g_clear_pointer (&data->start_time, g_date_time_unref);
  g_clear_pointer (&data->expected_end, g_date_time_unref);
  aq_geometry_free (data->geometry);
  g_free (data->created_by);
  g_strfreev (data->account_ids);
  g_free (data);
}

/* Returns: (transfer full): the new outage's id, boxed */
static gpointer
create_job (AqDb          *db,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  CreateData *data = task_data;
  AqOutageSpec spec = { data->kind, data->reason, data->start_time, data->expected_end,
                        data->geometry, data->created_by,
                        (const char * const *) data->account_ids };
  gint64 id = aq_outage_create (db, &spec, error);

  return id == 0 ? NULL : g_memdup2 (&id, sizeof id);
}

/* ---- public methods ---- */

void
aq_outage_free (AqOutage *outage)
{
  if (outage == NULL)
    return;
  g_free (outage->kind);
  g_free (outage->reason);
  g_free (outage->status);
  g_clear_pointer (&outage->start_time, g_date_time_unref);
  g_clear_pointer (&outage->expected_end, g_date_time_unref);
  g_clear_pointer (&outage->restored_at, g_date_time_unref);
  g_free (outage->created_by);
  g_clear_pointer (&outage->created_at, g_date_time_unref);
  aq_geometry_free (outage->geometry);
  g_free (outage);
}

gint64
aq_outage_create (AqDb                *db,
                  const AqOutageSpec  *spec,
                  GError             **error)
{
  g_autofree char *start = NULL, *end = NULL, *id = NULL;
  gint64 outage_id = 0;
  gboolean points;

  g_return_val_if_fail (AQ_IS_DB (db), 0);
  g_return_val_if_fail (spec != NULL, 0);

  if (!validate (spec, error) || !aq_geometry_check (db, spec->geometry, error))
    return 0;
  start = g_date_time_format_iso8601 (spec->start_time);
  end = g_date_time_format_iso8601 (spec->expected_end);

  points = aq_outage_area_ensure_points (db);
  if (!aq_db_begin (db, error))
    return 0;
  {
    const char *params[] = { spec->kind, spec->reason, start, end, spec->geometry->geojson,
                             spec->created_by };

    id = aq_db_query_string (db,
                             "INSERT INTO notify.outage (kind, reason, start_time, expected_end,"
                             "  geom, created_by)"
                             " VALUES ($1, $2, $3, $4,"
                             "  ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)),"
                             "  coalesce($6, current_user))"
                             " RETURNING outage_id",
                             6, params, error);
  }
  if (id == NULL)
    goto fail;
  if (spec->account_ids != NULL)
    {
      /* as given, once each: a PostgreSQL array literal of the ids */
      g_autoptr(GString) ids = g_string_new ("{");
      g_autoptr(PGresult) res = NULL;
      const char *params[2];

      for (guint i = 0; spec->account_ids[i]; i++)
        {
          g_string_append (ids, i ? ",\"" : "\"");
          for (const char *c = spec->account_ids[i]; *c; c++)
            {
              if (*c == '"' || *c == '\\')
                g_string_append_c (ids, '\\');
              g_string_append_c (ids, *c);
            }
          g_string_append_c (ids, '"');
        }
      g_string_append_c (ids, '}');
      params[0] = ids->str;
      params[1] = id;
      res = aq_db_query (db,
                         "INSERT INTO notify.outage_account (outage_id, account_id)"
                         " SELECT DISTINCT $2::bigint, a.account_id"
                         " FROM dw.dim_account a WHERE a.account_id = ANY ($1::text[])",
                         2, params, error);
      if (res == NULL)
        goto fail;
    }
  else
    {
      const char *params[] = { spec->geometry->geojson, id };
      g_autoptr(PGresult) res =
        aq_db_query (db,
                     points ? AQ_AFFECTED_ACCOUNTS_CTE
                              " INSERT INTO notify.outage_account (outage_id, account_id)"
                              " SELECT $2::bigint, account_id FROM acc"
                            : AQ_AFFECTED_ACCOUNTS_LIVE_CTE
                              " INSERT INTO notify.outage_account (outage_id, account_id)"
                              " SELECT $2::bigint, account_id FROM acc",
                     2, params, error);

      if (res == NULL)
        goto fail;
    }
  if (!aq_db_commit (db, error))
    goto fail;
  outage_id = g_ascii_strtoll (id, NULL, 10);
  /* the notice reads these rows next: without fresh statistics a new outage of 100,000
   * accounts is planned as one of a few dozen (nested loops instead of hash joins) */
  if (!aq_db_exec (db, "ANALYZE notify.outage_account", NULL))
    g_debug ("ANALYZE notify.outage_account failed; the notice may be planned badly");
  return outage_id;

fail:
  aq_db_rollback (db);
  return 0;
}

void
aq_outage_create_async (const char          *conninfo,
                        const AqOutageSpec  *spec,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  CreateData *data;

  g_return_if_fail (spec != NULL);
  data = g_new0 (CreateData, 1);
  data->kind = g_strdup (spec->kind);
  data->reason = g_strdup (spec->reason);
  data->start_time = spec->start_time ? g_date_time_ref (spec->start_time) : NULL;
  data->expected_end = spec->expected_end ? g_date_time_ref (spec->expected_end) : NULL;
  data->geometry = spec->geometry ? aq_geometry_copy (spec->geometry) : NULL;
  data->created_by = g_strdup (spec->created_by);
  data->account_ids = g_strdupv ((char **) spec->account_ids);
  /* no cancelling half-way: the outage is written in one transaction, so a cancel that
   * reaches the server rolls all of it back */
  aq_db_job_run_async (conninfo, aq_outage_create_async, create_job, data,
                       (GDestroyNotify) create_data_free, g_free, cancellable, callback, user_data);
}

gint64
aq_outage_create_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autofree gint64 *id = aq_db_job_run_finish (result, aq_outage_create_async, error);

  return id != NULL ? *id : 0;
}

AqOutage *
aq_outage_get (AqDb     *db,
               gint64    outage_id,
               GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  res = aq_db_query (db, "SELECT " OUTAGE_COLUMNS " FROM notify.outage o WHERE outage_id = $1",
                     1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No outage %s"), id);
      return NULL;
    }
  return outage_from_row (res, 0);
}

GPtrArray *
aq_outage_list (AqDb        *db,
                const char  *status,
                GError     **error)
{
  const char *params[] = { status };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  res = aq_db_query (db, "SELECT " OUTAGE_COLUMNS " FROM notify.outage o"
                         " WHERE $1::text IS NULL OR status = $1"
                         " ORDER BY start_time DESC, outage_id DESC",
                     1, params, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_outage_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, outage_from_row (res, i));
  return list;
}

gboolean
aq_outage_activate (AqDb     *db,
                    gint64    outage_id,
                    GError  **error)
{
  return set_status (db, outage_id,
                     "UPDATE notify.outage SET status = 'active'"
                     " WHERE outage_id = $1 AND status = 'planned' AND $2::text IS NULL"
                     " RETURNING outage_id",
                     NULL, error);
}

gboolean
aq_outage_mark_restored (AqDb       *db,
                         gint64      outage_id,
                         GDateTime  *when,
                         GError    **error)
{
  g_autoptr(GDateTime) now = when ? g_date_time_ref (when) : aq_clock_now ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  return set_status (db, outage_id,
                     "UPDATE notify.outage SET status = 'restored', restored_at = $2::timestamptz"
                     " WHERE outage_id = $1 AND status IN ('planned', 'active')"
                     " RETURNING outage_id",
                     at, error);
}

gboolean
aq_outage_cancel (AqDb     *db,
                  gint64    outage_id,
                  GError  **error)
{
  return aq_outage_cancel_counted (db, outage_id, NULL, NULL, error);
}

/**
 * aq_outage_cancel_counted:
 * @withdrawn: (out) (optional): messages of its notices that will not go out
 * @sent: (out) (optional): messages that had already left
 *
 * Cancels a planned or active outage. Its notices follow in the warehouse (016's triggers):
 * drafts and queued campaigns become cancelled and their queued messages are withdrawn, all in
 * this transaction, so a relay never sends a water-cut notice for a cut that will not happen.
 */
gboolean
aq_outage_cancel_counted (AqDb     *db,
                          gint64    outage_id,
                          gint64   *withdrawn,
                          gint64   *sent,
                          GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!set_status (db, outage_id,
                   "UPDATE notify.outage SET status = 'cancelled'"
                   " WHERE outage_id = $1 AND status IN ('planned', 'active')"
                   "   AND $2::text IS NULL RETURNING outage_id",
                   NULL, error))
    goto fail;
  res = aq_db_query (db, "SELECT count(*) FILTER (WHERE m.status = 'cancelled'),"
                         "       count(*) FILTER (WHERE m.status IN ('sending', 'sent',"
                         "                                           'delivered'))"
                         " FROM notify.campaign c JOIN notify.message m USING (campaign_id)"
                         " WHERE c.outage_id = $1", 1, params, error);
  if (res == NULL)
    goto fail;
  if (withdrawn)
    *withdrawn = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  if (sent)
    *sent = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

JsonNode *
aq_outage_to_json (AqOutage *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GDateTime *times[] = { o->start_time, o->expected_end, o->restored_at, o->created_at };
  const char *names[] = { "start_time", "expected_end", "restored_at", "created_at" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "outage_id");
  json_builder_add_int_value (b, o->outage_id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, o->kind);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, o->reason);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, o->status);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      json_builder_set_member_name (b, names[i]);
      if (times[i])
        {
          g_autofree char *iso = g_date_time_format_iso8601 (times[i]);
          json_builder_add_string_value (b, iso);
        }
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "created_by");
  json_builder_add_string_value (b, o->created_by);
  json_builder_set_member_name (b, "accounts");
  json_builder_add_int_value (b, o->accounts);
  json_builder_set_member_name (b, "campaigns");
  json_builder_add_int_value (b, o->campaigns);
  json_builder_set_member_name (b, "geometry");
  if (o->geometry)
    json_builder_add_value (b, aq_geometry_to_json (o->geometry));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
