-- 007_outage: the indexes the outage analysis (src/core/aq-outage-area.c) reads that 002 lacks.

-- each community's open accounts, the "n of N" beside the affected count: an index-only count
-- per community instead of a scan of every account per community the area touches
CREATE INDEX dim_account_community_idx ON dw.dim_account (community_code, status);

-- One row per account the outage analysis can count (open, on a premise not demolished), with
-- what it needs: the premise's point, community, district, key-customer flag, and the
-- customer's mobile and openid. Derived from dw by src/core/aq-outage-area.c, which rebuilds it
-- whenever a pipeline run has finished since it was built (area_point_state.stamp), so the
-- analysis of a 100,000-account area is one GiST scan and no join over the dimensions.
CREATE TABLE notify.area_point (
  account_id      text PRIMARY KEY,
  customer_id     text NOT NULL,
  premise_id      bigint NOT NULL,
  community_code  text,
  district_code   text,
  is_key          boolean NOT NULL,
  mobile          text,
  openid          text,
  geom            geometry(Point, 4326) NOT NULL
);
CREATE INDEX area_point_geom_idx ON notify.area_point USING gist (geom);

-- stamp: the succeeded pipeline runs (count and latest finish) the rows were built after
CREATE TABLE notify.area_point_state (
  one       boolean PRIMARY KEY DEFAULT true CHECK (one),
  stamp     text NOT NULL,
  built_at  timestamptz NOT NULL DEFAULT now()
);
