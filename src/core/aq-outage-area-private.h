/* aq-outage-area-private.h — the affected-accounts rule, shared by the analysis, the outage
 * and the CSV so that all three always count the same accounts */
#pragma once

/* $1: the area as GeoJSON. Yields "acc": account_id, customer_id, community_code,
 * district_code, premise_id, is_key, mobile, openid, reachable.
 *
 * The area is written into the premises' condition itself rather than joined from a CTE or
 * cut with ST_Subdivide: the statement is planned with $1's value, so the area is a constant
 * the planner estimates against dim_premise's statistics (a street is a few hundred premises,
 * a district a hundred thousand, and the joins below are chosen accordingly; pieces from a
 * set-returning function are always guessed at 1,000 rows × 10), the GiST index takes its
 * bounding box, and PostGIS prepares the polygon once for all the point-in-polygon tests, so
 * a drawn polygon of many vertices costs little more than a box (measured: docs/PERFORMANCE.md). */
#define AQ_AFFECTED_ACCOUNTS_CTE \
  "WITH area AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g)," \
  " prem AS (SELECT p.premise_id FROM dw.dim_premise p" \
  "          WHERE ST_Intersects(p.geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))" \
  "            AND NOT p.demolished)," \
  " acc AS (SELECT a.account_id, a.customer_id, a.community_code, a.district_code," \
  "                a.premise_id," \
  "                EXISTS (SELECT 1 FROM dw.dim_key_customer k" \
  "                        WHERE k.account_id = a.account_id) AS is_key," \
  "                c.mobile, c.wechat_openid AS openid," \
  "                (c.mobile IS NOT NULL OR c.wechat_openid IS NOT NULL) AS reachable" \
  "         FROM prem JOIN dw.dim_account a ON a.premise_id = prem.premise_id" \
  "         JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  "         WHERE a.status <> 'closed')"
