/* test-customer-panel.c — the real Customer 360 panel on a small real demo warehouse
 *
 * Builds a 3000-account, 24-month demo warehouse, builds the real window against it, types a
 * phone (in a messy form) into the real search entry and checks what the panel shows against
 * independent SQL; then a miss shows the no-customer page. Then, on one account with odd reads:
 * the readings chart against SQL, the timeline and its filter, the section shortcuts, Ctrl+C's
 * tab-separated text read back from the clipboard, and the roles: an agent has no reveal, a
 * supervisor's reveal with a reason shows the full name and leaves an audit row.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-customer-panel.h"
#include "aq-labels.h"
#include "aq-panel.h"
#include "aq-reveal-dialog.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_customer_panel"

static AqDb *db;

/* The shared asserting helpers, on this test's warehouse. */
static const char *test_conninfo;   /* the owner's, for the window's monitor */

#define text1(sql, param) aq_test_text1 (db, sql, param)
#define count1(sql, param) aq_test_count1 (db, sql, param)

static gboolean
match_mapped_label (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
match_mapped_label_with (GtkWidget     *widget,
                         gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

/* the kind of a timeline row, shown as a pill (the filter buttons' labels are no pills) */
static gboolean
match_mapped_pill (GtkWidget     *widget,
                   gconstpointer  data)
{
  return match_mapped_label (widget, data) && gtk_widget_has_css_class (widget, "customer-pill");
}

static void
type_and_search (AqCustomerPanel *panel,
                 const char      *text)
{
  GtkWidget *entry = aq_customer_panel_get_search_entry (panel);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "loading");
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the lookup to answer");
}

/* ---- tests ---- */

static void
test_phone_and_miss (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *mobile = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *name = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *bills = NULL;
  AqWindow *window;
  AqCustomerPanel *panel;
  GtkWidget *row;
  GtkWidget *count;

  /* a mobile of one customer with one account, straight from the source system */
  mobile = text1 ("SELECT c.mobile FROM src_billing.customer c"
                  " WHERE c.mobile ~ '^1[0-9]{10}$'"
                  "   AND (SELECT count(*) FROM src_billing.customer c2"
                  "        WHERE c2.mobile = c.mobile) = 1"
                  "   AND (SELECT count(*) FROM dw.contact ct JOIN dw.dim_account a"
                  "        USING (customer_id) WHERE ct.kind = 'mobile'"
                  "        AND ct.value = c.mobile) = 1"
                  " ORDER BY 1 LIMIT 1", NULL);
  typed = g_strdup_printf ("+86 %.3s-%.4s %s", mobile, mobile + 3, mobile + 7);
  name = text1 ("SELECT cu.name FROM dw.contact ct JOIN dw.dim_customer cu USING (customer_id)"
                " WHERE ct.kind = 'mobile' AND ct.value = $1", mobile);
  masked = aq_mask_name (name, AQ_ROLE_AGENT);
  bills = text1 ("SELECT count(*)::text FROM dw.fact_bill b JOIN dw.dim_account a"
                 " USING (account_id) JOIN dw.contact ct ON ct.customer_id = a.customer_id"
                 " WHERE ct.kind = 'mobile' AND ct.value = $1", mobile);

  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, test_conninfo);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "customer");
  panel = AQ_CUSTOMER_PANEL (aq_window_get_panel (window, "customer"));
  g_assert_false (aq_panel_get_loading (AQ_PANEL (panel)));
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "empty");

  /* Ctrl+L's action focuses the search entry */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
  g_assert_true (gtk_widget_is_focus (aq_customer_panel_get_search_entry (panel))
                 || gtk_widget_has_focus (aq_customer_panel_get_search_entry (panel))
                 || gtk_widget_get_focus_child (aq_customer_panel_get_search_entry (panel)));

  type_and_search (panel, typed);
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "customer");
  /* the header shows the masked name: an agent never sees the whole of it */
  g_assert_cmpstr (masked, !=, name);
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (panel), match_mapped_label, masked));
  g_assert_null (aq_test_find_widget (GTK_WIDGET (panel), match_mapped_label, name));
  /* the bills row counts what the warehouse holds */
  row = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_name, "bills");
  g_assert_nonnull (row);
  count = aq_test_find_widget (row, aq_test_match_name, "count");
  g_assert_nonnull (count);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==, bills);

  /* Escape gives a lookup up: the customer shown before stays */
  gtk_editable_set_text (GTK_EDITABLE (aq_customer_panel_get_search_entry (panel)),
                         "no such customer zzqx");
  g_signal_emit_by_name (aq_customer_panel_get_search_entry (panel), "activate");
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "customer.cancel", NULL));
  g_assert_false (aq_panel_get_loading (AQ_PANEL (panel)));
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "customer");
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (panel), match_mapped_label, masked));

  /* a miss says what was searched */
  type_and_search (panel, "no such customer zzqx");
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "none");
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (panel), match_mapped_label_with,
                                 "no such customer zzqx"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
