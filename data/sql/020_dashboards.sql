-- 020_dashboards: cockpits and big screens (src/core/dashboard/, docs/DASHBOARDS.md).
--
-- A dashboard is identified by its name; every save adds a row to dashboard_version and bumps
-- dashboard.version, so an older layout can be read back (and restored) after an edit. The
-- shipped dashboards (data/dashboards/*.json) are written by aq_warehouse_prepare() as
-- standard ones; a user's change to one is saved under a new name.
CREATE TABLE meta.dashboard (
  name         text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9_.-]{1,100}$'),
  title        text NOT NULL DEFAULT '',
  kind         text NOT NULL CHECK (kind IN ('cockpit', 'screen')),
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  definition   jsonb NOT NULL,
  standard     boolean NOT NULL DEFAULT false,
  author       text NOT NULL DEFAULT current_user,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meta.dashboard_version (
  name         text NOT NULL REFERENCES meta.dashboard ON DELETE CASCADE,
  version      integer NOT NULL,
  definition   jsonb NOT NULL,
  author       text NOT NULL DEFAULT current_user,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version)
);

-- Everyone who can open a report can open a dashboard; analysts (and data engineers) design
-- them, the operator's daemon records deliveries of them.
GRANT SELECT ON meta.dashboard, meta.dashboard_version
  TO aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, aq_notice_reviewer, aq_data_engineer,
     aq_operator, aq_api;
GRANT INSERT, UPDATE, DELETE ON meta.dashboard, meta.dashboard_version
  TO aq_analyst, aq_data_engineer, aq_supervisor;
