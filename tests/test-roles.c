/* test-roles.c — the warehouse enforces the jobs, with real logins
 *
 * Each person here is a login of the test cluster that this OS user may log in as (peer
 * authentication through the map, as `aqueductctl user add --os-user` makes it): an agent, a
 * supervisor, an analyst, two dispatchers and a data engineer. What they may do is asked of
 * the warehouse with their own connections, and of the real aqueductctl run as them.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "aq-test-util.h"

static AqDb *db;   /* the owner's */
static char *agent_info, *super_info, *analyst_info, *disp1_info, *disp2_info, *eng_info;
static char *phone;      /* a customer's full mobile */
static char *account;    /* one of that customer's accounts */
static char *tmpdir;

/* ---- helpers ---- */

static AqDb *
connect_as (const char *info)
{
  g_autoptr(GError) error = NULL;
  AqDb *conn = aq_db_connect (info, &error);

  g_assert_no_error (error);
  return conn;
}

/* @sql must be refused for lack of privilege */
static void
assert_refused (AqDb       *conn,
                const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (aq_db_exec (conn, sql, &error));
  g_test_message ("%s → %s", sql, error ? error->message : "(no error)");
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
}

static char *
ctl_as (const char  *info,
        int         *status,
        char       **err,
        const char  *first,
        ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", info, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

/* Whether @text holds a whole mobile number (11 digits starting 1[3-9]) anywhere. */
static gboolean
holds_full_mobile (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("(?<![0-9])1[3-9][0-9]{9}(?![0-9])", 0, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

/* ---- tests ---- */

static void
test_jobs_from_login (void)
{
  g_autoptr(AqDb) agent = connect_as (agent_info);
  g_autoptr(AqDb) super = connect_as (super_info);
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  g_autofree char *login2 = NULL;
  AqJobRole jobs;

  jobs = aq_users_current_job_roles (agent, &login, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (login, ==, "aqt_agent");
  g_assert_cmpint (jobs, ==, AQ_JOB_ROLE_AGENT);
  /* a supervisor can do what an agent does */
  jobs = aq_users_current_job_roles (super, &login2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (login2, ==, "aqt_super");
  g_assert_cmpint (jobs, ==, AQ_JOB_ROLE_SUPERVISOR | AQ_JOB_ROLE_AGENT);
}

/* Direct SQL, the 360, the report list and its exports, the CLI: no path gives an agent a
 * whole phone number. */
static void
test_agent_never_reads_a_phone (void)
{
  g_autoptr(AqDb) agent = connect_as (agent_info);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomerLookup) lookup = NULL;
  g_autoptr(AqCustomer360) view = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv_path = g_build_filename (tmpdir, "arrears.csv", NULL);
  g_autofree char *xlsx_path = g_build_filename (tmpdir, "arrears.xlsx", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *audit_before = NULL;
  GStatBuf st;
  int status = -1;
  static const char *const refused[] = {
    "SELECT mobile FROM dw.dim_customer LIMIT 1",
    "SELECT value FROM dw.contact LIMIT 1",
    "SELECT mobile FROM dm.customer_profile LIMIT 1",
    "SELECT phone FROM dw.fact_call LIMIT 1",
    "SELECT phone FROM dw.fact_work_order LIMIT 1",
    "SELECT phone FROM dw.fact_installation LIMIT 1",
    "SELECT recipient FROM notify.message LIMIT 1",
    "SELECT mobile FROM notify.area_point LIMIT 1",
    "SELECT * FROM ods.billing_customer LIMIT 1",
    "SELECT * FROM src_billing.customer LIMIT 1",
    "SELECT * FROM meta.audit_log LIMIT 1",
    "COPY dw.dim_customer TO STDOUT",
    "SELECT pg_read_file('/etc/passwd')",
  };

  /* direct SQL on the tables */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused (agent, refused[i]);
  /* the masked views are what an agent reads: not one whole number in them */
  g_assert_cmpint (aq_test_query_int64 (agent,
                                        "SELECT count(*) FROM masked.dim_customer"
                                        " WHERE mobile ~ '^1[3-9][0-9]{9}$'"
                                        "    OR landline ~ '^0[0-9]{10,11}$'"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (agent,
                                        "SELECT count(*) FROM masked.contact"
                                        " WHERE value ~ '[0-9]{5}'"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (agent,
                                        "SELECT count(*) FROM masked.dim_customer"
                                        " WHERE mobile IS NOT NULL"), >, 0);
  /* the search functions answer customer numbers, never the data, and take no patterns */
  g_assert_cmpint (aq_test_query_int64 (agent,
                                        "SELECT count(*) FROM masked.customers_named('%')"),
                   ==, 0);

  /* the 360 by phone: found, masked; asking for the unmasked lookup is refused */
  lookup = aq_customer_lookup (agent, AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_AGENT, NULL, NULL,
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (lookup->view);
  node = aq_customer_lookup_to_json (lookup);
  json = json_to_string (node, FALSE);
  g_assert_false (holds_full_mobile (json));
  g_assert_null (aq_customer_lookup (agent, AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_SUPERVISOR,
                                     NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  /* a reveal, even claimed as a supervisor's, is the warehouse's to refuse */
  view = aq_customer_reveal (agent, account, AQ_ROLE_SUPERVISOR, NULL, "test", NULL, &error);
  g_assert_null (view);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);

  /* the CLI run as the agent */
  out = ctl_as (agent_info, &status, &err, "customer", "lookup", "--phone", phone, "--json",
                NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (holds_full_mobile (out));
  g_assert_nonnull (strstr (out, "\"found\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl_as (agent_info, &status, &err, "customer", "lookup", "--phone", phone, "--role",
                "supervisor", "--json", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_false (holds_full_mobile (out));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl_as (agent_info, &status, &err, "customer", "reveal", account, "--reason", "x",
                "--json", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_false (holds_full_mobile (out));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the report list and its exports, as the agent: masked, audited, private files */
  audit_before = aq_test_query_string (db, "SELECT count(*)::text FROM meta.audit_log"
                                           " WHERE action = 'report.export'"
                                           "   AND actor = 'aqt_agent'");
  out = ctl_as (agent_info, &status, &err, "report", "run", "arrears_list", "--csv", csv_path,
                "--xlsx", xlsx_path, "--json", NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_false (holds_full_mobile (csv));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.customer_profile"
                                            " WHERE arrears_amount > 0"), >, 0);
  /* not one whole name of a person either */
  {
    g_autoptr(PGresult) res = aq_db_query (db, "SELECT name FROM dm.customer_profile"
                                               " WHERE arrears_amount > 0"
                                               "   AND customer_type = 'residential'"
                                               "   AND length(name) >= 3",
                                           0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (PQntuples (res), >, 0);
    for (int i = 0; i < PQntuples (res); i++)
      g_assert_null (strstr (csv, PQgetvalue (res, i, 0)));
  }
  g_assert_cmpint (g_stat (csv_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (xlsx_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *audit_after = aq_test_query_string (db,
                                                         "SELECT count(*)::text"
                                                         " FROM meta.audit_log"
                                                         " WHERE action = 'report.export'"
                                                         "   AND actor = 'aqt_agent'"
                                                         "   AND object = 'arrears_list'"
                                                         "   AND (detail->>'rows')::int > 0");
    g_assert_cmpint (atoi (audit_after), ==, atoi (audit_before) + 1);
  }
}

/* A supervisor's reveal is audited with the login, whatever the client says. */
static void
test_supervisor_reveal_audited (void)
{
  g_autoptr(AqDb) super = connect_as (super_info);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomer360) view = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *row = NULL;
  g_autofree char *expected = g_strconcat ("aqt_super|", account, NULL);

  view = aq_customer_reveal (super, account, AQ_ROLE_SUPERVISOR, "someone-else",
                             "caller disputes the bill", NULL, &error);
  g_assert_no_error (error);
  node = aq_customer_360_to_json (view);
  json = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (json, phone));
  row = aq_test_query_string (db, "SELECT actor || '|' || object FROM meta.audit_log"
                                  " WHERE action = 'customer.reveal'"
                                  " ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (row, ==, expected);
}

/* Nobody changes or deletes an audit row: not an agent, a supervisor or a data engineer. */
static void
test_audit_append_only (void)
{
  const char *infos[] = { agent_info, super_info, eng_info };
  gint64 before = aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log");
  gint64 changed;

  g_assert_cmpint (before, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_autoptr(AqDb) conn = connect_as (infos[i]);

      assert_refused (conn, "DELETE FROM meta.audit_log");
      assert_refused (conn, "UPDATE meta.audit_log SET actor = 'nobody'");
      assert_refused (conn, "TRUNCATE meta.audit_log");
      /* and the actor it writes is its login, not what it claims */
      g_assert_true (aq_audit_write (conn, "nobody", "test.write", NULL, NULL, NULL));
    }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log"), ==,
                   before + 3);
  changed = aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log"
                                     " WHERE action = 'test.write' AND actor = 'nobody'");
  g_assert_cmpint (changed, ==, 0);
  /* the trigger holds even for a superuser who is not the table's owner */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_trigger"
                                            " WHERE tgrelid = 'meta.audit_log'::regclass"
                                            "   AND tgname LIKE 'audit_log_no_%'"), ==, 2);
}

/* The author of a notice cannot approve it: the warehouse knows who they are. */
static void
test_author_cannot_approve (void)
{
  g_autoptr(AqDb) disp1 = connect_as (disp1_info);
  g_autoptr(AqDb) disp2 = connect_as (disp2_info);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCampaignStatus) status = NULL;
  g_autofree char *outage_id = NULL;
  g_autofree char *sql = NULL;
  AqCampaignSpec spec = { 0 };
  gint64 id;

  outage_id = aq_test_query_string (db,
    "INSERT INTO notify.outage (kind, reason, start_time, expected_end, geom, created_by)"
    " SELECT 'planned', '阀门更换', now() + interval '2 days', now() + interval '2 days 4 hours',"
    "        ST_Multi(ST_Buffer(p.geom, 0.002)), 'aqt_disp1'"
    " FROM dw.dim_premise p ORDER BY p.premise_id LIMIT 1"
    " RETURNING outage_id::text");
  spec.outage_id = g_ascii_strtoll (outage_id, NULL, 10);
  spec.kind = "outage";
  spec.template_text = "{community}{start}至{end}停水";
  spec.created_by = "somebody";
  id = aq_campaign_create (disp1, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* the author, through the core and straight in SQL */
  g_assert_false (aq_campaign_approve (disp1, id, "aqt_disp2", NULL, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  sql = g_strdup_printf ("UPDATE notify.campaign SET reviewed_by = 'aqt_disp2',"
                         " status = 'queued' WHERE campaign_id = %" G_GINT64_FORMAT, id);
  assert_refused (disp1, sql);
  /* nor can one login write a notice already reviewed */
  assert_refused (disp1, "INSERT INTO notify.campaign (kind, template, reviewed_by)"
                         " VALUES ('outage', 'x', 'aqt_disp2')");

  /* a second login can */
  g_assert_true (aq_campaign_approve (disp2, id, "whoever", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  status = aq_campaign_get_status (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->created_by, ==, "aqt_disp1");
  g_assert_cmpstr (status->reviewed_by, ==, "aqt_disp2");
  g_assert_cmpstr (status->status, ==, "queued");
}

/* A pipeline runs as the data engineer, not a superuser: it cannot read the server's files,
 * whoever connected (the owner here, a superuser). */
static void
test_pipeline_cannot_read_files (void)
{
  static const char json[] =
    "{\"name\": \"t_roles_passwd\", \"steps\": ["
    " {\"id\": \"read\", \"type\": \"table_input\","
    "  \"sql\": \"SELECT pg_read_file('/etc/passwd') AS x\"},"
    " {\"id\": \"out\", \"type\": \"table_output\", \"table\": \"ods.t_roles_passwd\","
    "  \"create\": true}],"
    " \"edges\": [{\"from\": \"read\", \"to\": \"out\"}]}";
  const char *infos[] = { NULL, eng_info };

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_autoptr(AqDb) conn = infos[i] ? connect_as (infos[i]) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(AqPipeline) pipeline = aq_pipeline_new_from_data (json, -1, NULL, &error);

      g_assert_no_error (error);
      g_assert_false (aq_pipeline_runner_run_pipeline (pipeline, conn ? conn : db, NULL, NULL,
                                                       NULL, NULL, &error));
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "permission denied"));
      g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class"
                                                " WHERE relname = 't_roles_passwd'"), ==, 0);
    }
}

/* One masking rule: the warehouse's masked.*() and the app's aq_mask_*() agree on real data
 * and on the edge cases. */
static void
test_one_masking_rule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;

  res = aq_db_query (db,
                     "SELECT v, masked.phone(v), masked.name(v), masked.id_card(v) FROM ("
                     " SELECT mobile AS v FROM dw.dim_customer WHERE mobile IS NOT NULL"
                     " UNION ALL SELECT landline FROM dw.dim_customer WHERE landline IS NOT NULL"
                     " UNION ALL SELECT name FROM dw.dim_customer"
                     " UNION ALL SELECT name FROM dw.dim_key_customer"
                     " UNION ALL SELECT id_card FROM dw.dim_customer WHERE id_card IS NOT NULL"
                     " UNION ALL SELECT unnest(ARRAY['', '1', '12', '123', '1234567',"
                     "   '张', '张三', '欧阳娜娜', '·'])) s",
                     0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), >, 1000);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *v = PQgetvalue (res, i, 0);
      g_autofree char *phone = aq_mask_phone (v, AQ_ROLE_AGENT);
      g_autofree char *name = aq_mask_name (v, AQ_ROLE_AGENT);
      g_autofree char *id_card = aq_mask_id_card (v, AQ_ROLE_AGENT);

      /* the C rule counts bytes for phones and ID numbers: those are ASCII */
      if (g_str_is_ascii (v))
        {
          g_assert_cmpstr (PQgetvalue (res, i, 1), ==, phone);
          g_assert_cmpstr (PQgetvalue (res, i, 3), ==, id_card);
        }
      g_assert_cmpstr (PQgetvalue (res, i, 2), ==, name);
    }
}

/* `aqueductctl user` lists the logins and their jobs. */
static void
test_user_list (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *owner_info = aq_test_conninfo ("t_roles");
  int status = -1;

  out = ctl_as (owner_info, &status, &err, "user", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"name\" : \"aqt_agent\""));
  g_assert_nonnull (strstr (out, "\"supervisor\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* an agent may not add people */
  out = ctl_as (agent_info, &status, &err, "user", "add", "aqt_mallory", "--roles",
                "supervisor", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_roles"
                                            " WHERE rolname = 'aqt_mallory'"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* bad role names are usage errors */
  out = ctl_as (owner_info, &status, &err, "user", "add", "aqt_x", "--roles", "king", NULL);
  g_assert_cmpint (status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_demo_db_new ("t_roles", 600, 13);
  agent_info = aq_test_login_conninfo ("t_roles", "aqt_agent", "agent");
  super_info = aq_test_login_conninfo ("t_roles", "aqt_super", "supervisor");
  analyst_info = aq_test_login_conninfo ("t_roles", "aqt_analyst", "analyst");
  disp1_info = aq_test_login_conninfo ("t_roles", "aqt_disp1", "dispatcher");
  disp2_info = aq_test_login_conninfo ("t_roles", "aqt_disp2", "dispatcher,notice_reviewer");
  eng_info = aq_test_login_conninfo ("t_roles", "aqt_eng", "data_engineer");
  phone = aq_test_query_string (db, "SELECT c.mobile FROM dw.dim_customer c"
                                    " JOIN dw.dim_account a ON a.customer_id = c.customer_id"
                                    " WHERE c.mobile IS NOT NULL AND a.status = 'normal'"
                                    "   AND (SELECT count(*) FROM dw.contact k"
                                    "        WHERE k.value = c.mobile) = 1"
                                    " ORDER BY c.customer_id LIMIT 1");
  account = aq_test_query_string (db, "SELECT a.account_id FROM dw.dim_account a"
                                      " JOIN dw.dim_customer c ON c.customer_id = a.customer_id"
                                      " WHERE c.mobile = (SELECT c.mobile FROM dw.dim_customer c"
                                      "   JOIN dw.dim_account a ON a.customer_id = c.customer_id"
                                      "   WHERE c.mobile IS NOT NULL AND a.status = 'normal'"
                                      "     AND (SELECT count(*) FROM dw.contact k"
                                      "          WHERE k.value = c.mobile) = 1"
                                      "   ORDER BY c.customer_id LIMIT 1)"
                                      " ORDER BY a.status = 'normal' DESC, a.account_id LIMIT 1");
  tmpdir = g_dir_make_tmp ("aq-roles-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/roles/jobs-from-login", test_jobs_from_login);
  g_test_add_func ("/roles/agent-never-reads-a-phone", test_agent_never_reads_a_phone);
  g_test_add_func ("/roles/supervisor-reveal-audited", test_supervisor_reveal_audited);
  g_test_add_func ("/roles/audit-append-only", test_audit_append_only);
  g_test_add_func ("/roles/author-cannot-approve", test_author_cannot_approve);
  g_test_add_func ("/roles/pipeline-cannot-read-files", test_pipeline_cannot_read_files);
  g_test_add_func ("/roles/one-masking-rule", test_one_masking_rule);
  g_test_add_func ("/roles/user-list", test_user_list);
  result = g_test_run ();
  g_clear_object (&db);
  return result;
}
