/* aq-pipeline-panel-versions.c — the Pipelines panel's stored versions
 *
 * The Versions button opens a list of the versions the warehouse's pipeline store holds for
 * the pipeline on the canvas (login, time, comment), newest first. Opening one puts it on
 * the canvas read-only under a bar "Version N of NAME" with Restore (a new version with that
 * text, aq_pipeline_store_restore) and Edit as new (the canvas becomes editable; a save makes
 * it the newest version). Ticking two versions and Compare shows the step-by-step,
 * member-by-member changes from the older to the newer in the Changes tab
 * (aq_pipeline_diff). Every store call runs on a worker (aq_db_job_run_async); the panel
 * holds no SQL.
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>

#include "aq-db-job.h"
#include "aq-panel.h"
#include "aq-pipeline-diff.h"
#include "aq-pipeline-store.h"

/* The Changes tab's page in the bottom notebook (after Problems, Preview and Run). */
#define CHANGES_PAGE 3

typedef struct
{
  char *name;
  int   version;
  int   other;     /* compare: the newer version */
} Request;

static void
request_free (Request *request)
{
  g_free (request->name);
  g_free (request);
}

static Request *
request_new (const char *name,
             int         version,
             int         other)
{
  Request *request = g_new0 (Request, 1);

  request->name = g_strdup (name);
  request->version = version;
  request->other = other;
  return request;
}

/* What a job answers: the request's versions with the value found. */
typedef struct
{
  int            version;
  int            other;
  gpointer       value;
  GDestroyNotify value_free;
} Answer;

static void
answer_free (Answer *answer)
{
  if (answer->value && answer->value_free)
    answer->value_free (answer->value);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
answer_new (Request        *request,
            gpointer        value,
            GDestroyNotify  value_free)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->version = request->version;
  answer->other = request->other;
  answer->value = value;
  answer->value_free = value_free;
  return answer;
}

/* ---- jobs (worker threads: core calls only) ---- */

static gpointer
versions_job (AqDb         *db,
              gpointer      data,
              GCancellable *cancellable,
              GError      **error)
{
  Request *request = data;

  return aq_pipeline_store_versions (db, request->name, error);
}

static gpointer
load_job (AqDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  Request *request = data;
  char *text = aq_pipeline_store_load (db, request->name, request->version, error);

  return text ? answer_new (request, text, g_free) : NULL;
}

static gpointer
diff_job (AqDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  Request *request = data;
  g_autofree char *older = aq_pipeline_store_load (db, request->name, request->version, error);
  g_autofree char *newer = NULL;

  if (older == NULL)
    return NULL;
  GPtrArray *changes;

  newer = aq_pipeline_store_load (db, request->name, request->other, error);
  if (newer == NULL)
    return NULL;
  changes = aq_pipeline_diff (older, newer, error);
  return changes ? answer_new (request, changes, (GDestroyNotify) g_ptr_array_unref) : NULL;
}

static gpointer
restore_job (AqDb         *db,
             gpointer      data,
             GCancellable *cancellable,
             GError      **error)
{
  Request *request = data;
  int version = 0;

  /* no comment: the list says “restores version N” from the version's restored_from */
  if (!aq_pipeline_store_restore (db, request->name, request->version, NULL, &version,
                                  error))
    return NULL;
  return answer_new (request, GINT_TO_POINTER (version), NULL);
}

/* A store or history call on a worker; the callback gets a reference on the panel and calls
 * aq_pipeline_panel_job_landed() first. aq_pipeline_panel_is_busy() counts it. */
void
aq_pipeline_panel_start_job (AqPipelinePanel     *self,
                             gpointer             tag,
                             AqDbJobFunc          func,
                             gpointer             data,
                             GDestroyNotify       data_free,
                             GDestroyNotify       result_free,
                             GAsyncReadyCallback  callback)
{
  if (self->versions_cancellable == NULL)
    self->versions_cancellable = g_cancellable_new ();
  self->versions_busy++;
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), tag, func, data, data_free,
                       result_free, self->versions_cancellable, callback,
                       g_object_ref (self));
}

