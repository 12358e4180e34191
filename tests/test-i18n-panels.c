/* test-i18n-panels.c — every panel of the window, loaded with a demo warehouse under
 * LANGUAGE=zh_CN, shows no English words: the text of every label, button and status page
 * that is on screen is read (widgets not mapped are not seen by the user and are skipped).
 * Panels whose strings another branch is translating are listed in PENDING until they are
 * integrated (an empty list is the goal). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "aq-test-i18n.h"
#include "aq-test-ui.h"
#include "aq-test-util.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_i18n_panels"

/* Panels not checked yet, and why (none: the standard APIs' titles and descriptions are
 * Chinese with the English kept since migration 029). */
static const char *const pending[] = { NULL };

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  /* libshumate's own widgets (scale, zoom buttons, licence) carry the library's strings */
  if (!gtk_widget_get_mapped (widget) || g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Shumate"))
    return;
  /* a label that is one lower-case identifier names a table or a column: code */
  if (GTK_IS_LABEL (widget)
      && !g_regex_match_simple ("^[a-z][a-z0-9_]*$", gtk_label_get_text (GTK_LABEL (widget)),
                                0, 0))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_EDITABLE (widget) && GTK_IS_TEXT (widget))
    {
      const char *placeholder = gtk_text_get_placeholder_text (GTK_TEXT (widget));

      if (placeholder)
        g_string_append_printf (text, "%s\n", placeholder);
    }
  if (gtk_widget_get_tooltip_text (widget))
    g_string_append_printf (text, "%s\n", gtk_widget_get_tooltip_text (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/* The API market names its APIs (payments, outages…) and its protocol (GET, the answer's
 * {code, message, data, page} and page.next as cursor) as they are on the wire: codes, in the
 * API panel only. Anything else in it is read as every other panel is. */
static char *
without_api_codes (AqDb       *db,
                   const char *text)
{
  g_autofree char *names = aq_test_query_string (db, "SELECT string_agg(name, '|')"
                                                     " FROM meta.api");
  g_autofree char *pattern = g_strdup_printf ("\\b(%s|GET|POST|code|message|data|page|"
                                              "cursor)\\b", names);
  g_autoptr(GRegex) codes = g_regex_new (pattern, 0, 0, NULL);

  g_assert_nonnull (codes);
  return g_regex_replace_literal (codes, text, -1, 0, "", 0, NULL);
}

static gboolean
is_pending (const char *name)
{
  return g_strv_contains (pending, name);
}

static void
test_panels (void)
{
  g_autoptr(AqDb) db = aq_test_demo_db_new (DB_NAME, 300, 13);
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  const char *const *names = aq_window_get_panel_names ();
  AqWindow *window = aq_window_new (NULL, monitor);
  guint checked = 0;

  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; names[i]; i++)
    {
      AqPanel *panel = aq_window_get_panel (window, names[i]);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *words = NULL;
      g_autofree char *what = g_strdup_printf ("the %s panel to load", names[i]);

      if (is_pending (names[i]))
        continue;
      g_assert_true (aq_window_show_panel (window, names[i]));
      aq_test_wait_for (aq_test_panel_loaded, panel, 60, what);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      collect_text (GTK_WIDGET (window), text);
      if (g_str_equal (names[i], "api"))
        {
          g_autofree char *rest = without_api_codes (db, text->str);

          g_string_assign (text, rest);
        }
      words = aq_test_english_words (text->str);
      if (*words)
        g_test_message ("the %s panel shows:\n%s", names[i], text->str);
      g_assert_cmpstr (words, ==, "");
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
named (GtkWidget     *widget,
       gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The quality rule editor: the rule's name is 规则名称, not a person's 姓名 (the msgid "Name"
 * is shared with the customer's), and its drop-downs show Chinese words, not the codes that
 * the English-word check above lets through as identifiers. */
static void
test_quality_editor (void)
{
  g_autoptr(AqDb) db = aq_test_demo_db_new (DB_NAME "_q", 100, 13);
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *conninfo = aq_test_conninfo (DB_NAME "_q");
  g_autoptr(GString) text = g_string_new (NULL);
  AqWindow *window;
  AqPanel *panel;
  GtkWidget *type;

  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, conninfo);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  panel = aq_window_get_panel (window, "quality");
  g_assert_true (aq_window_show_panel (window, "quality"));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the quality panel to load");
  g_signal_emit_by_name (aq_test_find_widget (GTK_WIDGET (panel), named, "quality-new-rule"),
                         "clicked");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  collect_text (GTK_WIDGET (panel), text);
  g_test_message ("the quality editor shows:\n%s", text->str);
  g_assert_nonnull (strstr (text->str, "规则名称\n"));
  g_assert_null (strstr (text->str, "姓名"));
  g_assert_nonnull (strstr (text->str, "非空\n"));     /* the rule type, first: not null */
  g_assert_nonnull (strstr (text->str, "完整性\n"));   /* the dimension: completeness */
  g_assert_nonnull (strstr (text->str, "警告\n"));     /* the severity: warn */
  type = aq_test_find_widget (GTK_WIDGET (panel), named, "editor-type");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model
                                                                 (GTK_DROP_DOWN (type))), 6),
                   ==, "自定义 SQL");
  gtk_window_destroy (GTK_WINDOW (window));
  aq_test_drop_database (DB_NAME "_q");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = aq_test_conninfo (DB_NAME);
  g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                 NULL);
  int status;

  /* Before any thread: the window's workers read it when they connect. */
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();
  g_test_add_func ("/i18n-panels/all", test_panels);
  g_test_add_func ("/i18n-panels/quality-editor", test_quality_editor);
  status = g_test_run ();
  aq_test_drop_database (DB_NAME);
  return status;
}