match_list_box (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LIST_BOX (widget) && gtk_widget_get_mapped (widget);
}

/* a phone shared by several accounts lists them; activating one loads that account */
static void
test_candidates (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *phone = text1 ("SELECT ct.value FROM dw.contact ct"
                                  " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                                  " WHERE ct.kind = 'mobile' GROUP BY ct.value"
                                  " HAVING count(DISTINCT a.account_id) > 1 ORDER BY 1 LIMIT 1",
                                  NULL);
  g_autofree char *expected = NULL;
  const AqCustomerLookup *result;
  AqWindow *window;
  AqCustomerPanel *panel;
  GtkWidget *list;
  GtkListBoxRow *row;
  const char *account;
  guint n = 0;

  g_assert_nonnull (phone);
  expected = text1 ("SELECT count(DISTINCT a.account_id)::text FROM dw.contact ct"
                    " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                    " WHERE ct.value = $1", phone);

  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, test_conninfo);
  gtk_window_present (GTK_WINDOW (window));
  /* the hotline's hook: app.lookup and --lookup end here */
  aq_window_lookup (window, phone);
  panel = AQ_CUSTOMER_PANEL (aq_window_get_panel (window, "customer"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (aq_customer_panel_get_search_entry
                                                        (panel))), ==, phone);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the lookup to answer");
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "candidates");

  list = aq_test_find_widget (GTK_WIDGET (panel), match_list_box, NULL);
  g_assert_nonnull (list);
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    n++;
  g_assert_cmpuint (n, ==, MIN (g_ascii_strtoull (expected, NULL, 10), 50));

  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);
  account = g_object_get_data (G_OBJECT (row), "account-id");
  g_assert_nonnull (account);
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the account to load");
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "customer");
  result = aq_customer_panel_get_result (panel);
  g_assert_nonnull (result->view);
  g_assert_cmpstr (result->view->account_id, ==, account);

  gtk_window_destroy (GTK_WINDOW (window));
}


/* ---- one account with odd reads, seen every way ---- */

typedef struct
{
  AqConnectionMonitor *monitor;
  AqWindow            *window;
  AqCustomerPanel     *panel;
  char                *mobile;
  char                *account;
} Fixture;

