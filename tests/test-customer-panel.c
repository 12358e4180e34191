/* test-customer-panel.c — the real Customer 360 panel on a small real demo warehouse
 *
 * Builds a 3000-account, 24-month demo warehouse, builds the real window against it, types a
 * phone (in a messy form) into the real search entry and checks what the panel shows against
 * independent SQL; then a miss shows the no-customer page.
 */
#include <adwaita.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-customer-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_customer_panel"

static AqDb *db;

/* ---- helpers ---- */

static gboolean
panel_loaded (gpointer data)
{
  return !aq_panel_get_loading (AQ_PANEL (data));
}

static char *
text1 (const char *sql,
       const char *param)
{
  const char *params[] = { param };
  g_autoptr(GError) error = NULL;
  char *value = aq_db_query_string (db, sql, param ? 1 : 0, param ? params : NULL, &error);

  g_assert_no_error (error);
  return value;
}

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

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
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
  aq_test_wait_for (panel_loaded, panel, 60, "the lookup to answer");
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
  aq_connection_monitor_set_profile_url (monitor, NULL);
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
  row = aq_test_find_widget (GTK_WIDGET (panel), match_name, "bills");
  g_assert_nonnull (row);
  count = aq_test_find_widget (row, match_name, "count");
  g_assert_nonnull (count);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==, bills);

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
  aq_connection_monitor_set_profile_url (monitor, NULL);
  gtk_window_present (GTK_WINDOW (window));
  /* the hotline's hook: app.lookup and --lookup end here */
  aq_window_lookup (window, phone);
  panel = AQ_CUSTOMER_PANEL (aq_window_get_panel (window, "customer"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (aq_customer_panel_get_search_entry
                                                        (panel))), ==, phone);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (panel_loaded, panel, 60, "the lookup to answer");
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
  aq_test_wait_for (panel_loaded, panel, 60, "the account to load");
  g_assert_cmpstr (aq_customer_panel_get_page (panel), ==, "customer");
  result = aq_customer_panel_get_result (panel);
  g_assert_nonnull (result->view);
  g_assert_cmpstr (result->view->account_id, ==, account);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  AqSimulatorOptions options;
  int ret;

  /* Before any thread: the window's workers read it when they connect. */
  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

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
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
