/* test-notice-dialog.c — the real notice dialog on a small real demo warehouse
 *
 * Opens the dialog for a saved outage, checks the preview shows the first recipient's message
 * rendered with the real community, times and reason, edits the template and sees the preview
 * follow; the window's login submits a draft and waits (no reviewer's name to type); a notice
 * reviewer's login approves it in its own window; the first window follows the live progress
 * as the outbox changes underneath, retries the failed, then cancels: what has not left is
 * withdrawn and what had left is counted.
 */
#include <adwaita.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-notice-dialog.h"
#include "aq-screenshot.h"
#include "aq-ui.h"

#define DB_NAME "t_notice_dialog"

static AqDb *db;
static const char *test_conninfo;

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0 && gtk_widget_get_mapped (widget);
}

static gboolean
match_label_text (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return aq_test_find_widget (wait->root, match_label_text, wait->text) != NULL;
}

static gboolean
preview_shown (gpointer data)
{
  return aq_test_find_widget (data, match_name, "preview-body") != NULL;
}

static gboolean
campaign_started (gpointer data)
{
  return aq_notice_dialog_get_campaign_id (data) > 0;
}

static gboolean
approve_gone (gpointer data)
{
  return aq_test_find_widget (data, match_label_text, "_Approve and Send") == NULL;
}

/* With AQ_SCREENSHOT_DIR set (by hand, for docs/screenshots), the dialog as drawn. */
static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("AQ_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (aq_screenshot_save_png (widget, path, &error));
  g_assert_no_error (error);
}

