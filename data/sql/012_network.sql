-- 012_network.sql — the water network as a graph (dw), its valve segments and who is on each
-- one (dm), for burst isolation (src/core/network/).
--
-- A valve sits on a pipe next to one of the pipe's end junctions. A valve segment is what is
-- left connected when every valve is closed: junctions and pipes joined wherever a pipe meets
-- a junction without a valve between them. Segments touch each other only through valves, so
-- the segment graph (dm.network_segment_valve) is small and isolation walks it, not the pipes.
-- The standard pipeline dm_network fills dm from dw with dm.network_build_segments().

CREATE TABLE dw.network_node (
  node_id  bigint PRIMARY KEY,
  geom     geometry(Point, 4326) NOT NULL
);

CREATE TABLE dw.network_pipe (
  pipe_id       bigint PRIMARY KEY,
  from_node     bigint NOT NULL,
  to_node       bigint NOT NULL,
  dn            smallint NOT NULL,
  material      text NOT NULL,
  install_year  smallint,
  length_m      double precision NOT NULL,
  geom          geometry(LineString, 4326) NOT NULL
);
CREATE INDEX network_pipe_geom_idx ON dw.network_pipe USING gist (geom);

-- status: open, closed (its normal position); operable false: it cannot be turned (stuck)
CREATE TABLE dw.network_valve (
  valve_id  bigint PRIMARY KEY,
  pipe_id   bigint NOT NULL,
  node_id   bigint NOT NULL,
  dn        smallint NOT NULL,
  status    text NOT NULL,
  operable  boolean NOT NULL,
  geom      geometry(Point, 4326) NOT NULL
);
CREATE INDEX network_valve_geom_idx ON dw.network_valve USING gist (geom);

