-- 010_roles: the jobs as PostgreSQL group roles, what each may read and write, masked views
-- of personal data, an append-only audit log, and notices that need a second login.
--
-- Roles are cluster-wide and several warehouses can share one cluster: each group role is
-- created only when missing. They are NOLOGIN groups; people log in as their own login role,
-- a member of one or more groups (aqueductctl user add NAME --roles agent,…), so the warehouse
-- knows who they are (session_user) and what they may do (pg_has_role).
--
-- Personal data (names of persons, phones, ID numbers, WeChat ids) is read unmasked only by
-- supervisors (a reveal, audited), by the pipelines (aq_data_engineer, which owns the layers)
-- and by the jobs that send notices to the phones (dispatcher, operator). Everyone else reads
-- the masked.* views: security-barrier views with the same names and columns as the tables
-- they mask, masked by the functions below, which follow the rules of aq_mask_*() in
-- src/core/base/aq-phone.c so the app, the CLI and the warehouse show one thing.
--
-- Tables added by later migrations or created by pipelines get their grants from
-- meta.grant_roles(), which aq_migrations_apply() calls after every migration run.
-- Portable SQL (Greenplum 7 / Citus / PostgreSQL >= 12): no MERGE.

-- Warehouses of one cluster may migrate at once: a role another one has just created, or a
-- membership it has just granted, is not an error (advisory locks are per database).
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('aq_agent', 'Aqueduct: call-center agent (customer 360, masked)'),
    ('aq_supervisor', 'Aqueduct: supervisor (reveals personal data, audited; reads the audit log)'),
    ('aq_analyst', 'Aqueduct: marketing analyst (reports, masked)'),
    ('aq_dispatcher', 'Aqueduct: dispatcher (outages and their notices)'),
    ('aq_notice_reviewer', 'Aqueduct: second person who approves a notice'),
    ('aq_data_engineer', 'Aqueduct: pipelines (owns ods, dw, dm, staging)'),
    ('aq_operator', 'Aqueduct: the daemon (schedules, relay, health)'),
    ('aq_api', 'Aqueduct: data API service (masked)')) AS v(name, comment)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r.name);
        EXECUTE format('COMMENT ON ROLE %I IS %L', r.name, r.comment);
      EXCEPTION WHEN unique_violation OR duplicate_object THEN
        NULL;
      END;
    END IF;
  END LOOP;
  -- a supervisor can do what an agent does
  IF NOT pg_has_role('aq_supervisor', 'aq_agent', 'MEMBER') THEN
    BEGIN
      GRANT aq_agent TO aq_supervisor;
    EXCEPTION WHEN unique_violation OR duplicate_object THEN
      NULL;
    END;
  END IF;
END
$$;

-- ---- masking: the rules of aq_mask_*() ----

CREATE SCHEMA IF NOT EXISTS masked;
COMMENT ON SCHEMA masked IS 'Personal data masked: what agents, analysts and the API read';

