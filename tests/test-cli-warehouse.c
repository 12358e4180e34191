/* test-cli-warehouse.c — aqueductctl warehouse as a user runs it: a real process, a real
 * cluster in a directory of its own */
#include "aq-test-util.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *warehouse_dir;

static void
test_lifecycle (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) o = NULL;
  int status = -1;

  /* nothing there yet */
  g_free (aq_test_ctl (&status, NULL, "warehouse", "status", NULL));
  g_assert_cmpint (status, ==, 4);

  out = aq_test_ctl (&status, &err, "warehouse", "init", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Created the warehouse"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_ctl (&status, NULL, "warehouse", "status", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  o = aq_test_parse_object (out);
  g_assert_true (json_object_get_boolean_member (o, "running"));
  g_assert_cmpint (json_object_get_int_member (o, "pid"), >, 0);
  g_assert_cmpint (json_object_get_int_member (o, "disk_bytes"), >, 1000000);
  g_clear_pointer (&out, g_free);

  /* a second init changes nothing and says so */
  out = aq_test_ctl (&status, NULL, "warehouse", "init", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "(0 migrations applied)"));
  g_clear_pointer (&out, g_free);

  /* the URL works for any libpq client: use it */
  out = aq_test_ctl (&status, NULL, "warehouse", "url", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AqDb) db = aq_db_connect (g_strstrip (out), &error);
    gint64 n = 0;

    g_assert_no_error (error);
    aq_db_query_int64 (db, "SELECT count(*) FROM meta.migration", 0, NULL, &n, &error);
    g_assert_no_error (error);
    g_assert_cmpint (n, >=, 3);
  }
  g_clear_pointer (&out, g_free);

  g_free (aq_test_ctl (&status, NULL, "warehouse", "stop", NULL));
  g_assert_cmpint (status, ==, 0);
  g_free (aq_test_ctl (&status, NULL, "warehouse", "status", NULL));
  g_assert_cmpint (status, ==, 3);

  /* stopped: commands that need it say what to do, with the "unavailable" exit code */
  g_free (aq_test_ctl (&status, &err, "migrate", NULL));
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, "aqueductctl warehouse start"));
  g_clear_pointer (&err, g_free);

  g_free (aq_test_ctl (&status, NULL, "warehouse", "start", NULL));
  g_assert_cmpint (status, ==, 0);
  g_free (aq_test_ctl (&status, NULL, "warehouse", "stop", NULL));
  g_assert_cmpint (status, ==, 0);
}

static void
test_bad_usage (void)
{
  g_autofree char *err = NULL;
  int status = -1;

  g_free (aq_test_ctl (&status, &err, "warehouse", "explode", NULL));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "Usage:"));
  g_clear_pointer (&err, g_free);

  g_free (aq_test_ctl (&status, &err, "no-such-command", NULL));
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&err, g_free);

  g_free (aq_test_ctl (&status, &err, "warehouse", "init", "--demo", "--scale", "5", NULL));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "between 100 and 5 000 000 accounts"));
}

static void
test_unreachable_url (void)
{
  const char *argv[] = { g_getenv ("AQUEDUCTCTL"), "migrate", NULL };
  const char *env[] = { "AQUEDUCT_DATABASE_URL", "postgresql:///nothing?host=/nonexistent", NULL };
  g_autofree char *err = NULL;
  int status = -1;

  g_free (aq_test_run_command (argv, env, &status, &err));
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, "Cannot connect"));
}

/* As root the server runs as "postgres": a directory it cannot reach gets a plain answer. */
static void
test_unreachable_dir_as_root (void)
{
  g_autofree char *closed = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("AQUEDUCTCTL"), "warehouse", "init", NULL };
  const char *env[] = { "AQUEDUCT_WAREHOUSE_DIR", NULL, NULL };
  int status = -1;

  if (geteuid () != 0)
    {
      g_test_skip ("only as root");
      return;
    }
  closed = g_dir_make_tmp ("aqclosed-XXXXXX", NULL);
  g_assert_nonnull (closed);
  g_chmod (closed, 0700);
  dir = g_build_filename (closed, "warehouse", NULL);
  env[1] = dir;
  g_free (aq_test_run_command (argv, env, &status, &err));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "cannot reach"));
  g_rmdir (dir);
  g_rmdir (closed);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqLocalWarehouse) wh = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  warehouse_dir = g_dir_make_tmp ("aqw-XXXXXX", &error);
  g_assert_no_error (error);
  /* the directory is created by init; it must not exist yet */
  g_rmdir (warehouse_dir);
  {
    const char *env[] = { "AQUEDUCT_WAREHOUSE_DIR", warehouse_dir, "AQUEDUCT_DATABASE_URL", "",
                          NULL };

    aq_test_ctl_set_env (env);
  }

  g_test_add_func ("/cli/warehouse/lifecycle", test_lifecycle);
  g_test_add_func ("/cli/warehouse/bad-usage", test_bad_usage);
  g_test_add_func ("/cli/warehouse/unreachable-url", test_unreachable_url);
  g_test_add_func ("/cli/warehouse/unreachable-dir-as-root", test_unreachable_dir_as_root);
  ret = g_test_run ();

  wh = aq_local_warehouse_new (warehouse_dir);
  aq_local_warehouse_destroy (wh, NULL);
  g_free (warehouse_dir);
  return ret;
}