-- kind: plant (a water plant's outlet), tank
CREATE TABLE dw.network_source (
  source_id  integer PRIMARY KEY,
  kind       text NOT NULL,
  name       text NOT NULL,
  node_id    bigint NOT NULL,
  geom       geometry(Point, 4326) NOT NULL
);

CREATE TABLE dw.service_connection (
  premise_id  bigint PRIMARY KEY,
  pipe_id     bigint NOT NULL,
  length_m    double precision NOT NULL
);
CREATE INDEX service_connection_pipe_idx ON dw.service_connection (pipe_id);

-- ---------------------------------------------------------------- segments

CREATE TABLE dm.network_segment (
  segment_id  integer PRIMARY KEY,
  pipes       integer NOT NULL,
  length_m    double precision NOT NULL,
  sources     integer NOT NULL,
  premises    integer NOT NULL,
  accounts    integer NOT NULL
);
CREATE TABLE dm.network_pipe_segment (
  pipe_id     bigint PRIMARY KEY,
  segment_id  integer NOT NULL
);
CREATE INDEX network_pipe_segment_idx ON dm.network_pipe_segment (segment_id);
CREATE TABLE dm.network_node_segment (
  node_id     bigint PRIMARY KEY,
  segment_id  integer NOT NULL
);
-- The segment graph: every valve joins the segment of its pipe and that of its junction
-- (the same one when a loop goes round it: closing it then cuts nothing off).
CREATE TABLE dm.network_segment_valve (
  valve_id      bigint PRIMARY KEY,
  pipe_segment  integer NOT NULL,
  node_segment  integer NOT NULL,
  status        text NOT NULL,
  operable      boolean NOT NULL
);
-- Every account on its premise's service connection's segment.
CREATE TABLE dm.network_account (
  account_id  text PRIMARY KEY,
  premise_id  bigint NOT NULL,
  pipe_id     bigint NOT NULL,
  segment_id  integer NOT NULL
);
CREATE INDEX network_account_segment_idx ON dm.network_account (segment_id);

-- Union-find over junctions and pipes (junctions 1..N, pipes N+1..N+P), a pipe joined to an
-- end junction unless a valve sits there; the smaller root always wins, so one ascending pass
-- afterwards leaves every element pointing at its root. Segments are numbered by their
-- smallest element. Runs in the calling pipeline's transaction; returns the segments' count.
CREATE FUNCTION dm.network_build_segments () RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  n_nodes  integer;
  n        integer;
  parent   integer[];
  r        record;
  a        integer;
  b        integer;
  result   integer;
BEGIN
  DROP TABLE IF EXISTS pg_temp.nw_node_ix, pg_temp.nw_pipe_ix, pg_temp.nw_root;
  CREATE TEMP TABLE nw_node_ix ON COMMIT DROP AS
    SELECT node_id, row_number() OVER (ORDER BY node_id)::integer AS ix FROM dw.network_node;
  n_nodes := (SELECT count(*) FROM nw_node_ix);
  CREATE TEMP TABLE nw_pipe_ix ON COMMIT DROP AS
    SELECT pipe_id, from_node, to_node,
           (n_nodes + row_number() OVER (ORDER BY pipe_id))::integer AS ix
    FROM dw.network_pipe;
  n := n_nodes + (SELECT count(*) FROM nw_pipe_ix);
  parent := ARRAY (SELECT generate_series(1, n));

  FOR r IN
    SELECT e.pix, j.ix AS nix
    FROM (SELECT pipe_id, ix AS pix, from_node AS node_id FROM nw_pipe_ix
          UNION ALL
          SELECT pipe_id, ix, to_node FROM nw_pipe_ix) e
    JOIN nw_node_ix j ON j.node_id = e.node_id
    WHERE NOT EXISTS (SELECT 1 FROM dw.network_valve v
                      WHERE v.pipe_id = e.pipe_id AND v.node_id = e.node_id)
  LOOP
    a := r.pix;
    WHILE parent[a] <> a LOOP
      parent[a] := parent[parent[a]];
      a := parent[a];
    END LOOP;
    b := r.nix;
    WHILE parent[b] <> b LOOP
      parent[b] := parent[parent[b]];
      b := parent[b];
    END LOOP;
    IF a < b THEN
      parent[b] := a;
    ELSIF b < a THEN
      parent[a] := b;
    END IF;
  END LOOP;
  FOR i IN 1 .. n LOOP
    parent[i] := parent[parent[i]];
  END LOOP;

  CREATE TEMP TABLE nw_root ON COMMIT DROP AS
    SELECT s.ix::integer AS ix, dense_rank() OVER (ORDER BY s.root)::integer AS segment_id
    FROM unnest(parent) WITH ORDINALITY AS s (root, ix);

  TRUNCATE dm.network_node_segment, dm.network_pipe_segment, dm.network_segment_valve,
           dm.network_segment;
  INSERT INTO dm.network_node_segment (node_id, segment_id)
    SELECT j.node_id, rt.segment_id FROM nw_node_ix j JOIN nw_root rt ON rt.ix = j.ix;
  INSERT INTO dm.network_pipe_segment (pipe_id, segment_id)
    SELECT p.pipe_id, rt.segment_id FROM nw_pipe_ix p JOIN nw_root rt ON rt.ix = p.ix;
  INSERT INTO dm.network_segment_valve (valve_id, pipe_segment, node_segment, status, operable)
    SELECT v.valve_id, ps.segment_id, ns.segment_id, v.status, v.operable
    FROM dw.network_valve v
    JOIN dm.network_pipe_segment ps ON ps.pipe_id = v.pipe_id
    JOIN dm.network_node_segment ns ON ns.node_id = v.node_id;
  INSERT INTO dm.network_segment (segment_id, pipes, length_m, sources, premises, accounts)
    SELECT rt.segment_id, 0, 0, 0, 0, 0 FROM nw_root rt GROUP BY rt.segment_id;
  result := (SELECT count(*) FROM dm.network_segment);
  RETURN result;
END
$$;