static gint64
count_sql (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static void
test_compose_send_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqGeometry) geometry = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 2, 1, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 12, 2, 9, 0, 0);
  g_autofree char *area = aq_test_query_string (db,
    "SELECT ST_AsGeoJSON(ST_Expand(ST_Centroid(ST_Extent(geom)::geometry), 0.01), 9)"
    " FROM dw.dim_premise");
  AqOutageSpec spec = { "emergency", "阀门更换", start, end, NULL, "dispatcher1" };
  gint64 outage_id;
  g_autoptr(GPtrArray) preview = NULL;
  AqNoticeDialog *dialog;
  GtkWidget *body;
  g_autofree char *expected = NULL, *start_text = NULL, *end_text = NULL;
  AqRecipient *first;
  gint64 campaign, total;
  g_autofree char *sql = NULL, *total_text = NULL;
  LabelWait wait;

  geometry = aq_geometry_new_from_geojson (area, &error);
  g_assert_no_error (error);
  spec.geometry = geometry;
  outage_id = aq_outage_create (db, &spec, &error);
  g_assert_no_error (error);

  preview = aq_campaign_preview (db, outage_id, aq_template_default ("outage"), 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->len, ==, 1);
  first = g_ptr_array_index (preview, 0);
  start_text = aq_template_format_time (start);
  end_text = aq_template_format_time (end);

  dialog = aq_notice_dialog_new (NULL, test_conninfo, outage_id, "agent1");
  gtk_window_present (GTK_WINDOW (dialog));
  aq_test_wait_for (preview_shown, dialog, 60, "the preview");

  /* the real values in the first recipient's message */
  body = aq_test_find_widget (GTK_WIDGET (dialog), match_name, "preview-body");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (body)), ==, first->body);
  g_assert_nonnull (strstr (first->body, "阀门更换"));
  g_assert_nonnull (strstr (first->body, start_text));
  g_assert_nonnull (strstr (first->body, first->community));
  maybe_screenshot (GTK_WIDGET (dialog), "notice-dialog.png");

  /* the preview follows the editor */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
    aq_test_find_widget (GTK_WIDGET (dialog), aq_test_match_type,
                         GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)))), "{community}：{reason}至{end}", -1);
  expected = g_strdup_printf ("%s：阀门更换至%s", first->community, end_text);
  body = aq_test_find_widget (GTK_WIDGET (dialog), match_name, "preview-body");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (body)), ==, expected);

  /* no reviewer's name to type: the window's login submits a draft */
  g_assert_null (aq_test_find_widget (GTK_WIDGET (dialog), aq_test_match_type,
                                      GSIZE_TO_POINTER (GTK_TYPE_ENTRY)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "notice.send", NULL));
  aq_test_wait_for (campaign_started, dialog, 60, "the draft to be written");
  campaign = aq_notice_dialog_get_campaign_id (dialog);

  /* its author waits: no Approve for them, and nothing queued */
  wait.root = GTK_WIDGET (dialog);
  wait.text = "Waiting for approval: a notice reviewer, another person, approves it before "
              "anything is sent.";
  aq_test_wait_for (label_shown, &wait, 30, "the author's waiting note");
  g_assert_null (aq_test_find_widget (GTK_WIDGET (dialog), match_label_text,
                                      "_Approve and Send"));
  {
    g_autofree char *drafts = g_strdup_printf ("SELECT count(*) FROM notify.campaign c"
                                               " WHERE campaign_id = %" G_GINT64_FORMAT
                                               " AND status = 'draft' AND NOT EXISTS"
                                               " (SELECT 1 FROM notify.message m"
                                               "  WHERE m.campaign_id = c.campaign_id)",
                                               campaign);
    g_assert_cmpint (count_sql (drafts), ==, 1);
  }

  /* a notice reviewer's login opens the same outage: Approve is there, and sends it */
  {
    g_autofree char *info = aq_test_login_conninfo (DB_NAME, "aqnd_reviewer",
                                                    "dispatcher,notice_reviewer");
    AqNoticeDialog *review = aq_notice_dialog_new (NULL, info, outage_id, NULL);
    LabelWait button = { GTK_WIDGET (review), "_Approve and Send" };

    gtk_window_present (GTK_WINDOW (review));
    aq_test_wait_for (label_shown, &button, 60, "the reviewer's Approve");
    maybe_screenshot (GTK_WIDGET (review), "notice-review.png");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "notice.approve", NULL));
    aq_test_wait_for (approve_gone, review, 60, "the approval");
    gtk_window_destroy (GTK_WINDOW (review));
  }
  sql = g_strdup_printf ("SELECT count(*) FROM notify.message WHERE campaign_id = %"
                         G_GINT64_FORMAT, campaign);
  total = count_sql (sql);
  g_assert_cmpint (total, >, 3);
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
  wait.text = total_text;
  aq_test_wait_for (label_shown, &wait, 30, "the waiting count");
  {
    g_autofree char *reviewed = g_strdup_printf ("SELECT count(*) FROM notify.campaign"
                                                 " WHERE campaign_id = %" G_GINT64_FORMAT
                                                 " AND created_by = 'aqueduct'"
                                                 " AND reviewed_by = 'aqnd_reviewer'"
                                                 " AND template = '{community}：{reason}至{end}'",
                                                 campaign);
    g_assert_cmpint (count_sql (reviewed), ==, 1);
  }

  /* the relay fails three: the dialog shows it within a poll or two, and retry requeues */
  {
    g_autofree char *fail = g_strdup_printf (
      "UPDATE notify.message SET status = 'failed' WHERE message_id IN (SELECT message_id"
      " FROM notify.message WHERE campaign_id = %" G_GINT64_FORMAT
      " ORDER BY message_id LIMIT 3)", campaign);
    g_autofree char *failed_sql = g_strdup_printf (
      "SELECT count(*) FROM notify.message WHERE campaign_id = %" G_GINT64_FORMAT
      " AND status = 'failed'", campaign);

    g_assert_true (aq_db_exec (db, fail, &error));
    wait.text = "3";
    aq_test_wait_for (label_shown, &wait, 30, "the failed count");
    maybe_screenshot (GTK_WIDGET (dialog), "notice-progress.png");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "notice.retry", NULL));
    while (count_sql (failed_sql) > 0)
      g_main_context_iteration (NULL, TRUE);
  }

  /* two messages have left; Cancel Notice withdraws the rest and says how many had left */
  {
    g_autofree char *send2 = g_strdup_printf (
      "UPDATE notify.message SET status = 'sent', sent_at = now() WHERE message_id IN"
      " (SELECT message_id FROM notify.message WHERE campaign_id = %" G_GINT64_FORMAT
      " ORDER BY message_id LIMIT 2)", campaign);
    g_autofree char *expected_note = g_strdup_printf (
      "Cancelled: %d messages withdrawn. 2 had already been sent: send a correction notice.",
      (int) total - 2);
    g_autofree char *left = g_strdup_printf (
      "SELECT count(*) FROM notify.message WHERE campaign_id = %" G_GINT64_FORMAT
      " AND status IN ('queued', 'sending')", campaign);
    g_autofree char *withdrawn = g_strdup_printf (
      "SELECT count(*) FROM notify.message m JOIN notify.campaign c USING (campaign_id)"
      " WHERE campaign_id = %" G_GINT64_FORMAT " AND m.status = 'cancelled'"
      " AND c.status = 'cancelled'", campaign);

    g_assert_true (aq_db_exec (db, send2, &error));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "notice.cancel", NULL));
    wait.text = expected_note;
    aq_test_wait_for (label_shown, &wait, 30, "the cancellation's note");
    g_assert_cmpint (count_sql (left), ==, 0);
    g_assert_cmpint (count_sql (withdrawn), ==, total - 2);
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  /* Before any thread: the dialog's workers read it when they connect. */
  /* Each window gets its login's conninfo: AQUEDUCT_DATABASE_URL would override them all. */
  conninfo = aq_test_conninfo (DB_NAME);
  test_conninfo = conninfo;
  g_unsetenv ("AQUEDUCT_DATABASE_URL");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 2000, 13);
  g_test_add_func ("/notice-dialog/compose-send-progress", test_compose_send_progress);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
