/* aq-outage-panel-actions.c — the outage map's actions on the area, its files, the outage
 *
 * Undo and redo of the area's edits, clear, repair (the warehouse's own ST_MakeValid), the
 * GeoJSON import and export, the CSV list of the affected accounts, and "Create Outage…",
 * which asks for kind, times and reason and then opens the notice dialog. Each warehouse call
 * is a job on a worker thread (aq_db_job_run_async), which the panel's dispose cancels.
 */
#define G_LOG_DOMAIN "aq-outage-panel"

#include "config.h"

#include "aq-outage-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-area-editor.h"
#include "aq-area-outage-dialog.h"
#include "aq-area-summary.h"
#include "aq-geojson.h"
#include "aq-db-job.h"
#include "aq-map-source.h"
#include "aq-notice-dialog.h"
#include "aq-outage-area.h"
#include "aq-outage.h"
#include "aq-overlay-layer.h"
#include "aq-panel.h"

/* ---- the area's actions ---- */

void
_aq_outage_panel_undo_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  aq_area_model_undo (AQ_OUTAGE_PANEL (widget)->model);
}

void
_aq_outage_panel_redo_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  aq_area_model_redo (AQ_OUTAGE_PANEL (widget)->model);
}

void
_aq_outage_panel_close_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  if (!aq_area_model_close (self->model) && !aq_area_model_get_closed (self->model))
    _aq_outage_panel_toast (self, _("An area needs at least three corners."));
}

void
_aq_outage_panel_cancel_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  aq_area_model_clear (AQ_OUTAGE_PANEL (widget)->model);
}

void
_aq_outage_panel_remove_last_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  aq_area_model_remove_last (AQ_OUTAGE_PANEL (widget)->model);
}

void
_aq_outage_panel_draw_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  gtk_toggle_button_set_active (self->draw_button,
                                !gtk_toggle_button_get_active (self->draw_button));
}

void
_aq_outage_panel_mode_toggled_cb (AqOutagePanel *self)
{
  AqAreaEditorMode mode = AQ_AREA_EDITOR_IDLE;

  if (gtk_toggle_button_get_active (self->draw_button))
    mode = AQ_AREA_EDITOR_DRAW;
  else if (gtk_toggle_button_get_active (self->select_button))
    mode = AQ_AREA_EDITOR_SELECT;
  aq_area_editor_set_mode (self->editor, mode);
  if (mode != AQ_AREA_EDITOR_IDLE && self->valves)
    aq_valves_tool_set_active (self->valves, FALSE);
  _aq_outage_panel_update_hint (self);
}

/* ---- files ---- */

void
_aq_outage_panel_import_loaded_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(AqOutagePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  AqGeometry *geometry;

  self->files--;
  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, NULL, NULL, &error))
    {
      _aq_outage_panel_toast (self, error->message);
      return;
    }
  geometry = aq_geometry_new_from_geojson (contents, &error);
  if (geometry == NULL)
    {
      _aq_outage_panel_show_error (self, error);
      return;
    }
  _aq_outage_panel_set_geometry (self, geometry);
  _aq_outage_panel_center_on_geometry (self);
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_import (self, file);
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
geojson_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("GeoJSON"));
  gtk_file_filter_add_pattern (filter, "*.geojson");
  gtk_file_filter_add_pattern (filter, "*.json");
  return filter;
}

void
_aq_outage_panel_import_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = geojson_filter ();

  chooser = gtk_file_chooser_native_new (_("Import Area"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_aq_outage_panel_export_saved_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(AqOutagePanel) self = user_data;
  g_autoptr(GError) error = NULL;

  self->files--;
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    _aq_outage_panel_toast (self, error->message);
  else
    _aq_outage_panel_toast (self, _("Area exported."));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_export_area (self, file);
    }
  g_object_unref (dialog);
}

void
_aq_outage_panel_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = geojson_filter ();

  chooser = gtk_file_chooser_native_new (_("Export Area"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("outage-area.geojson"));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  AqGeometry *geometry;
  GFile      *file;
} CsvData;

static void
csv_data_free (CsvData *data)
{
  aq_geometry_free (data->geometry);
  g_object_unref (data->file);
  g_free (data);
}

static gpointer
csv_job (AqDb          *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  CsvData *csv = data;
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_replace (csv->file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL
      || !aq_outage_area_write_csv (db, csv->geometry, G_OUTPUT_STREAM (out), cancellable, error)
      || !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
csv_job_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer ok = aq_db_job_run_finish (result, _aq_outage_panel_run_job, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  self->files--;
  _aq_outage_panel_toast (self, ok ? _("List exported.") : error->message);
}

static void
export_list_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  AqOutagePanel *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      aq_outage_panel_export_list (self, file);
    }
  g_object_unref (dialog);
}

void
_aq_outage_panel_export_list_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Affected Accounts"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("affected-accounts.csv"));
  g_signal_connect (chooser, "response", G_CALLBACK (export_list_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- creating the outage ---- */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = aq_outage_create_finish (result, &error);
  AqOutagePanel *self;
  AqNoticeDialog *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  if (id <= 0)
    {
      _aq_outage_panel_toast (self, error->message);
      return;
    }
  aq_overlay_layer_reload (self->overlay);
  _aq_outage_panel_reload_current (self);
  dialog = aq_notice_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 _aq_outage_panel_conninfo (self), id, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_response_cb (AqAreaOutageDialog *dialog,
                    const char         *response,
                    AqOutagePanel      *self)
{
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autoptr(GError) error = NULL;
  AqOutageSpec spec = { 0 };

  if (!g_str_equal (response, "create") || self->geometry == NULL)
    return;
  start_time = aq_area_outage_dialog_get_start (dialog, &error);
  if (start_time != NULL)
    end_time = aq_area_outage_dialog_get_end (dialog, &error);
  if (end_time == NULL)
    {
      _aq_outage_panel_toast (self, error->message);
      return;
    }
  spec.kind = aq_area_outage_dialog_get_kind (dialog);
  spec.reason = aq_area_outage_dialog_get_reason (dialog);
  spec.start_time = start_time;
  spec.expected_end = end_time;
  spec.geometry = self->geometry;
  /* core checks the fields and the area again: a bad one comes back as a toast naming it,
   * and nothing is written */
  if (self->job_cancellable == NULL)
    self->job_cancellable = g_cancellable_new ();
  aq_outage_create_async (_aq_outage_panel_conninfo (self), &spec, self->job_cancellable, create_cb,
                          self);
}

void
_aq_outage_panel_create_outage_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);
  AqAreaOutageDialog *dialog;

  if (self->analysis == NULL)
    return;
  dialog = aq_area_outage_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                      aq_area_summary_get_total (self->summary));
  g_signal_connect_object (dialog, "response", G_CALLBACK (create_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- public API ---- */

/* What "Export List…" does: the affected accounts as CSV, written on a worker thread. */
void
aq_outage_panel_export_list (AqOutagePanel *self,
                             GFile         *file)
{
  CsvData *data;

  g_return_if_fail (AQ_IS_OUTAGE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->geometry == NULL)
    return;
  data = g_new0 (CsvData, 1);
  data->file = g_object_ref (file);
  data->geometry = aq_geometry_copy (self->geometry);
  self->files++;
  _aq_outage_panel_run_job (self, csv_job, data,
                            (GDestroyNotify) csv_data_free, NULL,
                            csv_job_cb);
}