-- '13812345678' → '138****5678', '059187654321' → '0591****4321', never more than four
-- characters before the stars (a long value stays short); shorter: '****' and at most two of
-- its last characters
CREATE FUNCTION masked.phone(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN value IS NULL THEN NULL
              WHEN length(value) >= 8
              THEN left(value, least(length(value) - 8, 4)) || '****' || right(value, 4)
              ELSE '****' || right(value, least(2, length(value) / 2)) END
$$;

-- '张三明' → '张*明', '张三' → '张*', '欧阳娜娜' → '欧**娜'
CREATE FUNCTION masked.name(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN value IS NULL THEN NULL
              WHEN length(value) <= 1 THEN '*'
              WHEN length(value) = 2 THEN left(value, 1) || '*'
              ELSE left(value, 1) || repeat('*', length(value) - 2) || right(value, 1) END
$$;

-- '350102199001011234' → '3****************4'
CREATE FUNCTION masked.id_card(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN value IS NULL THEN NULL
              WHEN length(value) <= 2 THEN '**'
              ELSE left(value, 1) || repeat('*', length(value) - 2) || right(value, 1) END
$$;

-- a WeChat openid: only whether there is one
CREATE FUNCTION masked.openid(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN value IS NULL THEN NULL ELSE '****' END $$;

CREATE VIEW masked.dim_customer WITH (security_barrier) AS
  SELECT customer_id, masked.name(name) AS name, masked.id_card(id_card) AS id_card,
         customer_type, masked.phone(mobile) AS mobile, masked.phone(landline) AS landline,
         masked.openid(wechat_openid) AS wechat_openid, address, created_on, updated_at
  FROM dw.dim_customer;

CREATE VIEW masked.contact WITH (security_barrier) AS
  SELECT customer_id, kind,
         CASE WHEN kind = 'wechat' THEN masked.openid(value) ELSE masked.phone(value) END
           AS value
  FROM dw.contact;

-- a company's name is masked like a person's: the badge beside a masked header says no more
CREATE VIEW masked.dim_key_customer WITH (security_barrier) AS
  SELECT kc_id, masked.name(name) AS name, kind, account_id, geom
  FROM dw.dim_key_customer;

CREATE VIEW masked.fact_work_order WITH (security_barrier) AS
  SELECT wo_no, account_id, masked.phone(phone) AS phone, category, priority, source, address,
         description, created_at, dispatched_at, arrived_at, closed_at, status, sla_due_at,
         sla_met
  FROM dw.fact_work_order;

CREATE VIEW masked.fact_call WITH (security_barrier) AS
  SELECT call_id, masked.phone(phone) AS phone, customer_id, started_at, ivr_path,
         wait_seconds, talk_seconds, category, agent_id, recording_file, wo_no
  FROM dw.fact_call;

CREATE VIEW masked.fact_sms WITH (security_barrier) AS
  SELECT msg_id, masked.phone(phone) AS phone, account_id, template, batch_no, sent_at, status
  FROM dw.fact_sms;

CREATE VIEW masked.fact_installation WITH (security_barrier) AS
  SELECT app_no, masked.name(applicant) AS applicant, masked.phone(phone) AS phone, address,
         app_type, customer_type, size_dn, applied_on, status, finished_on, account_id,
         days_to_connect
  FROM dw.fact_installation;

CREATE VIEW masked.customer_profile WITH (security_barrier) AS
  SELECT account_id, customer_id, masked.name(name) AS name, customer_type, account_status,
         address, community_code, community_name, district_name, dma3_code, tariff_code,
         meter_no, meter_size_dn, key_customer_kind, masked.phone(mobile) AS mobile,
         has_wechat, last_period, months_billed, avg_qty_12m, median_qty_peer,
         consumption_level, trend, zero_streak, spike, arrears_amount, overdue_months,
         payment_habit, preferred_channel, calls_12m, work_orders_12m
  FROM dm.customer_profile;

-- ---- searching by personal data without reading it ----
-- A caller's number or name finds their customer numbers, never the data itself. The input
-- is a literal (LIKE's wildcards are escaped here, whatever the client sends), so a client
-- cannot read values back a pattern at a time.

CREATE FUNCTION masked.like_literal(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT replace(replace(replace(value, '\', '\\'), '%', '\%'), '_', '\_') $$;

CREATE FUNCTION masked.customers_with_contact(phone text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT customer_id FROM dw.contact WHERE value = phone $$;

-- the last four digits of a number (reverse(value) LIKE '8765%' on the reversed index)
CREATE FUNCTION masked.customers_with_contact_tail(digits text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT DISTINCT customer_id FROM dw.contact
  WHERE digits ~ '^[0-9]{4}$' AND reverse(value) LIKE reverse(digits) || '%'
$$;

CREATE FUNCTION masked.customers_named(fragment text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT customer_id FROM dw.dim_customer
  WHERE length(fragment) >= 1 AND name ILIKE '%' || masked.like_literal(fragment) || '%'
$$;

CREATE FUNCTION masked.customers_with_id_card(id_card text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT customer_id FROM dw.dim_customer c WHERE c.id_card = customers_with_id_card.id_card $$;

-- ---- the audit log: append-only, and its actor is the login ----

CREATE FUNCTION meta.audit_log_stamp() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.actor := session_user;
  NEW.at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_stamp BEFORE INSERT ON meta.audit_log
  FOR EACH ROW EXECUTE FUNCTION meta.audit_log_stamp();

-- no grant allows UPDATE, DELETE or TRUNCATE; this refuses them to everyone but the table's
-- owner (the login that migrates), superusers included
CREATE FUNCTION meta.audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF session_user::name <> (SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                            WHERE c.oid = TG_RELID) THEN
    RAISE EXCEPTION 'meta.audit_log is append-only: % refused for %', TG_OP, session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF TG_LEVEL = 'STATEMENT' THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON meta.audit_log
  FOR EACH ROW EXECUTE FUNCTION meta.audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON meta.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION meta.audit_log_refuse();

-- ---- notices: the author and the reviewer are logins, and not the same one ----

ALTER TABLE notify.campaign ALTER COLUMN created_by SET DEFAULT session_user;
ALTER TABLE notify.outage ALTER COLUMN created_by SET DEFAULT session_user;

CREATE FUNCTION notify.campaign_people() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.created_by := session_user;
    IF NEW.reviewed_by IS NOT NULL THEN
      RAISE EXCEPTION 'reviewer: a notice is reviewed by a second login, after it is written'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF NEW.reviewed_by IS DISTINCT FROM OLD.reviewed_by THEN
    IF NEW.reviewed_by IS NOT NULL THEN
      NEW.reviewed_by := session_user;
      IF NEW.reviewed_by = OLD.created_by THEN
        RAISE EXCEPTION 'reviewer: % wrote this notice; a second person must review it',
          OLD.created_by USING ERRCODE = 'insufficient_privilege';
      END IF;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'a notice''s author cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER campaign_people BEFORE INSERT OR UPDATE ON notify.campaign
  FOR EACH ROW EXECUTE FUNCTION notify.campaign_people();

-- ---- grants ----

CREATE FUNCTION meta.personal_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE
AS $$
  SELECT t::regclass FROM unnest(ARRAY[
    'dw.dim_customer', 'dw.contact', 'dw.dim_key_customer', 'dw.fact_work_order',
    'dw.fact_call', 'dw.fact_sms', 'dw.fact_installation', 'dm.customer_profile']) t
  WHERE to_regclass(t) IS NOT NULL
$$;

-- Idempotent: run after every migration, so tables added later get their grants.
CREATE FUNCTION meta.grant_roles() RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  readers constant text := 'aq_agent, aq_supervisor, aq_analyst, aq_dispatcher, '
                           'aq_notice_reviewer, aq_operator, aq_api';
  everyone constant text := readers || ', aq_data_engineer';
  rel record;
BEGIN
  -- the layers belong to the pipelines: a replace load drops and rebuilds keys and indexes
  FOR rel IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('ods', 'dw', 'dm', 'staging')
               AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
               AND c.relowner <> 'aq_data_engineer'::regrole
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                 AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO aq_data_engineer', rel.name);
  END LOOP;
  FOR rel IN SELECT p.oid::regprocedure AS name FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname IN ('dw', 'dm') AND p.proowner <> 'aq_data_engineer'::regrole
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO aq_data_engineer', rel.name);
  END LOOP;

  EXECUTE 'GRANT USAGE, CREATE ON SCHEMA ods, dw, dm, staging TO aq_data_engineer';
  -- the demo's source systems are schemas of their own
  EXECUTE format('GRANT CREATE, TEMPORARY ON DATABASE %I TO aq_data_engineer',
                 current_database());
  EXECUTE 'GRANT USAGE ON SCHEMA dw, dm, meta, masked TO ' || everyone;
  EXECUTE 'GRANT USAGE ON SCHEMA notify TO ' || everyone;
  -- the demo's source systems: read by the pipelines only
  FOR rel IN SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'src\_%' LOOP
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO aq_data_engineer', rel.name);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO aq_data_engineer', rel.name);
  END LOOP;

  -- dw and dm: everything but personal data to every job, personal data to supervisors
  EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA dw, dm TO ' || readers;
  FOR rel IN SELECT t AS name FROM meta.personal_tables() t LOOP
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, %s', rel.name, readers);
    EXECUTE format('GRANT SELECT ON %s TO aq_supervisor', rel.name);
  END LOOP;
  EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA masked TO ' || everyone;
  EXECUTE 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA masked TO ' || everyone;
  -- sending notices needs the numbers they go to
  EXECUTE 'GRANT SELECT ON dw.dim_customer, dw.contact TO aq_dispatcher';

  -- meta: the catalog and reports for everyone, written by analysts and data engineers
  EXECUTE 'GRANT SELECT ON meta.migration, meta.dimension, meta.catalog_source, meta.indicator,'
          ' meta.indicator_dimension, meta.report, meta.pipeline_run, meta.pipeline_step_run'
          ' TO ' || everyone;
  EXECUTE 'GRANT SELECT ON meta.connection, meta.pipeline_watermark TO aq_data_engineer,'
          ' aq_operator';
  EXECUTE 'REVOKE ALL ON meta.audit_log FROM PUBLIC, ' || everyone;
  EXECUTE 'GRANT INSERT ON meta.audit_log TO ' || everyone;
  EXECUTE 'GRANT SELECT ON meta.audit_log TO aq_supervisor';
  EXECUTE 'GRANT USAGE ON ALL SEQUENCES IN SCHEMA meta TO ' || everyone;
  EXECUTE 'GRANT INSERT, UPDATE, DELETE ON meta.report TO aq_analyst, aq_data_engineer';
  EXECUTE 'GRANT INSERT, UPDATE, DELETE ON meta.dimension, meta.catalog_source, meta.indicator,'
          ' meta.indicator_dimension, meta.connection TO aq_data_engineer';
  EXECUTE 'GRANT INSERT, UPDATE, DELETE ON meta.pipeline_run, meta.pipeline_step_run,'
          ' meta.pipeline_watermark TO aq_data_engineer, aq_operator';

  -- notify: outages and notices are the dispatchers'; the relay is the operator's
  EXECUTE 'GRANT SELECT ON notify.outage, notify.outage_account, notify.campaign TO ' || readers;
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA notify'
          ' TO aq_dispatcher, aq_operator';
  EXECUTE 'GRANT SELECT, UPDATE ON notify.campaign TO aq_notice_reviewer';
  EXECUTE 'GRANT SELECT, INSERT ON notify.message TO aq_notice_reviewer';
  EXECUTE 'GRANT SELECT ON notify.outage, notify.outage_account, notify.area_point,'
          ' notify.area_point_state TO aq_notice_reviewer';
  EXECUTE 'GRANT USAGE ON ALL SEQUENCES IN SCHEMA notify TO aq_dispatcher, aq_operator,'
          ' aq_notice_reviewer';
  EXECUTE 'GRANT SELECT ON dw.dim_customer, dw.contact TO aq_notice_reviewer';
  EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA notify TO aq_supervisor';

  -- tables the pipelines create later are readable by supervisors; the next run of this
  -- function grants the rest
  EXECUTE 'ALTER DEFAULT PRIVILEGES FOR ROLE aq_data_engineer IN SCHEMA dw, dm'
          ' GRANT SELECT ON TABLES TO aq_supervisor';

  -- the daemon runs the scheduled pipelines
  IF NOT pg_has_role('aq_operator', 'aq_data_engineer', 'MEMBER') THEN
    BEGIN
      EXECUTE 'GRANT aq_data_engineer TO aq_operator';
    EXCEPTION WHEN unique_violation OR duplicate_object THEN
      NULL;
    END;
  END IF;
END
$$;

-- Tables created later, by a migration, a pipeline or a person, get their owner and grants
-- at once: the function runs as its owner, and only for DDL that makes relations outside
-- pg_temp (a pipeline's scratch tables cost nothing).
CREATE FUNCTION meta.grant_roles_on_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF coalesce(current_setting('aqueduct.granting', true), '') = 'on' THEN
    RETURN;
  END IF;
  -- a schema (created or renamed) has no schema_name; a scratch table's is pg_temp_N
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() c
                 WHERE c.schema_name IS NULL OR c.schema_name NOT LIKE 'pg\_temp%') THEN
    RETURN;
  END IF;
  PERFORM set_config('aqueduct.granting', 'on', true);
  PERFORM meta.grant_roles();
  PERFORM set_config('aqueduct.granting', '', true);
END
$$;

CREATE EVENT TRIGGER aq_grant_roles ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'CREATE VIEW',
               'CREATE MATERIALIZED VIEW', 'CREATE SCHEMA', 'ALTER SCHEMA',
               'CREATE FOREIGN TABLE')
  EXECUTE FUNCTION meta.grant_roles_on_ddl();

SELECT meta.grant_roles();
