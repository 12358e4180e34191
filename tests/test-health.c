/* test-health.c — the health check reports what the warehouse is, and fails when it is gone */
#include "aq-test-util.h"

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static AqHealthReport *
check_sync (const char          *conninfo,
            AqHealthCheckFlags   flags,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  aq_health_check_async (conninfo, flags, NULL, check_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return aq_health_check_finish (result, error);
}

static void
test_health_reports_warehouse (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_health", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_health");
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 size = 0;

  report = check_sync (conninfo, AQ_HEALTH_CHECK_EXACT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_true (g_str_has_prefix (report->description, "t_health@"));
  g_assert_true (g_ascii_isdigit (report->server_version[0]));
  aq_db_query_int64 (db, "SELECT pg_database_size('t_health')", 0, NULL, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->database_size, >, 0);
  g_assert_cmpint (report->database_size, <=, size * 2);
  g_assert_false (report->has_demo_data);
  g_assert_false (report->has_dw);
  g_clear_pointer (&report, aq_health_report_free);

  aq_db_exec (db, "CREATE SCHEMA src_billing;"
              "INSERT INTO dw.dim_tariff VALUES ('T1', 'x', 'residential', NULL, NULL, 1, NULL,"
              "                                 NULL, 1)", &error);
  g_assert_no_error (error);
  report = check_sync (conninfo, AQ_HEALTH_CHECK_EXACT, &error);
  g_assert_no_error (error);
  g_assert_true (report->has_demo_data);
  g_assert_true (report->has_dw);
}

static void
test_health_fails_when_gone (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_health_gone", FALSE);
  g_autofree char *conninfo = aq_test_conninfo ("t_health_gone");
  g_autofree char *admin_info = aq_test_conninfo ("postgres");
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&db);
  admin = aq_db_connect (admin_info, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, "DROP DATABASE t_health_gone WITH (FORCE)", &error);
  g_assert_no_error (error);

  report = check_sync (conninfo, AQ_HEALTH_CHECK_EXACT, &error);
  g_assert_null (report);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_CONNECTION);
}

static void
test_health_environment_wins (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_health_env", FALSE);
  g_autofree char *conninfo = aq_test_conninfo ("t_health_env");
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  report = check_sync ("host=/nonexistent dbname=nothing", AQ_HEALTH_CHECK_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (report->description, "t_health_env@"));
  g_clear_pointer (&report, aq_health_report_free);

  /* a test of the profile itself ignores the environment */
  report = check_sync ("host=/nonexistent dbname=nothing", AQ_HEALTH_CHECK_EXACT, &error);
  g_assert_null (report);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_CONNECTION);
  g_unsetenv ("AQUEDUCT_DATABASE_URL");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/health/reports-warehouse", test_health_reports_warehouse);
  g_test_add_func ("/health/fails-when-gone", test_health_fails_when_gone);
  g_test_add_func ("/health/environment-wins", test_health_environment_wins);
  return g_test_run ();
}