static void
start_job (AqPipelinePanel     *self,
           gpointer             tag,
           AqDbJobFunc          func,
           Request             *request,
           GDestroyNotify       result_free,
           GAsyncReadyCallback  callback)
{
  aq_pipeline_panel_start_job (self, tag, func, request, (GDestroyNotify) request_free,
                               result_free, callback);
}

/* Whether the job's answer is still wanted: FALSE when it was cancelled or the panel went. */
gboolean
aq_pipeline_panel_job_landed (AqPipelinePanel *self,
                              GError          *error)
{
  self->versions_busy--;
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->canvas != NULL;
}

/* ---- the list ---- */

static GPtrArray *
checked_versions (AqPipelinePanel *self)
{
  GPtrArray *checked = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

      if (check && gtk_check_button_get_active (check))
        g_ptr_array_add (checked, g_object_get_data (G_OBJECT (row), "version"));
    }
  return checked;
}

static void
check_toggled_cb (AqPipelinePanel *self)
{
  g_autoptr(GPtrArray) checked = checked_versions (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), checked->len == 2);
}

static void
show_versions (AqPipelinePanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list))) != NULL)
    gtk_list_box_remove (self->versions_list, child);
  for (guint i = 0; self->versions && i < self->versions->len; i++)
    {
      AqPipelineVersion *version = g_ptr_array_index (self->versions, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *open = gtk_button_new_with_label (_("Open"));
      g_autofree char *title = g_strdup_printf (_("Version %d"), version->version);
      g_autofree char *when = g_date_time_format (version->created_at, "%Y-%m-%d %H:%M");
      g_autoptr(GString) subtitle = g_string_new (NULL);

      g_string_append_printf (subtitle, "%s · %s", version->author, when);
      if (version->comment && *version->comment)
        g_string_append_printf (subtitle, " · %s", version->comment);
      if (version->restored_from > 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, _("restores version %d"), version->restored_from);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      gtk_widget_set_tooltip_text (check, _("Tick two versions to compare them"));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "editor.open-version");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "i", version->version);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      g_object_set_data (G_OBJECT (row), "check", check);
      g_object_set_data (G_OBJECT (row), "version", GINT_TO_POINTER (version->version));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      gtk_list_box_append (self->versions_list, row);
    }
  if (self->versions == NULL || self->versions->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No stored versions: Ctrl+S saves the first."));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->versions_list, label);
    }
  check_toggled_cb (self);
}

static void
versions_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *versions = aq_db_job_run_finish (result, versions_job, &error);

  if (!aq_pipeline_panel_job_landed (self, error))
    {
      g_clear_pointer (&versions, g_ptr_array_unref);
      return;
    }
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  self->versions = versions;
  if (versions == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The versions could not be read: %s"),
                                               error->message);

      aq_pipeline_panel_toast (self, text);
    }
  show_versions (self);
}

static void
list_versions (AqPipelinePanel *self)
{
  if (self->graph == NULL)
    return;
  start_job (self, versions_job, versions_job,
             request_new (aq_pipeline_graph_get_name (self->graph), 0, 0),
             (GDestroyNotify) g_ptr_array_unref, versions_done_cb);
}

static void
versions_shown_cb (AqPipelinePanel *self)
{
  list_versions (self);
}

/* ---- read-only ---- */

/* @version: the stored version on show read-only, -1 for a definition a run ran that was never
 * saved (@run_id says which run), 0 for an editable canvas */
static void
set_shown (AqPipelinePanel *self,
           int              version,
           gint64           run_id)
{
  gboolean read_only = version != 0;
  const char *name = self->graph ? aq_pipeline_graph_get_name (self->graph) : "";

  self->shown_version = version;
  self->definition_run = read_only ? run_id : 0;
  aq_pipeline_canvas_set_read_only (self->canvas, read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->palette_list), !read_only);
  gtk_revealer_set_reveal_child (self->version_bar, read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.restore-version", version > 0);
  if (read_only)
    {
      g_autofree char *text = NULL;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

      if (run_id > 0 && version > 0)
        /* TRANSLATORS: “Version 3 of dw_customer, as run 812 ran it — read-only” */
        text = g_strdup_printf (_("Version %d of %s, as run %s ran it — read-only"), version,
                                name, id);
      else if (run_id > 0)
        /* TRANSLATORS: “dw_customer as run 812 ran it, never saved — read-only” */
        text = g_strdup_printf (_("%s as run %s ran it, never saved — read-only"), name, id);
      else
        /* TRANSLATORS: “Version 3 of dw_customer — read-only” */
        text = g_strdup_printf (_("Version %d of %s — read-only"), version, name);
      gtk_label_set_text (self->version_label, text);
    }
  aq_pipeline_panel_update_actions (self);
}