/* A mobile of a single-account customer whose readings hold zero and estimated reads. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->mobile = text1 ("SELECT ct.value FROM dw.contact ct"
                           " JOIN dw.dim_account a USING (customer_id)"
                           " WHERE ct.kind = 'mobile'"
                           "   AND (SELECT count(*) FROM dw.contact c2"
                           "        WHERE c2.value = ct.value) = 1"
                           "   AND (SELECT count(*) FROM dw.dim_account a2"
                           "        WHERE a2.customer_id = a.customer_id) = 1"
                           " ORDER BY (SELECT count(*) FILTER (WHERE r.read_status"
                           "                                   = 'estimated') > 0"
                           "               AND count(*) FILTER (WHERE r.read_status = 'valid'"
                           "                                    AND r.qty = 0) > 0"
                           "           FROM dw.fact_reading r"
                           "           WHERE r.account_id = a.account_id) DESC,"
                           "          (SELECT count(*) FROM dw.fact_payment p"
                           "           WHERE p.account_id = a.account_id) DESC, 1 LIMIT 1", NULL);
  fixture->account = text1 ("SELECT a.account_id FROM dw.contact ct"
                            " JOIN dw.dim_account a USING (customer_id)"
                            " WHERE ct.value = $1", fixture->mobile);
  fixture->monitor = aq_connection_monitor_new ();
  fixture->window = aq_window_new (NULL, fixture->monitor);
  aq_connection_monitor_set_conninfo (fixture->monitor, test_conninfo);
  gtk_window_present (GTK_WINDOW (fixture->window));
  aq_window_show_panel (fixture->window, "customer");
  fixture->panel = AQ_CUSTOMER_PANEL (aq_window_get_panel (fixture->window, "customer"));
  type_and_search (fixture->panel, fixture->mobile);
  g_assert_cmpstr (aq_customer_panel_get_page (fixture->panel), ==, "customer");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->monitor);
  g_free (fixture->mobile);
  g_free (fixture->account);
}

static guint
count_flags (AqReadingChart *chart,
             AqReadingFlag   flag)
{
  guint n = 0;

  for (guint i = 0; i < aq_reading_chart_get_n_points (chart); i++)
    n += aq_reading_chart_get_flag (chart, i) == flag;
  return n;
}

static void
test_chart (Fixture       *fixture,
            gconstpointer  data)
{
  AqReadingChart *chart = aq_customer_panel_get_chart (fixture->panel);
  const AqCustomerLookup *result = aq_customer_panel_get_result (fixture->panel);
  JsonArray *rows = aq_customer_360_get_rows (result->view, "readings");
  gint64 readings = count1 ("SELECT count(*) FROM dw.fact_reading WHERE account_id = $1",
                            fixture->account);
  g_autofree char *oldest = text1 ("SELECT min(period)::text FROM dw.fact_reading"
                                   " WHERE account_id = $1", fixture->account);
  g_autofree char *tooltip = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpint (readings, >, 0);
  g_assert_cmpuint (aq_reading_chart_get_n_points (chart), ==, json_array_get_length (rows));
  g_assert_cmpuint (aq_reading_chart_get_n_points (chart), ==, MIN (readings, 120));
  g_assert_cmpstr (aq_reading_chart_get_period (chart, 0), ==, oldest);

  g_assert_cmpuint (count_flags (chart, AQ_READING_ZERO), ==,
                    count1 ("SELECT count(*) FROM dw.fact_reading WHERE account_id = $1"
                            " AND read_status = 'valid' AND qty = 0", fixture->account));
  g_assert_cmpuint (count_flags (chart, AQ_READING_ESTIMATED), ==,
                    count1 ("SELECT count(*) FROM dw.fact_reading WHERE account_id = $1"
                            " AND read_status = 'estimated'", fixture->account));
  g_assert_cmpuint (count_flags (chart, AQ_READING_ABNORMAL), ==,
                    count1 ("SELECT count(*) FROM dw.fact_reading WHERE account_id = $1"
                            " AND read_status = 'abnormal'", fixture->account));
  g_assert_cmpuint (count_flags (chart, AQ_READING_ZERO), >, 0);
  g_assert_cmpuint (count_flags (chart, AQ_READING_ESTIMATED), >, 0);

  /* hover: the leftmost bar is the oldest period */
  g_assert_cmpint (aq_reading_chart_point_at (chart, 50, 600), ==, 0);
  g_assert_cmpint (aq_reading_chart_point_at (chart, 10, 600), ==, -1);
  tooltip = aq_reading_chart_describe_point (chart, 0);
  oldest[7] = '\0';
  g_assert_true (g_str_has_prefix (tooltip, oldest));

  /* the same render function draws into an image */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 200);
  cr = cairo_create (surface);
  aq_reading_chart_render (chart, cr, 600, 200);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Fires the panel's own shortcut for @keyval + @modifiers as a key press would. */
