/* aq-outage-area.c — what a shutoff area affects: communities, accounts, key customers, reach
 *
 * The UI asks again each time a vertex moves, so the whole answer is one statement: the
 * affected accounts are found once (AQ_AFFECTED_ACCOUNTS_CTE, materialised because it is read
 * three times) and the totals, the communities and the key customers come back as tagged rows
 * of one result. Not prepared: the best plan depends on how big the polygon is.
 */
#define G_LOG_DOMAIN "aq-outage-area"

#include "config.h"

#include "aq-outage-area.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "aq-db-job.h"
#include "aq-csv.h"
#include "aq-error.h"
#include "aq-outage-area-private.h"
#include "aq-phone.h"

/* Columns: row kind, code, name, text1, text2, n1…n7, flag, lon, lat, n8. The distinct
 * counts sort by bytes (COLLATE "C"): same answer for numbers and openids, without strcoll. */
#define ANALYZE_SQL(cte) cte ANALYZE_TAIL
#define ANALYZE_TAIL \
  "," \
  " comm AS (SELECT community_code, count(*) AS n," \
  "                 count(*) FILTER (WHERE reachable) AS r" \
  "          FROM acc WHERE community_code IS NOT NULL GROUP BY community_code)," \
  " hit AS (SELECT cm.community_code FROM dw.dim_community cm, area" \
  "         WHERE ST_Intersects(cm.geom, area.g) AND NOT ST_Touches(cm.geom, area.g)" \
  "         UNION SELECT community_code FROM comm)" \
  " SELECT 't', NULL, NULL, NULL, NULL," \
  "        count(*), count(*) FILTER (WHERE is_key)," \
  "        count(*) FILTER (WHERE NOT is_key AND community_code IS NOT NULL)," \
  "        count(*) FILTER (WHERE reachable)," \
  "        count(*) FILTER (WHERE mobile IS NOT NULL)," \
  "        count(*) FILTER (WHERE openid IS NOT NULL)," \
  "        count(DISTINCT mobile COLLATE \"C\")," \
  "        NULL::boolean, NULL::float8, NULL::float8, count(DISTINCT openid COLLATE \"C\")" \
  " FROM acc" \
  " UNION ALL" \
  " SELECT 'c', cm.community_code, cm.name, cm.property_company, cm.property_phone," \
  "        coalesce(comm.n, 0), coalesce(comm.r, 0)," \
  "        (SELECT count(*) FROM dw.dim_account a" \
  "         WHERE a.community_code = cm.community_code AND a.status <> 'closed')," \
  "        NULL, NULL, NULL, NULL," \
  "        ST_CoveredBy(cm.geom, area.g), NULL, NULL, NULL" \
  " FROM hit JOIN dw.dim_community cm ON cm.community_code = hit.community_code" \
  " LEFT JOIN comm ON comm.community_code = hit.community_code CROSS JOIN area" \
  " UNION ALL" \
  " SELECT 'k', k.account_id, k.name, k.kind, NULL," \
  "        k.kc_id, NULL, NULL, NULL, NULL, NULL, NULL," \
  "        acc.reachable, ST_X(k.geom), ST_Y(k.geom), NULL" \
  " FROM dw.dim_key_customer k JOIN acc ON acc.account_id = k.account_id"

#define CSV_SQL(cte) \
  cte \
  " SELECT acc.account_id," \
  "        CASE WHEN acc.is_key THEN 'key' WHEN acc.community_code IS NOT NULL" \
  "             THEN 'community' ELSE 'scattered' END," \
  "        c.name, acc.mobile, acc.openid IS NOT NULL, cm.name, p.address," \
  "        (SELECT string_agg(k.name, '; ') FROM dw.dim_key_customer k" \
  "         WHERE k.account_id = acc.account_id)" \
  " FROM acc JOIN dw.dim_customer c ON c.customer_id = acc.customer_id" \
  " JOIN dw.dim_premise p ON p.premise_id = acc.premise_id" \
  " LEFT JOIN dw.dim_community cm ON cm.community_code = acc.community_code" \
  " ORDER BY acc.is_key DESC, cm.name NULLS LAST, p.address, acc.account_id"


/* ---- auxiliary methods ---- */

static void
community_free (AqAreaCommunity *c)
{
  g_free (c->community_code);
  g_free (c->name);
  g_free (c->property_company);
  g_free (c->property_phone);
  g_free (c);
}

