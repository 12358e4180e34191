/* aq-api-panel-versions.c — the API panel's versions page and its way into the wizard
 *
 * Every version of the open API with its note, author and time, the published one marked;
 * each row compares itself with the version before (aq_api_diff(): the SQL line by line, the
 * parameters added, removed or changed, the response fields) and, for logins the warehouse
 * lets publish, rolls the API back to it (aq_api_rollback(), after a confirmation). "Define an
 * API…" and "New Version…" open the wizard; when it publishes, the market is read again and
 * the API opened. All warehouse work on aq_db_job workers.
 */
#define G_LOG_DOMAIN "aq-api-panel"

#include "config.h"

#include "aq-api-panel-private.h"

#include <glib/gi18n.h>

#include "aq-panel.h"

/* ---- the diff as text ---- */

static void
append (GtkTextBuffer *buffer,
        GString       *plain,
        const char    *text,
        const char    *tag)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (tag)
    gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, tag, NULL);
  else
    gtk_text_buffer_insert (buffer, &end, text, -1);
  g_string_append (plain, text);
}

static char *
param_text (JsonObject *param)
{
  JsonNode *deflt = json_object_get_member (param, "default");
  g_autofree char *deflt_text = deflt ? json_to_string (deflt, FALSE) : NULL;
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s (%s", json_object_get_string_member (param, "name"),
                          json_object_get_string_member_with_default (param, "type", "?"));
  if (json_object_get_boolean_member_with_default (param, "required", FALSE))
    g_string_append_printf (text, ", %s", _("required"));
  if (deflt_text)
    g_string_append_printf (text, ", %s %s", _("default"), deflt_text);
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

static void
show_diff (AqApiPanel *self,
           JsonObject *diff)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autofree char *head = g_strdup_printf (_("%s: version %d → %d\n\n"),
                                           json_object_get_string_member (diff, "api"),
                                           (int) json_object_get_int_member (diff, "from_version"),
                                           (int) json_object_get_int_member (diff, "to_version"));
  JsonArray *sql = json_object_get_array_member (diff, "sql");
  JsonObject *params = json_object_get_object_member (diff, "params");
  JsonObject *fields = json_object_has_member (diff, "fields")
                       ? json_object_get_object_member (diff, "fields") : NULL;
  const char *kinds[] = { "added", "removed" };
  const char *marks[] = { "+ ", "- " };
  const char *tags[] = { "added", "removed" };
  guint n = 0;

  gtk_text_buffer_set_text (buffer, "", -1);
  append (buffer, plain, head, "heading");
  append (buffer, plain, _("SQL"), "heading");
  append (buffer, plain, "\n", NULL);
  if (!json_object_get_boolean_member (diff, "sql_changed"))
    append (buffer, plain, _("  unchanged\n"), NULL);
  else
    for (guint i = 0; i < json_array_get_length (sql); i++)
      {
        JsonObject *line = json_array_get_object_element (sql, i);
        const char *op = json_object_get_string_member (line, "op");
        g_autofree char *text = g_strdup_printf ("%s %s\n", op,
                                                 json_object_get_string_member (line, "line"));

        append (buffer, plain, text, g_str_equal (op, "+") ? "added"
                                     : g_str_equal (op, "-") ? "removed" : NULL);
      }

  append (buffer, plain, "\n", NULL);
  append (buffer, plain, _("Parameters"), "heading");
  append (buffer, plain, "\n", NULL);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      JsonArray *list = json_object_get_array_member (params, kinds[k]);

      for (guint i = 0; i < json_array_get_length (list); i++, n++)
        {
          g_autofree char *p = param_text (json_array_get_object_element (list, i));
          g_autofree char *text = g_strdup_printf ("%s%s\n", marks[k], p);

          append (buffer, plain, text, tags[k]);
        }
    }
  {
    JsonArray *list = json_object_get_array_member (params, "changed");

    for (guint i = 0; i < json_array_get_length (list); i++, n++)
      {
        JsonObject *change = json_array_get_object_element (list, i);
        g_autofree char *a = param_text (json_object_get_object_member (change, "from"));
        g_autofree char *b = param_text (json_object_get_object_member (change, "to"));
        g_autofree char *text = g_strdup_printf ("~ %s → %s\n", a, b);

        append (buffer, plain, text, "changed");
      }
  }
  if (n == 0)
    append (buffer, plain, _("  unchanged\n"), NULL);

  append (buffer, plain, "\n", NULL);
  append (buffer, plain, _("Response fields"), "heading");
  append (buffer, plain, "\n", NULL);
  n = 0;
  if (fields == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("  not known: %s\n"),
                                               json_object_get_string_member_with_default (
                                                 diff, "fields_error", ""));

      append (buffer, plain, text, NULL);
    }
  else
    {
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          JsonArray *list = json_object_get_array_member (fields, kinds[k]);

          for (guint i = 0; i < json_array_get_length (list); i++, n++)
            {
              g_autofree char *text = g_strdup_printf ("%s%s\n", marks[k],
                                                       json_array_get_string_element (list, i));

              append (buffer, plain, text, tags[k]);
            }
        }
      if (n == 0)
        append (buffer, plain, _("  unchanged\n"), NULL);
    }
  if (json_object_has_member (diff, "paging"))
    append (buffer, plain, _("\nPaging changed.\n"), "changed");
  if (json_object_has_member (diff, "forward"))
    append (buffer, plain, _("\nThe forwarded target changed.\n"), "changed");
  g_free (self->diff_text);
  self->diff_text = g_string_free (g_steal_pointer (&plain), FALSE);
}