static gboolean
press (GtkWidget       *panel,
       guint            keyval,
       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (panel);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, panel,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
test_table_and_keyboard (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *panel = GTK_WIDGET (fixture->panel);
  AqRecordTable *table = aq_customer_panel_get_table (fixture->panel);
  g_auto(GStrv) header = NULL;

  /* Alt+3: the bills, under titled columns, as many rows as the section has */
  g_assert_true (gtk_widget_activate_action (panel, "customer.show-section", "s", "bills"));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "bills");
  g_assert_cmpuint (aq_record_table_get_n_rows (table), ==,
                    MIN (60, count1 ("SELECT count(*) FROM dw.fact_bill WHERE account_id = $1",
                                     fixture->account)));
  header = aq_record_table_dup_header (table);
  g_assert_cmpstr (header[0], ==, aq_label_column ("period"));
  g_assert_true (g_strv_contains ((const char * const *) header, aq_label_column ("amount")));
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label,
                                         aq_label_column ("read_status")));

  /* Ctrl+Page Down / Up walk the list, and wrap from the last section to the timeline */
  g_assert_true (gtk_widget_activate_action (panel, "customer.next-section", NULL));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "payments");
  g_assert_true (gtk_widget_activate_action (panel, "customer.previous-section", NULL));
  g_assert_true (gtk_widget_activate_action (panel, "customer.previous-section", NULL));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "accounts");
  g_assert_true (gtk_widget_activate_action (panel, "customer.show-section", "s", "outages"));
  g_assert_true (gtk_widget_activate_action (panel, "customer.next-section", NULL));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "timeline");

  /* and the keys themselves: Alt+3, Ctrl+Page Down, Alt+0 */
  g_assert_true (press (panel, GDK_KEY_3, GDK_ALT_MASK));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "payments");
  g_assert_true (press (panel, GDK_KEY_Page_Down, GDK_CONTROL_MASK));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "readings");
  g_assert_true (press (panel, GDK_KEY_0, GDK_ALT_MASK));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "timeline");
}

