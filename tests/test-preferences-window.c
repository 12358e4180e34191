/* test-preferences-window.c — the connection profile: shown, tested, applied
 *
 * The session of a test has no keyring; a profile without password never needs one.
 */
#include <adwaita.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-preferences-window.h"
#include "aq-ui.h"

#define DB_NAME "t_ui_prefs"

/* ---- helpers ---- */

static gboolean
match_row_title (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
row (AqPreferencesWindow *prefs,
     const char          *title)
{
  GtkWidget *widget = aq_test_find_widget (GTK_WIDGET (prefs), match_row_title, title);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
text_of (AqPreferencesWindow *prefs,
         const char          *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (prefs, title)));
}

static void
set_text (AqPreferencesWindow *prefs,
          const char          *title,
          const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (prefs, title)), text);
}

static const char *
test_result (AqPreferencesWindow *prefs)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row (prefs, "Test Connection")));
}

typedef struct
{
  AqPreferencesWindow *prefs;
  const char          *prefix;
} TestResult;

static gboolean
test_result_has_prefix (gpointer data)
{
  TestResult *t = data;

  return g_str_has_prefix (test_result (t->prefs), t->prefix);
}

static void
wait_for_test_result (AqPreferencesWindow *prefs,
                      const char          *prefix)
{
  TestResult t = { prefs, prefix };

  aq_test_wait_for (test_result_has_prefix, &t, 20, prefix);
}

static void
profile_applied_cb (AqPreferencesWindow *prefs,
                    const char          *url,
                    const char          *password,
                    char               **out_url)
{
  g_free (*out_url);
  *out_url = g_strdup (url ? url : "(embedded)");
}

/* ---- tests ---- */

static void
test_preferences_shows_profile (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.aqueduct.Aqueduct");
  AqPreferencesWindow *prefs;
  GtkWidget *server_row;
  GtkWidget *check;

  g_settings_set_string (settings, "connection-mode", "url");
  g_settings_set_string (settings, "connection-url",
                         "postgresql://analyst@dw.water.example:6543/aqueduct?sslmode=require");

  prefs = aq_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (prefs));

  g_assert_cmpstr (text_of (prefs, "Host"), ==, "dw.water.example");
  g_assert_cmpstr (text_of (prefs, "Port (5432 when empty)"), ==, "6543");
  g_assert_cmpstr (text_of (prefs, "Database"), ==, "aqueduct");
  g_assert_cmpstr (text_of (prefs, "User"), ==, "analyst");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (prefs,
                                                                    "Encryption (sslmode)"))),
                    ==, 3);
  server_row = row (prefs, "PostgreSQL _Server");
  check = aq_test_find_widget (server_row, aq_test_match_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (gtk_widget_get_sensitive (gtk_widget_get_ancestor (row (prefs, "Host"),
                                                                    ADW_TYPE_PREFERENCES_GROUP)));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "connection-mode");
  g_settings_reset (settings, "connection-url");
}

static void
test_preferences_test_and_apply (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DB_NAME, FALSE);
  g_autoptr(GSettings) settings = g_settings_new ("org.aqueduct.Aqueduct");
  g_autofree char *cluster_dir = aq_test_cluster_ensure ();
  g_autofree char *applied_url = NULL;
  g_autofree char *stored_url = NULL;
  g_autofree char *expected_url = NULL;
  g_autoptr(AqProfile) profile = aq_profile_new ();
  AqPreferencesWindow *prefs;
  GtkWidget *check;

  prefs = aq_preferences_window_new (NULL, settings);
  g_signal_connect (prefs, "profile-applied", G_CALLBACK (profile_applied_cb), &applied_url);
  gtk_window_present (GTK_WINDOW (prefs));

  /* a port that is no port is refused before anything connects */
  check = aq_test_find_widget (row (prefs, "PostgreSQL _Server"), aq_test_match_type,
                       GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  set_text (prefs, "Port (5432 when empty)", "54x");
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.test-connection", NULL);
  g_assert_nonnull (strstr (test_result (prefs), "54x"));

  /* a server that is not there: the row says why, in libpq's words */
  set_text (prefs, "Host", "/nonexistent");
  set_text (prefs, "Port (5432 when empty)", "");
  set_text (prefs, "Database", DB_NAME);
  set_text (prefs, "User", "aqueduct");
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.test-connection", NULL);
  wait_for_test_result (prefs, "Cannot connect");

  /* the test cluster: connected, with its name and version */
  set_text (prefs, "Host", cluster_dir);
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.test-connection", NULL);
  wait_for_test_result (prefs, "Connected to " DB_NAME "@");
  g_assert_nonnull (strstr (test_result (prefs), "PostgreSQL"));

  /* testing stored nothing; applying stores the URL (no password) and hands it on */
  g_assert_cmpstr (g_settings_get_string (settings, "connection-mode"), ==, "embedded");
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.apply", NULL);

  profile->host = g_strdup (cluster_dir);
  profile->dbname = g_strdup (DB_NAME);
  profile->user = g_strdup ("aqueduct");
  expected_url = aq_profile_to_url (profile);
  stored_url = g_settings_get_string (settings, "connection-url");
  g_assert_cmpstr (stored_url, ==, expected_url);
  g_assert_cmpstr (g_settings_get_string (settings, "connection-mode"), ==, "url");
  g_assert_cmpstr (applied_url, ==, expected_url);

  /* back to the embedded warehouse */
  check = aq_test_find_widget (row (prefs, "_Embedded Warehouse"), aq_test_match_type,
                       GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.apply", NULL);
  g_assert_cmpstr (g_settings_get_string (settings, "connection-mode"), ==, "embedded");
  g_assert_cmpstr (applied_url, ==, "(embedded)");

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  /* The profile under test must be what connects, not the environment. */
  g_unsetenv ("AQUEDUCT_DATABASE_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  g_test_add_func ("/preferences-window/shows-profile", test_preferences_shows_profile);
  g_test_add_func ("/preferences-window/test-and-apply", test_preferences_test_and_apply);
  return g_test_run ();
}
