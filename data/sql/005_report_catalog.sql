-- 005_report_catalog: the indicator catalog (the semantic layer) and saved report definitions.
-- The shipped catalog and standard reports are written by the seeding step that runs after
-- the migrations (aq_catalog_seed), from data/catalog/*.json and data/reports/*.json.

-- Dimensions, sources (a cube or fact with the expression of each dimension in it, and its
-- named conditions) and indicators: one JSON definition each, as in data/catalog/. The
-- columns beside the definition are for browsing and searching in SQL.
CREATE TABLE meta.dimension (
  id          text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  category    text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('time', 'geo', 'attribute')),
  position    integer NOT NULL DEFAULT 0,
  standard    boolean NOT NULL DEFAULT false,
  definition  text NOT NULL
);

CREATE TABLE meta.catalog_source (
  id          text PRIMARY KEY,
  standard    boolean NOT NULL DEFAULT false,
  definition  text NOT NULL
);

CREATE TABLE meta.indicator (
  id           text PRIMARY KEY,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  category     text NOT NULL,
  source_id    text NOT NULL REFERENCES meta.catalog_source (id),
  aggregation  text NOT NULL CHECK (aggregation IN ('sum', 'count', 'ratio', 'avg')),
  unit         text NOT NULL DEFAULT '',
  format       text NOT NULL,
  position     integer NOT NULL DEFAULT 0,
  standard     boolean NOT NULL DEFAULT false,
  definition   text NOT NULL
);

-- Which dimensions each indicator can be cut by (derived from its source; for SQL browsing).
CREATE TABLE meta.indicator_dimension (
  indicator_id  text NOT NULL REFERENCES meta.indicator (id) ON DELETE CASCADE,
  dimension_id  text NOT NULL REFERENCES meta.dimension (id) ON DELETE CASCADE,
  PRIMARY KEY (indicator_id, dimension_id)
);

-- Report definitions: the JSON of docs/REPORTS.md. version counts saves; standard reports
-- ship with Aqueduct and are rewritten by the seeding step, never by users.
CREATE TABLE meta.report (
  name         text PRIMARY KEY,
  title        text NOT NULL,
  description  text NOT NULL DEFAULT '',
  kind         text NOT NULL CHECK (kind IN ('pivot', 'list')),
  definition   jsonb NOT NULL,
  author       text NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  standard     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The zero-consumption list asks for runs of at least N months: few rows of a big table.
CREATE INDEX consumption_streak_months_all_idx ON dm.consumption_streak (months);