static void
test_timeline_filter (Fixture       *fixture,
                      gconstpointer  data)
{
  AqTimelineView *timeline = aq_customer_panel_get_timeline (fixture->panel);
  const AqCustomerLookup *result = aq_customer_panel_get_result (fixture->panel);
  const char * const sections[] = { AQ_CUSTOMER_360_SECTIONS, NULL };
  g_autoptr(GPtrArray) rows = NULL;
  gint64 payments;
  guint sum = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel),
                                             "customer.show-section", "s", "timeline"));
  g_assert_cmpstr (aq_customer_panel_get_section (fixture->panel), ==, "timeline");
  for (guint i = 0; sections[i]; i++)
    sum += json_array_get_length (aq_customer_360_get_rows (result->view, sections[i]));
  g_assert_cmpuint (aq_timeline_view_get_n_visible (timeline), ==, sum);

  /* the agent leaves only payments on, by their buttons */
  for (guint k = 0; k < AQ_TIMELINE_N_KINDS; k++)
    {
      const char *kind = aq_timeline_kind_to_string (aq_timeline_kind_nth (k));

      gtk_toggle_button_set_active (aq_timeline_view_get_toggle (timeline, kind),
                                    g_str_equal (kind, "payment"));
    }
  g_assert_cmpuint (aq_timeline_view_get_kinds (timeline), ==, AQ_TIMELINE_PAYMENT);
  payments = count1 ("SELECT count(*) FROM dw.fact_payment WHERE account_id = $1",
                     fixture->account);
  g_assert_cmpint (payments, >, 0);
  rows = aq_timeline_view_dup_rows (timeline);
  g_assert_cmpuint (rows->len, ==, MIN (50, payments));
  for (guint i = 0; i < rows->len; i++)
    {
      char **cells = g_ptr_array_index (rows, i);

      g_assert_cmpstr (cells[1], ==, aq_label_kind ("payment"));
      if (i > 0)
        g_assert_cmpint (strcmp (((char **) g_ptr_array_index (rows, i - 1))[0], cells[0]), >=, 0);
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  /* on screen: payment rows, and no bill row left */
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (timeline), match_mapped_pill,
                                         aq_label_kind ("payment")));
  g_assert_null (aq_test_find_widget (GTK_WIDGET (timeline), match_mapped_pill,
                                      aq_label_kind ("bill")));
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
text_read (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
file_written (gpointer data)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  return g_file_get_contents (data, &contents, &length, NULL) && length > 3
         && g_str_has_suffix (contents, "\r\n");
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *panel = GTK_WIDGET (fixture->panel);
  g_autofree char *text = NULL;
  g_autofree char *newest = text1 ("SELECT max(paid_at)::text FROM dw.fact_payment"
                                   " WHERE account_id = $1", fixture->account);
  g_autofree char *amount = text1 ("SELECT amount::text FROM dw.fact_payment"
                                   " WHERE account_id = $1 ORDER BY paid_at DESC, pay_no DESC"
                                   " LIMIT 1", fixture->account);
  gint64 payments = count1 ("SELECT count(*) FROM dw.fact_payment WHERE account_id = $1",
                            fixture->account);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) titles = NULL;
  g_auto(GStrv) first = NULL;

  g_assert_true (gtk_widget_activate_action (panel, "customer.show-section", "s", "payments"));
  /* Ctrl+C with the focus in the search field (where Enter left it) and nothing selected */
  gtk_widget_grab_focus (aq_customer_panel_get_search_entry (fixture->panel));
  gtk_editable_select_region (GTK_EDITABLE (aq_customer_panel_get_search_entry (fixture->panel)),
                              0, 0);
  g_assert_true (press (panel, GDK_KEY_c, GDK_CONTROL_MASK));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (panel), NULL, clipboard_read_cb,
                                 &text);
  aq_test_wait_for (text_read, &text, 10, "the clipboard");

  lines = g_strsplit (text, "\n", -1);
  /* a header line, one line per payment, and nothing after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, MIN (50, payments) + 2);
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
  titles = g_strsplit (lines[0], "\t", -1);
  g_assert_cmpstr (titles[0], ==, aq_label_column ("paid_at"));
  g_assert_cmpstr (titles[1], ==, aq_label_column ("amount"));
  first = g_strsplit (lines[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (first), ==, g_strv_length (titles));
  g_assert_cmpstr (first[0], ==, newest);
  g_assert_cmpstr (first[1], ==, amount);

  /* with text selected in the field, Ctrl+C is the field's own */
  gtk_editable_select_region (GTK_EDITABLE (aq_customer_panel_get_search_entry (fixture->panel)),
                              0, -1);
  g_assert_false (press (panel, GDK_KEY_c, GDK_CONTROL_MASK));

  /* "Export…" writes the same rows as CSV, with the byte order mark Excel needs */
  {
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "aq-test-payments.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *csv = NULL;
    g_auto(GStrv) csv_lines = NULL;
    g_autofree char *header = NULL;

    g_unlink (path);
    aq_customer_panel_export (fixture->panel, file);
    aq_test_wait_for (file_written, path, 10, "the CSV file");
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
    csv_lines = g_strsplit (csv + 3, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (csv_lines), ==, g_strv_length (lines));
    header = g_strjoinv (",", titles);
    g_assert_cmpstr (csv_lines[0], ==, header);
    g_assert_true (g_str_has_prefix (csv_lines[1], newest));
    g_unlink (path);
  }
}