static void
key_customer_free (AqAreaKeyCustomer *k)
{
  g_free (k->name);
  g_free (k->kind);
  g_free (k->account_id);
  g_free (k);
}

static char *
value_dup (PGresult *res, int row, int column)
{
  return PQgetisnull (res, row, column) ? NULL : g_strdup (PQgetvalue (res, row, column));
}

static gint64
value_int (PGresult *res, int row, int column)
{
  return PQgetisnull (res, row, column) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
}

static int
kind_rank (const char *kind)
{
  static const char *const order[] = { "hospital", "school", "kindergarten", "hotel",
                                       "large_consumer" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (kind, order[i]) == 0)
      return i;
  return G_N_ELEMENTS (order);
}

static int
compare_communities (gconstpointer a, gconstpointer b)
{
  const AqAreaCommunity *x = *(AqAreaCommunity **) a, *y = *(AqAreaCommunity **) b;

  if (x->accounts != y->accounts)
    return x->accounts > y->accounts ? -1 : 1;
  return g_strcmp0 (x->community_code, y->community_code);
}

static int
compare_key_customers (gconstpointer a, gconstpointer b)
{
  const AqAreaKeyCustomer *x = *(AqAreaKeyCustomer **) a, *y = *(AqAreaKeyCustomer **) b;
  int rx = kind_rank (x->kind), ry = kind_rank (y->kind), c;

  if (rx != ry)
    return rx - ry;
  c = g_strcmp0 (x->name, y->name);
  return c ? c : x->kc_id - y->kc_id;
}

