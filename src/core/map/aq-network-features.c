/* aq-network-features.c — the water network's pipes, valves and sources, read by box
 *
 * The outage map's network layers (pipes by diameter, valves by status, sources) read the
 * conformed network tables of migration 012 one indexed query per kind (the && operator on
 * the geometry's GiST index). Coordinates come back as plain text pairs (no JSON to parse):
 * lines simplified on the server when the caller says how much a pixel holds.
 */
#define G_LOG_DOMAIN "aq-network-features"

#include "config.h"

#include "aq-network-features.h"

#include <stdlib.h>

#define BOX "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)"

/* $1..$4: the box, $5: tolerance, $6: limit, $7: min DN.
 * Columns: id, dn, status, name, coordinates as "lon lat,lon lat,...", year, pipe. */
static const char *const kind_sql[] = {
  [AQ_NETWORK_FEATURE_PIPE] =
    "SELECT pipe_id, dn, material, NULL,"
    " (SELECT string_agg(ST_X(d.geom) || ' ' || ST_Y(d.geom), ',' ORDER BY d.path)"
    "  FROM ST_DumpPoints(CASE WHEN $5::float8 > 0"
    "   THEN ST_SimplifyPreserveTopology(geom, $5::float8) ELSE geom END) d)"
    " , coalesce(install_year, 0), pipe_id"
    " FROM dw.network_pipe WHERE geom && " BOX " AND dn >= $7::int"
    " ORDER BY dn, pipe_id LIMIT $6::int",
  [AQ_NETWORK_FEATURE_VALVE] =
    "SELECT valve_id, dn, CASE WHEN NOT operable THEN 'broken' ELSE status END, NULL,"
    " ST_X(geom) || ' ' || ST_Y(geom), 0, pipe_id"
    " FROM dw.network_valve WHERE geom && " BOX " AND $5::float8 >= 0 AND $7::int >= 0"
    " ORDER BY valve_id LIMIT $6::int",
  [AQ_NETWORK_FEATURE_SOURCE] =
    "SELECT source_id, 0, kind, name, ST_X(geom) || ' ' || ST_Y(geom), 0, 0"
    " FROM dw.network_source WHERE geom && " BOX " AND $5::float8 >= 0 AND $7::int >= 0"
    " ORDER BY source_id LIMIT $6::int",
};

/* ---- auxiliary methods ---- */

static GArray *
read_coords (const char *text)
{
  GArray *coords = g_array_new (FALSE, FALSE, sizeof (double));
  const char *p = text;

  while (*p != '\0')
    {
      char *end;
      double v = g_ascii_strtod (p, &end);

      if (end == p)
        break;
      g_array_append_val (coords, v);
      p = end;
      while (*p == ' ' || *p == ',')
        p++;
    }
  if (coords->len % 2 != 0)
    g_array_set_size (coords, coords->len - 1);
  return coords;
}

/* ---- public methods ---- */

void
aq_network_feature_free (AqNetworkFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->status);
  g_free (feature->name);
  g_clear_pointer (&feature->coords, g_array_unref);
  g_free (feature);
}

GPtrArray *
aq_network_features_load (AqDb                  *db,
                          AqNetworkFeatureKind   kind,
                          double                 min_lon,
                          double                 min_lat,
                          double                 max_lon,
                          double                 max_lat,
                          int                    min_dn,
                          double                 tolerance,
                          guint                  limit,
                          GCancellable          *cancellable,
                          GError               **error)
{
  char box[4][G_ASCII_DTOSTR_BUF_SIZE], tol[G_ASCII_DTOSTR_BUF_SIZE];
  char lim[16], dn[16];
  const char *params[] = { box[0], box[1], box[2], box[3], tol, lim, dn };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) features = NULL;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (kind < AQ_NETWORK_FEATURE_N_KINDS, NULL);

  g_ascii_dtostr (box[0], sizeof box[0], min_lon);
  g_ascii_dtostr (box[1], sizeof box[1], min_lat);
  g_ascii_dtostr (box[2], sizeof box[2], max_lon);
  g_ascii_dtostr (box[3], sizeof box[3], max_lat);
  g_ascii_dtostr (tol, sizeof tol, MAX (tolerance, 0));
  g_snprintf (lim, sizeof lim, "%u", limit ? limit : 50000);
  g_snprintf (dn, sizeof dn, "%d", MAX (min_dn, 0));

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query_prepared (db, kind_sql[kind], G_N_ELEMENTS (params), params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  if (res == NULL)
    return NULL;

  features = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_network_feature_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqNetworkFeature *feature;

      if (PQgetisnull (res, i, 4))
        continue;
      feature = g_new0 (AqNetworkFeature, 1);
      feature->kind = kind;
      feature->id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      feature->dn = atoi (PQgetvalue (res, i, 1));
      feature->status = g_strdup (PQgetvalue (res, i, 2));
      feature->name = PQgetisnull (res, i, 3) ? NULL : g_strdup (PQgetvalue (res, i, 3));
      feature->coords = read_coords (PQgetvalue (res, i, 4));
      feature->year = atoi (PQgetvalue (res, i, 5));
      feature->pipe_id = g_ascii_strtoll (PQgetvalue (res, i, 6), NULL, 10);
      g_ptr_array_add (features, feature);
    }
  return g_steal_pointer (&features);
}