static gboolean
match_mapped_action (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) && gtk_widget_get_mapped (widget)
         && gtk_widget_is_sensitive (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* The panel keeps its connection between lookups; one that died while idle is replaced
 * without the agent seeing an error. */
static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *killed = NULL;

  killed = aq_db_query_string (db, "SELECT count(pg_terminate_backend(pid))::text"
                                   " FROM pg_stat_activity"
                                   " WHERE datname = current_database()"
                                   "   AND pid <> pg_backend_pid()", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_ascii_strtoll (killed, NULL, 10), >=, 1);

  type_and_search (fixture->panel, fixture->mobile);
  g_assert_cmpstr (aq_customer_panel_get_page (fixture->panel), ==, "customer");
  g_assert_cmpstr (aq_customer_panel_get_result (fixture->panel)->view->account_id, ==,
                   fixture->account);
}

static gboolean
page_is_customer (gpointer panel)
{
  return g_strcmp0 (aq_customer_panel_get_page (panel), "customer") == 0
         && aq_test_panel_loaded (panel);
}

/* A lookup that failed while the warehouse was away runs again by itself when it answers. */
static void
test_retry_after_reconnect (Fixture       *fixture,
                            gconstpointer  data)
{
  aq_connection_monitor_set_conninfo (fixture->monitor,
                                      "host=/nonexistent-aqueduct-socket dbname=none");
  type_and_search (fixture->panel, fixture->mobile);
  g_assert_cmpstr (aq_customer_panel_get_page (fixture->panel), ==, "error");

  /* the warehouse is back: no Enter needed */
  aq_connection_monitor_set_conninfo (fixture->monitor, test_conninfo);
  aq_test_wait_for (page_is_customer, fixture->panel, 60, "the lookup to run again");
  g_assert_cmpstr (aq_customer_panel_get_result (fixture->panel)->view->account_id, ==,
                   fixture->account);
}

static AqRevealDialog *
find_reveal_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (AQ_IS_REVEAL_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return AQ_REVEAL_DIALOG (window);
    }
  return NULL;
}

static gboolean
roles_known (gpointer panel)
{
  return aq_customer_panel_get_roles_known (AQ_CUSTOMER_PANEL (panel))
         && aq_test_panel_loaded (panel);
}

/* Logs the window in as @conninfo and waits until the warehouse has said what it may do. */
static void
log_in_as (Fixture    *fixture,
           const char *conninfo)
{
  aq_connection_monitor_set_conninfo (fixture->monitor, conninfo);
  g_assert_false (aq_customer_panel_get_roles_known (fixture->panel));
  aq_test_wait_for (roles_known, fixture->panel, 60, "the login's roles");
}