static AqGeometry *
geometry_by_code (AqDb        *db,
                  const char  *sql,
                  const char  *code,
                  const char  *what,
                  GError     **error)
{
  const char *params[] = { code };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = aq_db_query_string (db, sql, 1, params, &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (text == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No %s with code “%s”"), what, code);
      return NULL;
    }
  return aq_geometry_new_from_postgis (text, error);
}

static gpointer
analyze_job (AqDb          *db,
             gpointer       task_data,
             GCancellable  *cancellable,
             GError       **error)
{
  return aq_outage_area_analyze (db, task_data, cancellable, error);
}

/* ---- the points ---- */

/* Changes whenever a pipeline run succeeds, including one that started before another that
 * already finished (a count, not only the latest id). */
#define STAMP_SQL \
  "SELECT count(*) || '/' || coalesce(max(finished_at)::text, '')" \
  " FROM meta.pipeline_run WHERE status = 'succeeded'"

gboolean
aq_outage_area_ensure_points (AqDb *db)
{
  static gsize warned = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh = NULL, *stamp = NULL;
  g_autoptr(PGresult) res = NULL;

  fresh = aq_db_query_string (db, "SELECT (SELECT stamp FROM notify.area_point_state)"
                                  "  = (" STAMP_SQL ")", 0, NULL, &error);
  if (g_strcmp0 (fresh, "t") == 0)
    return TRUE;
  if (error)
    goto fail;

  /* rebuilt by one connection at a time; the others wait here and find it fresh */
  if (!aq_db_begin (db, &error))
    goto fail;
  if (!aq_db_exec (db, "LOCK TABLE notify.area_point_state IN EXCLUSIVE MODE", &error))
    goto rollback;
  stamp = aq_db_query_string (db, STAMP_SQL, 0, NULL, &error);
  if (stamp == NULL)
    goto rollback;
  {
    const char *params[] = { stamp };
    g_autofree char *same = aq_db_query_string (db, "SELECT count(*) FROM notify.area_point_state"
                                                    " WHERE stamp = $1", 1, params, &error);

    if (same == NULL)
      goto rollback;
    if (g_str_equal (same, "1"))
      {
        aq_db_rollback (db);
        return TRUE;
      }
    if (!aq_db_exec (db, "TRUNCATE notify.area_point", &error))
      goto rollback;
    res = aq_db_query (db, "INSERT INTO notify.area_point (account_id, customer_id, premise_id,"
                           "  community_code, district_code, is_key, mobile, openid, geom)"
                           " SELECT account_id, customer_id, premise_id, community_code,"
                           "        district_code, is_key, mobile, openid, geom"
                           " FROM (" AQ_AFFECTED_ACCOUNTS_LIVE_ROWS ("") ") live",
                       0, NULL, &error);
    if (res == NULL)
      goto rollback;
    g_clear_pointer (&res, PQclear);
    res = aq_db_query (db, "DELETE FROM notify.area_point_state", 0, NULL, &error);
    if (res == NULL)
      goto rollback;
    g_clear_pointer (&res, PQclear);
    res = aq_db_query (db, "INSERT INTO notify.area_point_state (stamp) VALUES ($1)", 1, params,
                       &error);
    if (res == NULL)
      goto rollback;
  }
  /* in the transaction: whoever waited on the lock plans with the new statistics */
  if (!aq_db_exec (db, "ANALYZE notify.area_point", &error) || !aq_db_commit (db, &error))
    goto rollback;
  g_debug ("notify.area_point rebuilt for %s", stamp);
  return TRUE;

rollback:
  aq_db_rollback (db);
fail:
  if (g_once_init_enter (&warned))
    {
      g_warning ("Outage areas are counted without notify.area_point, more slowly: %s",
                 error ? error->message : "unknown error");
      g_once_init_leave (&warned, 1);
    }
  return FALSE;
}

/* Runs an analysis statement (@sql: the area and acc CTEs, then ANALYZE_TAIL) and reads its
 * tagged rows into the summary. */
static AqOutageArea *
analyze_query (AqDb               *db,
               const char         *sql,
               int                 n_params,
               const char * const *params,
               GCancellable       *cancellable,
               gint64              started,
               GError            **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(AqOutageArea) area = NULL;
  gulong handler;

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query (db, sql, n_params, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  if (res == NULL)
    return NULL;
  area = aq_outage_area_new_from_result (res);
  area->elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  return g_steal_pointer (&area);
}

AqOutageArea *
aq_outage_area_new_from_result (PGresult *res)
{
  g_autoptr(AqOutageArea) area = NULL;

  area = g_new0 (AqOutageArea, 1);
  area->communities = g_ptr_array_new_with_free_func ((GDestroyNotify) community_free);
  area->key_customers = g_ptr_array_new_with_free_func ((GDestroyNotify) key_customer_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      char kind = PQgetvalue (res, i, 0)[0];

      if (kind == 't')
        {
          area->accounts = value_int (res, i, 5);
          area->key_accounts = value_int (res, i, 6);
          area->community_accounts = value_int (res, i, 7);
          area->scattered_accounts = area->accounts - area->key_accounts
                                     - area->community_accounts;
          area->reachable = value_int (res, i, 8);
          area->reachable_sms = value_int (res, i, 9);
          area->reachable_wechat = value_int (res, i, 10);
          area->sms_recipients = value_int (res, i, 11);
          area->wechat_recipients = value_int (res, i, 15);
        }
      else if (kind == 'c')
        {
          AqAreaCommunity *c = g_new0 (AqAreaCommunity, 1);

          c->community_code = value_dup (res, i, 1);
          c->name = value_dup (res, i, 2);
          c->property_company = value_dup (res, i, 3);
          c->property_phone = value_dup (res, i, 4);
          c->accounts = value_int (res, i, 5);
          c->reachable = value_int (res, i, 6);
          c->accounts_total = value_int (res, i, 7);
          c->inside = g_strcmp0 (PQgetvalue (res, i, 12), "t") == 0;
          c->needs_notice = c->accounts > 0
                            && c->reachable < AQ_OUTAGE_AREA_REACH_SHARE * c->accounts;
          area->notice_communities += c->needs_notice;
          g_ptr_array_add (area->communities, c);
        }
      else
        {
          AqAreaKeyCustomer *k = g_new0 (AqAreaKeyCustomer, 1);

          k->account_id = value_dup (res, i, 1);
          k->name = value_dup (res, i, 2);
          k->kind = value_dup (res, i, 3);
          k->kc_id = (gint) value_int (res, i, 5);
          k->reachable = g_strcmp0 (PQgetvalue (res, i, 12), "t") == 0;
          k->lon = g_ascii_strtod (PQgetvalue (res, i, 13), NULL);
          k->lat = g_ascii_strtod (PQgetvalue (res, i, 14), NULL);
          g_ptr_array_add (area->key_customers, k);
        }
    }
  g_ptr_array_sort (area->communities, compare_communities);
  g_ptr_array_sort (area->key_customers, compare_key_customers);
  return g_steal_pointer (&area);
}

/* ---- private methods ---- */

AqOutageArea *
aq_outage_area_analyze_with (AqDb               *db,
                             const char         *cte,
                             int                 n_params,
                             const char * const *params,
                             GCancellable       *cancellable,
                             GError            **error)
{
  g_autofree char *sql = g_strconcat (cte, ANALYZE_TAIL, NULL);

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return analyze_query (db, sql, n_params, params, cancellable, g_get_monotonic_time (),
                        error);
}

/* ---- public methods ---- */

void
aq_outage_area_free (AqOutageArea *area)
{
  if (area == NULL)
    return;
  g_clear_pointer (&area->communities, g_ptr_array_unref);
  g_clear_pointer (&area->key_customers, g_ptr_array_unref);
  g_free (area);
}

/**
 * aq_outage_area_analyze:
 *
 * Checks @geometry in the warehouse first (an invalid area is an AQ_GEOJSON_ERROR_INVALID,
 * never a count), then counts what it affects. An area holding no account is an answer
 * with zeros, not an error.
 */
AqOutageArea *
aq_outage_area_analyze (AqDb              *db,
                        const AqGeometry  *geometry,
                        GCancellable      *cancellable,
                        GError           **error)
{
  const char *params[1];
  gint64 started = g_get_monotonic_time ();
  gboolean points;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (geometry != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!aq_geometry_check (db, geometry, error))
    return NULL;

  params[0] = geometry->geojson;
  points = aq_outage_area_ensure_points (db);
  return analyze_query (db, points ? ANALYZE_SQL (AQ_AFFECTED_ACCOUNTS_CTE)
                                   : ANALYZE_SQL (AQ_AFFECTED_ACCOUNTS_LIVE_CTE),
                        1, params, cancellable, started, error);
}

void
aq_outage_area_analyze_async (const char          *conninfo,
                              const AqGeometry    *geometry,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (geometry != NULL);
  aq_db_job_run_async (conninfo, aq_outage_area_analyze_async, analyze_job,
                       aq_geometry_copy (geometry), (GDestroyNotify) aq_geometry_free,
                       (GDestroyNotify) aq_outage_area_free, cancellable, callback, user_data);
}

AqOutageArea *
aq_outage_area_analyze_finish (GAsyncResult  *result,
                               GError       **error)
{
  return aq_db_job_run_finish (result, aq_outage_area_analyze_async, error);
}

JsonNode *
aq_outage_area_to_json (AqOutageArea *area)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
#define INT_MEMBER(name, value) \
  json_builder_set_member_name (b, name); json_builder_add_int_value (b, value)
  INT_MEMBER ("accounts", area->accounts);
  INT_MEMBER ("key_accounts", area->key_accounts);
  INT_MEMBER ("community_accounts", area->community_accounts);
  INT_MEMBER ("scattered_accounts", area->scattered_accounts);
  INT_MEMBER ("reachable", area->reachable);
  INT_MEMBER ("reachable_sms", area->reachable_sms);
  INT_MEMBER ("reachable_wechat", area->reachable_wechat);
  INT_MEMBER ("unreachable", area->accounts - area->reachable);
  INT_MEMBER ("sms_recipients", area->sms_recipients);
  INT_MEMBER ("wechat_recipients", area->wechat_recipients);
  INT_MEMBER ("notice_communities", area->notice_communities);
  json_builder_set_member_name (b, "key_customers");
  json_builder_begin_array (b);
  for (guint i = 0; i < area->key_customers->len; i++)
    {
      AqAreaKeyCustomer *k = g_ptr_array_index (area->key_customers, i);

      json_builder_begin_object (b);
      INT_MEMBER ("kc_id", k->kc_id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, k->name);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, k->kind);
      json_builder_set_member_name (b, "account_id");
      json_builder_add_string_value (b, k->account_id);
      json_builder_set_member_name (b, "reachable");
      json_builder_add_boolean_value (b, k->reachable);
      json_builder_set_member_name (b, "lon");
      json_builder_add_double_value (b, k->lon);
      json_builder_set_member_name (b, "lat");
      json_builder_add_double_value (b, k->lat);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "communities");
  json_builder_begin_array (b);
  for (guint i = 0; i < area->communities->len; i++)
    {
      AqAreaCommunity *c = g_ptr_array_index (area->communities, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "community_code");
      json_builder_add_string_value (b, c->community_code);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->name);
      json_builder_set_member_name (b, "property_company");
      json_builder_add_string_value (b, c->property_company);
      json_builder_set_member_name (b, "property_phone");
      json_builder_add_string_value (b, c->property_phone);
      INT_MEMBER ("accounts", c->accounts);
      INT_MEMBER ("accounts_total", c->accounts_total);
      INT_MEMBER ("reachable", c->reachable);
      json_builder_set_member_name (b, "inside");
      json_builder_add_boolean_value (b, c->inside);
      json_builder_set_member_name (b, "needs_notice");
      json_builder_add_boolean_value (b, c->needs_notice);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
#undef INT_MEMBER
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
aq_outage_area_write_csv (AqDb              *db,
                          const AqGeometry  *geometry,
                          GOutputStream     *out,
                          GCancellable      *cancellable,
                          GError           **error)
{
  const char *params[1];
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) text = g_string_new ("\xEF\xBB\xBF");  /* BOM: Excel reads UTF-8 then */
  gboolean points;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (!aq_geometry_check (db, geometry, error))
    return FALSE;
  params[0] = geometry->geojson;
  points = aq_outage_area_ensure_points (db);
  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query (db, points ? CSV_SQL (AQ_AFFECTED_ACCOUNTS_CTE)
                                : CSV_SQL (AQ_AFFECTED_ACCOUNTS_LIVE_CTE),
                     1, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    return FALSE;

  aq_csv_append (text, _("Account"), FALSE);
  aq_csv_append (text, _("Kind"), FALSE);
  aq_csv_append (text, _("Customer"), FALSE);
  aq_csv_append (text, _("Mobile"), FALSE);
  aq_csv_append (text, _("WeChat"), FALSE);
  aq_csv_append (text, _("Community"), FALSE);
  aq_csv_append (text, _("Address"), FALSE);
  aq_csv_append (text, _("Key customer"), TRUE);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *kind = PQgetvalue (res, i, 1);
      g_autofree char *name = aq_mask_name (PQgetvalue (res, i, 2), AQ_ROLE_AGENT);
      g_autofree char *mobile = PQgetisnull (res, i, 3) ? NULL
                                : aq_mask_phone (PQgetvalue (res, i, 3), AQ_ROLE_AGENT);

      aq_csv_append (text, PQgetvalue (res, i, 0), FALSE);
      aq_csv_append (text, g_str_equal (kind, "key") ? _("Key customer")
                           : g_str_equal (kind, "community") ? _("Community customer")
                           : _("Scattered customer"), FALSE);
      aq_csv_append (text, name, FALSE);
      aq_csv_append (text, mobile, FALSE);
      aq_csv_append (text, g_strcmp0 (PQgetvalue (res, i, 4), "t") == 0 ? _("yes") : _("no"), FALSE);
      aq_csv_append (text, PQgetvalue (res, i, 5), FALSE);
      aq_csv_append (text, PQgetvalue (res, i, 6), FALSE);
      aq_csv_append (text, PQgetvalue (res, i, 7), TRUE);
    }
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

gboolean
aq_outage_area_prepare (AqDb     *db,
                        GError  **error)
{
  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (aq_outage_area_ensure_points (db))
    return TRUE;
  g_set_error (error, AQ_ERROR, AQ_ERROR_QUERY,
               _("notify.area_point cannot be built; see the warning above"));
  return FALSE;
}

AqGeometry *
aq_outage_area_for_zone (AqDb        *db,
                         const char  *zone_code,
                         GError     **error)
{
  return geometry_by_code (db, "SELECT ST_AsGeoJSON(ST_Multi(geom), 9) FROM dw.dim_dma_zone"
                               " WHERE zone_code = $1",
                           zone_code, _("DMA zone"), error);
}

AqGeometry *
aq_outage_area_for_community (AqDb        *db,
                              const char  *community_code,
                              GError     **error)
{
  return geometry_by_code (db, "SELECT ST_AsGeoJSON(ST_Multi(geom), 9) FROM dw.dim_community"
                               " WHERE community_code = $1",
                           community_code, _("community"), error);
}

char *
aq_outage_area_code_at (AqDb     *db,
                        double    lon,
                        double    lat,
                        int       dma_level,
                        GError  **error)
{
  char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE], level[16];
  const char *params[] = { x, y, level };

  g_ascii_dtostr (x, sizeof x, lon);
  g_ascii_dtostr (y, sizeof y, lat);
  g_snprintf (level, sizeof level, "%d", dma_level);
  if (dma_level == 0)
    return aq_db_query_string (db, "SELECT community_code FROM dw.dim_community"
                                   " WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))"
                                   "   AND $3::int = 0 ORDER BY ST_Area(geom) LIMIT 1",
                               3, params, error);
  return aq_db_query_string (db, "SELECT zone_code FROM dw.dim_dma_zone"
                                 " WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))"
                                 "   AND level = $3::int ORDER BY zone_code LIMIT 1",
                             3, params, error);
}
