/* aq-outage-area-private.h — the affected-accounts rule, shared by the analysis, the outage
 * and the CSV so that all three always count the same accounts */
#pragma once

/* $1: the area as GeoJSON. Yields "acc": account_id, customer_id, community_code,
 * district_code, premise_id, is_key, mobile, openid, reachable. The polygon is cut into small
 * pieces first, so each piece's bounding box is tight and the GiST index on the premises'
 * points discards nearly everything outside; DISTINCT because a point on a cut lies in two. */
#define AQ_AFFECTED_ACCOUNTS_CTE \
  "WITH area AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g)," \
  " parts AS (SELECT ST_Subdivide(g, 64) AS g FROM area)," \
  " prem AS (SELECT DISTINCT p.premise_id FROM parts" \
  "          JOIN dw.dim_premise p ON ST_Intersects(parts.g, p.geom)" \
  "          WHERE NOT p.demolished)," \
  " acc AS (SELECT a.account_id, a.customer_id, a.community_code, a.district_code," \
  "                a.premise_id," \
  "                EXISTS (SELECT 1 FROM dw.dim_key_customer k" \
  "                        WHERE k.account_id = a.account_id) AS is_key," \
  "                c.mobile, c.wechat_openid AS openid," \
  "                (c.mobile IS NOT NULL OR c.wechat_openid IS NOT NULL) AS reachable" \
  "         FROM prem JOIN dw.dim_account a ON a.premise_id = prem.premise_id" \
  "         JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  "         WHERE a.status <> 'closed')"
