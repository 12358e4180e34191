/* aq-report-open-dialog.c — pick a stored report
 *
 * meta.report is listed on a worker thread (standard reports first, as the store orders them);
 * activating a row emits "open" with the report's name and closes the dialog.
 */
#define G_LOG_DOMAIN "aq-report-open-dialog"

#include "config.h"

#include "aq-report-open-dialog.h"

#include <glib/gi18n.h>

#include "aq-report-store.h"

struct _AqReportOpenDialog
{
  AdwWindow     parent_instance;

  GtkStack     *stack;
  GtkListBox   *standard_list;
  GtkListBox   *saved_list;
  GtkWidget    *saved_group;
  AdwStatusPage *error_page;

  GCancellable *cancellable;
  GPtrArray    *reports;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (AqReportOpenDialog, aq_report_open_dialog, ADW_TYPE_WINDOW)

enum {
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- callbacks ---- */

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AqReportOpenDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *reports = aq_report_store_list_finish (result, &error);
  guint n_saved = 0;

  self->loading = FALSE;
  if (reports == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->reports = reports;
  for (guint i = 0; i < reports->len; i++)
    {
      AqReportInfo *info = g_ptr_array_index (reports, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     info->title && *info->title ? info->title : info->name);
      if (info->standard)
        subtitle = g_strdup (info->description ? info->description : info->name);
      else
        /* Translators: a saved report's subtitle: its name, author and version */
        subtitle = g_strdup_printf (_("%s · by %s · version %d"), info->name,
                                    info->author ? info->author : "—", info->version);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, info->name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      if (info->standard)
        gtk_list_box_append (self->standard_list, row);
      else
        {
          gtk_list_box_append (self->saved_list, row);
          n_saved++;
        }
    }
  gtk_widget_set_visible (self->saved_group, n_saved > 0);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
row_activated_cb (AqReportOpenDialog *self,
                  GtkListBoxRow      *row)
{
  g_autofree char *name = g_strdup (gtk_widget_get_name (GTK_WIDGET (row)));

  g_signal_emit (self, signals[OPEN], 0, name);
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- GObject overrides ---- */

static void
aq_report_open_dialog_dispose (GObject *object)
{
  AqReportOpenDialog *self = AQ_REPORT_OPEN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->reports, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_report_open_dialog_parent_class)->dispose (object);
}

static void
aq_report_open_dialog_class_init (AqReportOpenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_open_dialog_dispose;

  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/aqueduct/Aqueduct/ui/aq-report-open-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportOpenDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AqReportOpenDialog, standard_list);
  gtk_widget_class_bind_template_child (widget_class, AqReportOpenDialog, saved_list);
  gtk_widget_class_bind_template_child (widget_class, AqReportOpenDialog, saved_group);
  gtk_widget_class_bind_template_child (widget_class, AqReportOpenDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_report_open_dialog_init (AqReportOpenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

AqReportOpenDialog *
aq_report_open_dialog_new (GtkWindow  *parent,
                           const char *conninfo)
{
  AqReportOpenDialog *self;

  g_return_val_if_fail (conninfo != NULL, NULL);

  self = g_object_new (AQ_TYPE_REPORT_OPEN_DIALOG, "transient-for", parent, "modal", TRUE,
                       NULL);
  self->loading = TRUE;
  aq_report_store_list_async (conninfo, self->cancellable, list_cb, g_object_ref (self));
  return self;
}

gboolean
aq_report_open_dialog_get_loading (AqReportOpenDialog *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_OPEN_DIALOG (self), FALSE);
  return self->loading;
}

/* Returns: (transfer none) (nullable) (element-type AqReportInfo) */
GPtrArray *
aq_report_open_dialog_get_reports (AqReportOpenDialog *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_OPEN_DIALOG (self), NULL);
  return self->reports;
}
