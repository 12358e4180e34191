/* aq-outage-area-private.h — the affected-accounts rule, shared by the analysis, the outage
 * and the CSV so that all three always count the same accounts */
#pragma once

#include "aq-db.h"
#include "aq-outage-area.h"

/* Both yield "area" (the polygon) and "acc": account_id, customer_id, community_code,
 * district_code, premise_id, is_key, mobile, openid, reachable; $1 is the area as GeoJSON.
 *
 * The area is written into the points' condition itself rather than joined from a CTE or cut
 * with ST_Subdivide: the statement is planned with $1's value, so the area is a constant the
 * planner estimates against the points' statistics (pieces from a set-returning function are
 * always guessed at 1,000 rows × 10, and the joins were planned for ten times the rows), the
 * GiST index takes its bounding box, and PostGIS prepares the polygon once for all the
 * point-in-polygon tests. */
#define AQ_AREA_CTE \
  "WITH area AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g),"

/* From notify.area_point (see aq_outage_area_ensure_points()): one index scan. */
#define AQ_AFFECTED_ACCOUNTS_CTE \
  AQ_AREA_CTE \
  " acc AS (SELECT account_id, customer_id, community_code, district_code, premise_id," \
  "                is_key, mobile, openid," \
  "                (mobile IS NOT NULL OR openid IS NOT NULL) AS reachable" \
  "         FROM notify.area_point" \
  "         WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)))"

/* The same rule on dw itself: what area_point is built from, and the fallback when it cannot
 * be built (a role that may not write notify). */
#define AQ_AFFECTED_ACCOUNTS_LIVE_ROWS(where_premise) \
  "SELECT a.account_id, a.customer_id, a.community_code, a.district_code, a.premise_id," \
  "       EXISTS (SELECT 1 FROM dw.dim_key_customer k" \
  "               WHERE k.account_id = a.account_id) AS is_key," \
  "       c.mobile, c.wechat_openid AS openid," \
  "       (c.mobile IS NOT NULL OR c.wechat_openid IS NOT NULL) AS reachable, p.geom" \
  " FROM dw.dim_premise p JOIN dw.dim_account a ON a.premise_id = p.premise_id" \
  " JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  " WHERE a.status <> 'closed' AND NOT p.demolished" where_premise

#define AQ_AFFECTED_ACCOUNTS_LIVE_CTE \
  AQ_AREA_CTE \
  " acc AS (" AQ_AFFECTED_ACCOUNTS_LIVE_ROWS ( \
  "   AND ST_Intersects(p.geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))") ")"

/* TRUE when notify.area_point matches dw (rebuilt here first if a pipeline run has finished
 * since it was built); FALSE, with a warning, when it cannot be rebuilt (a role that may not
 * write notify, a warehouse without migration 007): use the _LIVE_ rule then. Not inside a
 * transaction of the caller's: the rebuild is one of its own. */
gboolean aq_outage_area_ensure_points (AqDb *db);

/* The summary over the accounts another rule picks (the network's isolation): @cte must
 * start with WITH and define "area" (column g, a geometry or NULL: communities it crosses are
 * listed too) and "acc" with the columns above. */
AqOutageArea *aq_outage_area_analyze_with (AqDb               *db,
                                           const char         *cte,
                                           int                 n_params,
                                           const char * const *params,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* The summary from the result of a statement of the caller's that yields the analysis's
 * tagged rows (see ANALYZE_TAIL in aq-outage-area.c: 't' totals, 'c' communities, 'k' key
 * customers): the network's isolation reads its communities and key customers stored per
 * segment, with a statement it prepares once per connection. */
AqOutageArea *aq_outage_area_new_from_result (PGresult *res);