/* No toggle: the warehouse says whose view it is, per login. */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *panel = GTK_WIDGET (fixture->panel);
  g_autofree char *agent_info = aq_test_login_conninfo (DB_NAME, "aqcp_agent", "agent");
  g_autofree char *super_info = aq_test_login_conninfo (DB_NAME, "aqcp_super", "supervisor");
  g_autofree char *name = text1 ("SELECT c.name FROM dw.dim_account a"
                                 " JOIN dw.dim_customer c USING (customer_id)"
                                 " WHERE a.account_id = $1", fixture->account);
  g_autofree char *masked = aq_mask_name (name, AQ_ROLE_AGENT);
  g_autofree char *reason = g_strdup_printf ("caller disputes a bill %u", g_random_int ());
  const char *params[] = { fixture->account, reason };
  g_autoptr(GError) error = NULL;
  g_autofree char *audited = NULL;
  AqRevealDialog *dialog;

  /* the balance is always there, and how fresh the data is */
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label_with, "Balance due: "));
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label_with, "Data as of 20"));

  /* the old switch and its setting are gone */
  g_assert_null (aq_test_find_widget (panel, match_mapped_label, "Supervisor"));
  g_assert_null (aq_test_find_widget (panel, match_mapped_label, "Agent"));
  {
    g_autoptr(GSettingsSchema) schema =
      g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                       "org.aqueduct.Aqueduct", TRUE);
    g_assert_false (g_settings_schema_has_key (schema, "customer-role"));
  }

  /* the agent's login: masked, and no way to reveal */
  log_in_as (fixture, agent_info);
  type_and_search (fixture->panel, fixture->mobile);
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label, masked));
  g_assert_null (aq_test_find_widget (panel, match_mapped_action, "customer.reveal"));
  gtk_widget_activate_action (panel, "customer.reveal", NULL);
  g_assert_null (find_reveal_dialog ());
  aq_customer_panel_reveal (fixture->panel, "an agent tries");
  g_assert_false (aq_panel_get_loading (AQ_PANEL (panel)));
  g_assert_false (aq_customer_panel_get_revealed (fixture->panel));

  /* the supervisor's login: still masked until a reason is given */
  log_in_as (fixture, super_info);
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label, masked));
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_action, "customer.reveal"));
  g_assert_true (gtk_widget_activate_action (panel, "customer.reveal", NULL));
  dialog = find_reveal_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "reveal"));
  aq_reveal_dialog_set_reason (dialog, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "reveal"));
  aq_reveal_dialog_set_reason (dialog, reason);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                          "reveal"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "reveal");
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the reveal");
  g_assert_true (aq_customer_panel_get_revealed (fixture->panel));
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label, name));
  g_assert_null (aq_test_find_widget (panel, match_mapped_label, masked));

  /* core wrote who (the supervisor's login, not the OS user), which account and why */
  audited = aq_db_query_string (db, "SELECT string_agg(actor, ',') FROM meta.audit_log"
                                    " WHERE action = 'customer.reveal' AND object = $1"
                                    "   AND detail->>'reason' = $2", 2, params, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (audited, ==, "aqcp_super");

  /* the agent logs in again: masked again at once */
  log_in_as (fixture, agent_info);
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the masked lookup");
  g_assert_false (aq_customer_panel_get_revealed (fixture->panel));
  g_assert_nonnull (aq_test_find_widget (panel, match_mapped_label, masked));
  g_assert_null (aq_test_find_widget (panel, match_mapped_action, "customer.reveal"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  AqSimulatorOptions options;
  int ret;

  /* The window is given the warehouse, as a profile gives it, never through
   * AQUEDUCT_DATABASE_URL: that would override every login the roles test logs in as. */
  conninfo = aq_test_conninfo (DB_NAME);
  test_conninfo = conninfo;
  g_unsetenv ("AQUEDUCT_DATABASE_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_db_new (DB_NAME, TRUE);
  aq_simulator_options_init (&options);
  options.accounts = 3000;
  options.months = 24;
  aq_simulator_run (db, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_demo_run_pipelines (db, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/customer-panel/phone-and-miss", test_phone_and_miss);
  g_test_add_func ("/customer-panel/candidates", test_candidates);
  g_test_add ("/customer-panel/chart", Fixture, NULL, fixture_set_up, test_chart,
              fixture_tear_down);
  g_test_add ("/customer-panel/table-and-keyboard", Fixture, NULL, fixture_set_up,
              test_table_and_keyboard, fixture_tear_down);
  g_test_add ("/customer-panel/timeline-filter", Fixture, NULL, fixture_set_up,
              test_timeline_filter, fixture_tear_down);
  g_test_add ("/customer-panel/copy", Fixture, NULL, fixture_set_up, test_copy,
              fixture_tear_down);
  g_test_add ("/customer-panel/roles", Fixture, NULL, fixture_set_up, test_roles,
              fixture_tear_down);
  g_test_add ("/customer-panel/reconnect", Fixture, NULL, fixture_set_up, test_reconnect,
              fixture_tear_down);
  g_test_add ("/customer-panel/retry-after-reconnect", Fixture, NULL, fixture_set_up,
              test_retry_after_reconnect, fixture_tear_down);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