static void
set_shown_version (AqPipelinePanel *self,
                   int              version)
{
  set_shown (self, version, 0);
}

/* Puts a definition a run ran on the canvas, read-only (aq-pipeline-panel-history.c). */
void
aq_pipeline_panel_versions_show_run (AqPipelinePanel *self,
                                     AqPipelineGraph *graph,
                                     int              version,
                                     gint64           run_id)
{
  aq_pipeline_panel_set_graph (self, graph);
  set_shown (self, version > 0 ? version : -1, run_id);
}

/* set_graph() calls this: whatever comes onto the canvas is editable unless told otherwise. */
void
aq_pipeline_panel_versions_graph_set (AqPipelinePanel *self)
{
  if (self->shown_version != 0)
    set_shown_version (self, 0);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(Answer) answer = aq_db_job_run_finish (result, load_job, &error);
  g_autoptr(AqPipelineGraph) graph = NULL;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (answer)
    graph = aq_pipeline_graph_new_from_data (answer->value, -1, &error);
  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The version could not be opened: %s"),
                                                  error->message);

      aq_pipeline_panel_toast (self, message);
      return;
    }
  aq_pipeline_panel_set_graph (self, graph);
  set_shown_version (self, answer->version);
}

static void
open_version (AqPipelinePanel *self,
              int              version)
{
  if (self->graph == NULL || version <= 0)
    return;
  gtk_menu_button_popdown (self->versions_button);
  start_job (self, load_job, load_job,
             request_new (aq_pipeline_graph_get_name (self->graph), version, 0),
             (GDestroyNotify) answer_free, load_done_cb);
}

/* ---- compare ---- */

static void
show_changes (AqPipelinePanel *self,
              int              older,
              int              newer)
{
  GtkWidget *child;
  g_autofree char *text = NULL;
  guint n = self->changes ? self->changes->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->changes_list))) != NULL)
    gtk_list_box_remove (self->changes_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = aq_pipeline_change_describe (g_ptr_array_index (self->changes, i));
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_top (label, 2);
      gtk_widget_set_margin_bottom (label, 2);
      gtk_list_box_append (self->changes_list, label);
    }
  /* TRANSLATORS: “Version 1 → version 3: 4 changes” */
  text = g_strdup_printf (ngettext ("Version %d → version %d: %u change",
                                    "Version %d → version %d: %u changes", n),
                          older, newer, n);
  gtk_label_set_text (self->changes_label, text);
  gtk_notebook_set_current_page (self->bottom_notebook, CHANGES_PAGE);
}

static void
diff_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(Answer) answer = aq_db_job_run_finish (result, diff_job, &error);

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The versions could not be compared: %s"),
                                               error->message);

      aq_pipeline_panel_toast (self, text);
      return;
    }
  g_clear_pointer (&self->changes, g_ptr_array_unref);
  self->changes = g_steal_pointer (&answer->value);
  show_changes (self, answer->version, answer->other);
}

static void
compare (AqPipelinePanel *self,
         int              a,
         int              b)
{
  if (self->graph == NULL || a <= 0 || b <= 0)
    return;
  gtk_menu_button_popdown (self->versions_button);
  start_job (self, diff_job, diff_job,
             request_new (aq_pipeline_graph_get_name (self->graph), MIN (a, b), MAX (a, b)),
             (GDestroyNotify) answer_free, diff_done_cb);
}

/* ---- restore ---- */