/* ---- jobs ---- */

typedef struct
{
  char *name;
  int   v1, v2;
} DiffRequest;

static void
diff_request_free (DiffRequest *r)
{
  g_free (r->name);
  g_free (r);
}

static gpointer
diff_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  DiffRequest *r = data;

  return aq_api_diff (db, r->name, r->v1, r->v2, error);
}

static void
diff_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) diff = aq_db_job_run_finish (result, diff_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  if (diff == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->diff_view), error->message, -1);
      g_free (self->diff_text);
      self->diff_text = g_strdup (error->message);
      return;
    }
  show_diff (self, diff);
}

static gpointer
versions_job (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return aq_api_versions (db, data, error);
}

static void
diff_clicked_cb (GtkButton  *button,
                 AqApiPanel *self)
{
  int version = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "version"));

  aq_api_panel_diff (self, version - 1, version);
}

static void
rollback_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      AqApiPanel       *self)
{
  if (g_str_equal (response, "rollback"))
    aq_api_panel_rollback (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog),
                                                                     "version")));
}

static void
rollback_clicked_cb (GtkButton  *button,
                     AqApiPanel *self)
{
  int version = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "version"));
  g_autofree char *heading = g_strdup_printf (_("Roll %s Back to Version %d?"),
                                              self->api->name, version);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading,
                                   _("Callers get this version's answers from the next call on. "
                                     "The later versions stay and can be published again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "rollback", _("_Roll Back"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rollback",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data (G_OBJECT (dialog), "version", GINT_TO_POINTER (version));
  g_signal_connect_object (dialog, "response", G_CALLBACK (rollback_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_versions (AqApiPanel *self)
{
  JsonArray *array = json_node_get_array (self->versions);
  guint n = json_array_get_length (array);

  aq_api_panel_clear (GTK_WIDGET (self->versions_list));
  /* newest first */
  for (guint k = n; k > 0; k--)
    {
      JsonObject *o = json_array_get_object_element (array, k - 1);
      int version = json_object_get_int_member (o, "version");
      gboolean published = json_object_get_boolean_member_with_default (o, "published", FALSE);
      const char *note = json_object_get_string_member_with_default (o, "note", NULL);
      g_autofree char *title = published ? g_strdup_printf (_("Version %d · published"), version)
                                         : g_strdup_printf (_("Version %d"), version);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button;

      if (json_object_has_member (o, "created_at"))
        at = g_date_time_new_from_iso8601 (json_object_get_string_member (o, "created_at"),
                                           NULL);
      if (at)
        {
          g_autoptr(GDateTime) local = g_date_time_to_timezone (at, aq_clock_zone ());

          when = g_date_time_format (local, "%Y-%m-%d %H:%M");
        }
      subtitle = g_strdup_printf ("%s · %s%s%s",
                                  json_object_get_string_member_with_default (o, "created_by",
                                                                              ""),
                                  when ? when : "", note ? " · " : "", note ? note : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (version > 1)
        {
          g_autofree char *tip = g_strdup_printf (_("What changed from version %d"),
                                                  version - 1);

          button = gtk_button_new_with_mnemonic (_("_Diff"));
          gtk_widget_set_tooltip_text (button, tip);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (button), "version", GINT_TO_POINTER (version));
          g_signal_connect (button, "clicked", G_CALLBACK (diff_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      if (!published && self->may_publish)
        {
          button = gtk_button_new_with_mnemonic (_("_Roll Back"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (button), "version", GINT_TO_POINTER (version));
          g_signal_connect (button, "clicked", G_CALLBACK (rollback_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (self->versions_list, row);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->diff_view),
                            n > 1 ? _("Diff a version to see what it changed.") : "", -1);
  g_clear_pointer (&self->diff_text, g_free);
}

static void
versions_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *versions = aq_db_job_run_finish (result, versions_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  g_clear_pointer (&self->versions, json_node_unref);
  if (versions == NULL || !JSON_NODE_HOLDS_ARRAY (versions))
    {
      g_clear_pointer (&versions, json_node_unref);
      aq_api_panel_clear (GTK_WIDGET (self->versions_list));
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->diff_view),
                                error ? error->message : "", -1);
      return;
    }
  self->versions = versions;
  show_versions (self);
}

void
aq_api_panel_versions_load (AqApiPanel *self)
{
  if (self->api == NULL)
    return;
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), versions_job, versions_job,
                       g_strdup (self->api->name), g_free, (GDestroyNotify) json_node_unref,
                       self->cancellable, versions_cb, self);
}

static gpointer
rollback_job (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  DiffRequest *r = data;

  return aq_api_rollback (db, r->name, r->v1, error) ? r : NULL;
}

static void
rollback_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer done = aq_db_job_run_finish (result, rollback_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  if (done == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->diff_view), error->message, -1);
      return;
    }
  /* the market shows the published version; the page follows it */
  g_object_set_data_full (G_OBJECT (self), "select-after-load", g_strdup (self->api->name),
                          g_free);
  aq_api_panel_load_internal (self);
}

/* ---- the wizard ---- */

static void
published_cb (AqApiWizard *wizard,
              const char  *name,
              int          version,
              AqApiPanel  *self)
{
  g_object_set_data_full (G_OBJECT (self), "select-after-load", g_strdup (name), g_free);
  aq_api_panel_load_internal (self);
}

static void
define_clicked_cb (AqApiPanel *self)
{
  gtk_window_present (GTK_WINDOW (aq_api_panel_define (self, FALSE)));
}

static void
new_version_clicked_cb (AqApiPanel *self)
{
  gtk_window_present (GTK_WINDOW (aq_api_panel_define (self, TRUE)));
}

void
aq_api_panel_versions_init (AqApiPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);

  gtk_text_buffer_create_tag (buffer, "added", "foreground", "#26a269", NULL);
  gtk_text_buffer_create_tag (buffer, "removed", "foreground", "#c01c28", NULL);
  gtk_text_buffer_create_tag (buffer, "changed", "foreground", "#9c6e03", NULL);
  gtk_text_buffer_create_tag (buffer, "heading", "weight", PANGO_WEIGHT_BOLD, NULL);
  g_signal_connect_object (self->define_button, "clicked", G_CALLBACK (define_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->new_version_button, "clicked",
                           G_CALLBACK (new_version_clicked_cb), self, G_CONNECT_SWAPPED);
}

/* ---- public API ---- */

gboolean
aq_api_panel_get_may_publish (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), FALSE);
  return self->may_publish;
}

AqApiWizard *
aq_api_panel_define (AqApiPanel *self,
                     gboolean    new_version)
{
  AqApiWizard *wizard;

  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  wizard = aq_api_wizard_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                              aq_panel_get_conninfo (AQ_PANEL (self)),
                              new_version ? self->api : NULL);
  g_signal_connect_object (wizard, "published", G_CALLBACK (published_cb), self, 0);
  return wizard;
}

guint
aq_api_panel_get_n_versions (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), 0);
  return self->versions ? json_array_get_length (json_node_get_array (self->versions)) : 0;
}

void
aq_api_panel_diff (AqApiPanel *self,
                   int         v1,
                   int         v2)
{
  DiffRequest *r;

  g_return_if_fail (AQ_IS_API_PANEL (self));
  if (self->api == NULL || v1 < 1 || v2 < 1)
    return;
  r = g_new0 (DiffRequest, 1);
  r->name = g_strdup (self->api->name);
  r->v1 = v1;
  r->v2 = v2;
  g_clear_pointer (&self->diff_text, g_free);
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), diff_job, diff_job, r,
                       (GDestroyNotify) diff_request_free, (GDestroyNotify) json_object_unref,
                       self->cancellable, diff_cb, self);
}

const char *
aq_api_panel_get_diff_text (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  return self->diff_text;
}

void
aq_api_panel_rollback (AqApiPanel *self,
                       int         version)
{
  DiffRequest *r;

  g_return_if_fail (AQ_IS_API_PANEL (self));
  if (self->api == NULL)
    return;
  r = g_new0 (DiffRequest, 1);
  r->name = g_strdup (self->api->name);
  r->v1 = version;
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), rollback_job, rollback_job, r,
                       (GDestroyNotify) diff_request_free, NULL, self->cancellable, rollback_cb,
                       self);
}