static void
restore_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AqPipelinePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(Answer) answer = aq_db_job_run_finish (result, restore_job, &error);
  g_autofree char *text = NULL;

  if (!aq_pipeline_panel_job_landed (self, error))
    return;
  if (answer == NULL)
    text = g_strdup_printf (_("Not restored: %s"), error->message);
  else
    {
      text = g_strdup_printf (_("Version %d restored as version %d"), answer->version,
                              GPOINTER_TO_INT (answer->value));
      if (self->shown_version == answer->version)
        set_shown_version (self, 0);
    }
  aq_pipeline_panel_toast (self, text);
}

/* ---- actions ---- */

static void
open_version_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  open_version (AQ_PIPELINE_PANEL (widget), g_variant_get_int32 (param));
}

static void
compare_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  int a, b;

  if (param)
    g_variant_get (param, "(ii)", &a, &b);
  else
    {
      g_autoptr(GPtrArray) checked = checked_versions (self);

      if (checked->len != 2)
        return;
      a = GPOINTER_TO_INT (g_ptr_array_index (checked, 0));
      b = GPOINTER_TO_INT (g_ptr_array_index (checked, 1));
    }
  compare (self, a, b);
}

static void
compare_checked_cb (AqPipelinePanel *self)
{
  compare_action (GTK_WIDGET (self), NULL, NULL);
}

static void
restore_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);

  if (self->graph == NULL || self->shown_version <= 0)
    return;
  start_job (self, restore_job, restore_job,
             request_new (aq_pipeline_graph_get_name (self->graph), self->shown_version, 0),
             (GDestroyNotify) answer_free, restore_done_cb);
}

static void
edit_as_new_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  int version = self->shown_version;
  gint64 run_id = self->definition_run;
  g_autofree char *text = NULL;

  if (version == 0)
    return;
  set_shown_version (self, 0);
  if (version < 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

      text = g_strdup_printf (_("Editing what run %s ran: a save makes it the newest version"),
                              id);
    }
  else
    text = g_strdup_printf (_("Editing version %d: a save makes it the newest version"),
                            version);
  aq_pipeline_panel_toast (self, text);
}

/* ---- wiring ---- */

void
aq_pipeline_panel_versions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, versions_button);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, versions_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, compare_button);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, version_bar);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, version_label);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, changes_list);
  gtk_widget_class_bind_template_child (widget_class, AqPipelinePanel, changes_label);

  gtk_widget_class_install_action (widget_class, "editor.open-version", "i",
                                   open_version_action);
  gtk_widget_class_install_action (widget_class, "editor.compare-versions", "(ii)",
                                   compare_action);
  gtk_widget_class_install_action (widget_class, "editor.restore-version", NULL,
                                   restore_action);
  gtk_widget_class_install_action (widget_class, "editor.edit-as-new", NULL,
                                   edit_as_new_action);
}

void
aq_pipeline_panel_versions_init (AqPipelinePanel *self)
{
  g_signal_connect_swapped (gtk_menu_button_get_popover (self->versions_button), "show",
                            G_CALLBACK (versions_shown_cb), self);
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (compare_checked_cb),
                            self);
  show_versions (self);
}

void
aq_pipeline_panel_versions_dispose (AqPipelinePanel *self)
{
  g_cancellable_cancel (self->versions_cancellable);
  g_clear_object (&self->versions_cancellable);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_pointer (&self->changes, g_ptr_array_unref);
}

/* ---- public API (tests, screenshots) ---- */

/* Lists the stored versions of the pipeline on the canvas (as the Versions button does). */
void
aq_pipeline_panel_list_versions (AqPipelinePanel *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_PANEL (self));
  list_versions (self);
}

/* Returns: (transfer none) (nullable) (element-type AqPipelineVersion): the versions listed */
GPtrArray *
aq_pipeline_panel_get_versions (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->versions;
}

/* Returns: the stored version shown read-only on the canvas; 0 when the canvas is editable */
int
aq_pipeline_panel_get_shown_version (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), 0);
  return self->shown_version;
}

/* Returns: (transfer none) (nullable) (element-type AqPipelineChange): the changes shown */
GPtrArray *
aq_pipeline_panel_get_changes (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return self->changes;
}

const char *
aq_pipeline_panel_get_version_text (AqPipelinePanel *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), NULL);
  return gtk_revealer_get_reveal_child (self->version_bar)
         ? gtk_label_get_text (self->version_label) : NULL;
}
