/* aq-report-panel-actions.c — the report designer's actions, sorting, formats and filters
 *
 * Everything the analyst does to the report is a "report.*" action of the panel, so menus,
 * shortcuts, buttons and tests share it: add a field, undo and redo, new, open, save (as),
 * duplicate, delete, export (Excel or CSV, written on a worker thread), options, the pivot or
 * list kind. Also sorting from the grid's headers, drill-down from a cell into the rows behind
 * it, and the filter chips' popovers.
 */
#define G_LOG_DOMAIN "aq-report-panel"

#include "config.h"

#include "aq-report-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-chart.h"
#include "aq-connection.h"
#include "aq-panel.h"
#include "aq-report.h"
#include "aq-report-drill-window.h"
#include "aq-report-field-item.h"
#include "aq-report-grid-row.h"
#include "aq-report-open-dialog.h"
#include "aq-report-options-dialog.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"
#include "aq-report-export.h"

/* ---- actions ---- */

void
_aq_report_panel_add_field_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autoptr(AqReportFieldItem) field = aq_report_catalog_view_get_selected (self->catalog_view);
  AqReportZone zone;
  AqDropZone *target;

  if (field == NULL || !aq_report_zone_from_string (g_variant_get_string (parameter, NULL), &zone))
    return;
  target = _aq_report_panel_zone_widget (self, zone);
  if (!aq_drop_zone_accepts (target, field))
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a field's name, the second a zone (Rows, Values …) */
      message = g_strdup_printf (_("“%s” cannot go into %s: indicators go into Values, "
                                   "dimensions into Rows, Columns or Filters."),
                                 aq_report_field_item_get_label (field),
                                 gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (
                                   gtk_widget_get_first_child (GTK_WIDGET (target))))));
      _aq_report_panel_show_error (self, message);
      return;
    }
  aq_drop_zone_insert (target, field, -1);
}

void
_aq_report_panel_undo_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);

  if (self->undo_index > 0)
    _aq_report_panel_restore_undo (self, self->undo_index - 1);
}

void
_aq_report_panel_redo_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);

  if (self->undo_index + 1 < self->undo->len)
    _aq_report_panel_restore_undo (self, self->undo_index + 1);
}

void
_aq_report_panel_new_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autoptr(AqReportSpec) spec = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);

  aq_report_panel_set_spec (self, spec);
}

static void
open_dialog_cb (AqReportOpenDialog *dialog,
                const char         *name,
                AqReportPanel      *self)
{
  aq_report_panel_open_report (self, name);
}

void
_aq_report_panel_open_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  AqReportOpenDialog *dialog;

  if (_aq_report_panel_conninfo (self) == NULL)
    return;
  dialog = aq_report_open_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                      _aq_report_panel_conninfo (self));
  g_signal_connect_object (dialog, "open", G_CALLBACK (open_dialog_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  GTask *task = G_TASK (result);
  gboolean ok;
  int version = 0;
  gpointer tag = g_task_get_source_tag (task);

  if (tag == aq_report_store_save_async)
    ok = aq_report_store_save_finish (result, &version, &error);
  else if (tag == aq_report_store_duplicate_async)
    ok = aq_report_store_duplicate_finish (result, &error);
  else
    ok = aq_report_store_delete_finish (result, &error);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _aq_report_panel_show_error (self, error->message);
    }
  else if (tag == aq_report_store_save_async)
    aq_report_spec_set_version (self->spec, version);
  else if (tag == aq_report_store_delete_async)
    {
      aq_report_spec_set_name (self->spec, NULL);
      aq_report_spec_set_version (self->spec, 0);
    }
  _aq_report_panel_update_actions (self);
  _aq_report_panel_update_title (self);
  self->storing--;
  g_object_unref (self);
}

/* Asks for a name (saving a new or a standard report, duplicating) in a small dialog. */
typedef void (*NameFunc) (AqReportPanel *self,
                          const char    *name);

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  AqReportPanel    *self)
{
  NameFunc func = g_object_get_data (G_OBJECT (dialog), "func");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "ok") && *name != '\0')
    func (self, name);
}

static void
ask_name (AqReportPanel *self,
          const char    *heading,
          const char    *suggestion,
          NameFunc       func)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion ? suggestion : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", C_("report designer", "_Cancel"),
                                    "ok", C_("report designer", "_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  g_object_set_data (G_OBJECT (dialog), "func", func);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_as (AqReportPanel *self,
         const char    *name)
{
  if (aq_report_spec_get_standard (self->spec)
      || g_strcmp0 (aq_report_spec_get_name (self->spec), name) != 0)
    {
      /* a new definition: a copy of what is on screen under the new name */
      g_autoptr(AqReportSpec) copy = aq_report_spec_copy (self->spec);
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      /* "standard" is not settable: go through JSON without it */
      node = aq_report_spec_to_json (copy);
      object = json_node_get_object (node);
      json_object_remove_member (object, "standard");
      json_object_set_string_member (object, "name", name);
      json_object_set_int_member (object, "version", 0);
      if (aq_report_spec_get_title (copy) == NULL || aq_report_spec_get_standard (copy))
        json_object_set_string_member (object, "title", name);
      g_clear_object (&copy);
      copy = aq_report_spec_new_from_json (node, NULL);
      if (copy == NULL)
        return;
      g_set_object (&self->spec, copy);
      _aq_report_panel_update_title (self);
    }
  self->storing++;
  aq_report_store_save_async (_aq_report_panel_conninfo (self), self->spec, g_get_user_name (),
                              NULL,
                              stored_cb, g_object_ref (self));
}

void
_aq_report_panel_save_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  const char *name = aq_report_spec_get_name (self->spec);

  if (_aq_report_panel_conninfo (self) == NULL)
    return;
  if (name == NULL || aq_report_spec_get_standard (self->spec))
    ask_name (self, _("Save Report As"), NULL, save_as);
  else
    save_as (self, name);
}

void
_aq_report_panel_duplicate (AqReportPanel *self,
                            const char    *new_name)
{
  /* the copy is what is on screen: saved under the new name, the stored original untouched */
  save_as (self, new_name);
}

void
_aq_report_panel_duplicate_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autofree char *suggestion = NULL;

  if (aq_report_spec_get_name (self->spec) == NULL || _aq_report_panel_conninfo (self) == NULL)
    return;
  /* Translators: the suggested name of a copy; %s is the original's name */
  suggestion = g_strdup_printf (_("%s copy"), aq_report_spec_get_name (self->spec));
  ask_name (self, _("Duplicate Report"), suggestion, _aq_report_panel_duplicate);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AqReportPanel    *self)
{
  if (!g_str_equal (response, "delete") || aq_report_spec_get_name (self->spec) == NULL)
    return;
  self->storing++;
  aq_report_store_delete_async (_aq_report_panel_conninfo (self),
                                aq_report_spec_get_name (self->spec), NULL,
                                stored_cb, g_object_ref (self));
}

void
_aq_report_panel_delete_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (aq_report_spec_get_name (self->spec) == NULL || _aq_report_panel_conninfo (self) == NULL)
    return;
  /* Translators: %s is a report's name */
  body = g_strdup_printf (_("“%s” will be deleted for everyone. The layout stays on screen."),
                          aq_report_spec_get_name (self->spec));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Delete the Report?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", C_("report designer", "_Cancel"),
                                    "delete", C_("report designer", "_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- export ---- */

void
_aq_report_panel_export_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  g_autoptr(GError) error = NULL;
  guint64 n_rows = 0;

  if (!aq_report_export_finish (result, &n_rows, &error))
    _aq_report_panel_show_error (self, error->message);
  else
    {
      g_autofree char *basename = g_path_get_basename (self->export_path);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Exported to %s"), basename);
      gtk_label_set_label (self->status_label, text);
    }
  self->storing--;
  g_object_unref (self);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    AqReportPanel   *self)
{
  g_autoptr(GFile) file = NULL;
  gboolean csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "csv"));

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file == NULL || g_file_peek_path (file) == NULL)
    goto out;

  aq_report_panel_export (self, g_file_peek_path (file), csv);

out:
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
_aq_report_panel_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  gboolean csv = g_str_equal (g_variant_get_string (parameter, NULL), "csv");
  GtkFileChooserNative *chooser;
  const char *title = self->spec ? aq_report_spec_get_title (self->spec) : NULL;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->result == NULL && self->list == NULL)
    return;
  chooser = gtk_file_chooser_native_new (csv ? _("Export to CSV") : _("Export to Excel"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         C_("report designer", "_Export"), NULL);
  name = g_strdup_printf ("%s.%s", title && *title ? title : C_("report designer", "report"),
                          csv ? "csv" : "xlsx");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, csv ? C_("report designer", "CSV files")
                                        : C_("report designer", "Excel workbooks"));
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "csv", GINT_TO_POINTER (csv));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- sorting, formats, drill-down ---- */

void
_aq_report_panel_sort_requested_cb (AqReportPanel *self,
                                    guint          column,
                                    gboolean       descending)
{
  AqReportResult *header = self->result ? self->result
                           : self->list ? aq_report_list_get_header (self->list) : NULL;
  AqReportSort sort = { 0 };
  guint n_dims;
  gboolean within_groups = FALSE;
  GPtrArray *sorts;

  if (header == NULL)
    return;
  n_dims = aq_report_result_get_n_row_dims (header);
  sorts = aq_report_spec_get_sorts (self->spec);
  for (guint i = 0; i < sorts->len; i++)
    within_groups |= ((AqReportSort *) g_ptr_array_index (sorts, i))->within_groups;

  sort.descending = descending;
  if (column < n_dims)
    {
      sort.by = AQ_REPORT_SORT_DIMENSION;
      sort.dimension = (char *) aq_report_result_get_row_dim_id (header, column);
    }
  else
    {
      sort.by = AQ_REPORT_SORT_VALUE;
      sort.value_index = aq_report_result_get_column_value_index (header, column - n_dims);
      /* with several row levels a value sort keeps the groups unless told otherwise */
      sort.within_groups = within_groups || n_dims > 1;
    }
  aq_report_spec_clear_sorts (self->spec);
  aq_report_spec_add_sort (self->spec, &sort);
  _aq_report_panel_push_undo (self);
  _aq_report_panel_start_run_soon (self);
}

static void
options_changed_cb (AqReportPanel *self)
{
  _aq_report_panel_push_undo (self);
  _aq_report_panel_start_run_soon (self);
}

void
_aq_report_panel_options_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  GtkWidget *dialog;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dim_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dim_names = g_ptr_array_new_with_free_func (g_free);
  AqDropZone *dims[] = { self->rows_zone, self->columns_zone };

  for (guint i = 0; i < aq_drop_zone_get_n_fields (self->values_zone); i++)
    g_ptr_array_add (values, g_strdup (aq_report_field_item_get_label (
                                         aq_drop_zone_get_field (self->values_zone, i))));
  for (guint z = 0; z < G_N_ELEMENTS (dims); z++)
    for (guint i = 0; i < aq_drop_zone_get_n_fields (dims[z]); i++)
      {
        AqReportFieldItem *item = aq_drop_zone_get_field (dims[z], i);

        g_ptr_array_add (dim_ids, g_strdup (aq_report_field_item_get_id (item)));
        g_ptr_array_add (dim_names, g_strdup (aq_report_field_item_get_label (item)));
      }
  dialog = aq_report_options_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->spec,
                                         values, dim_ids, dim_names);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (options_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_aq_report_panel_cell_activated_cb (AqReportPanel *self,
                                    guint          row,
                                    guint          column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) drill = NULL;
  g_autoptr(GHashTable) params = NULL;
  guint n_dims;
  GtkWidget *window;

  if (self->result == NULL)
    return;
  n_dims = aq_report_result_get_n_row_dims (self->result);
  if (column < n_dims)
    column = n_dims;
  if (column - n_dims >= aq_report_result_get_n_columns (self->result))
    return;
  drill = aq_report_drill_spec (self->catalog, self->spec, self->result, row, column - n_dims,
                                &error);
  if (drill == NULL)
    {
      _aq_report_panel_show_error (self, error->message);
      return;
    }
  params = aq_report_params_bar_get_values (self->params_bar);
  window = aq_report_drill_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       _aq_report_panel_conninfo (self), self->catalog, drill,
                                       params);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- filter chips ---- */

static void
filter_apply_cb (GtkButton *button,
                 gpointer   user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (button));
  AqReportFieldItem *item = g_object_get_data (G_OBJECT (box), "field");
  GtkWidget *editor = g_object_get_data (G_OBJECT (box), "editor");
  GtkPopover *popover = g_object_get_data (G_OBJECT (box), "popover");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;

  if (GTK_IS_EDITABLE (editor))
    {
      g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (editor)),
                                            ",，", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  else
    for (GtkWidget *check = gtk_widget_get_first_child (editor); check != NULL;
         check = gtk_widget_get_next_sibling (check))
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        g_strv_builder_add (builder, gtk_widget_get_name (check));
  values = g_strv_builder_end (builder);
  aq_report_field_item_set_filter (item, AQ_REPORT_FILTER_IN,
                                   values[0] != NULL ? (const char * const *) values : NULL);
  gtk_popover_popdown (popover);
  aq_drop_zone_field_changed (self->filters_zone);
}

/* What a filter chip's ▾ shows: the members to keep (checks for a small dimension, an entry
 * for a big one); a filter set by a parameter or a condition says so and is left alone. */
GtkWidget *
_aq_report_panel_filter_popover_cb (AqReportChip *chip,
                                    GtkPopover   *popover,
                                    gpointer      user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  AqReportFieldItem *item = aq_report_chip_get_field (chip);
  const char * const *values = aq_report_field_item_get_filter_values (item);
  int op = aq_report_field_item_get_filter_op (item);
  AqDimension *dimension = self->catalog ? aq_catalog_lookup_dimension (self->catalog,
                                               aq_report_field_item_get_id (item)) : NULL;
  GPtrArray *members = dimension ? aq_dimension_get_members (dimension) : NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (aq_report_field_item_get_label (item));
  GtkWidget *editor;
  GtkWidget *apply;
  gboolean by_param = FALSE;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    by_param |= values[i][0] == '$' && values[i][1] != '$';
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  g_object_set_data (G_OBJECT (box), "field", item);
  g_object_set_data (G_OBJECT (box), "popover", popover);

  if (by_param || (op != AQ_REPORT_FILTER_IN && op != AQ_REPORT_FILTER_NOT_IN))
    {
      GtkWidget *note = gtk_label_new (_("Set by the report's parameters above."));

      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (box), note);
      return box;
    }

  if (members != NULL)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      editor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      for (guint i = 0; i < members->len; i++)
        {
          AqDimensionMember *member = g_ptr_array_index (members, i);
          GtkWidget *check = gtk_check_button_new_with_label (member->label ? member->label
                                                                             : member->key);

          gtk_widget_set_name (check, member->key);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                       values != NULL
                                       && g_strv_contains (values, member->key));
          gtk_box_append (GTK_BOX (editor), check);
        }
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), editor);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
      gtk_box_append (GTK_BOX (box), scroller);
    }
  else
    {
      g_autofree char *text = values ? g_strjoinv (", ", (char **) values) : NULL;

      editor = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (editor), _("Values, separated by commas"));
      gtk_editable_set_text (GTK_EDITABLE (editor), text ? text : "");
      gtk_box_append (GTK_BOX (box), editor);
    }
  g_object_set_data (G_OBJECT (box), "editor", editor);
  apply = gtk_button_new_with_mnemonic (C_("report designer", "_Apply"));
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect (apply, "clicked", G_CALLBACK (filter_apply_cb), self);
  gtk_box_append (GTK_BOX (box), apply);
  return box;
}

/* Alt+Up / Alt+Down on a dimension's chip: to the zone above or below (Filters, Columns,
 * Rows), as one change to undo. */
void
_aq_report_panel_zone_move_requested_cb (AqDropZone    *zone,
                                         guint          position,
                                         int            direction,
                                         AqReportPanel *self)
{
  static const AqReportZone order[] = {
    AQ_REPORT_ZONE_FILTERS, AQ_REPORT_ZONE_COLUMNS, AQ_REPORT_ZONE_ROWS,
  };
  AqReportZone from;

  if (!aq_report_zone_from_string (aq_drop_zone_get_zone (zone), &from))
    return;
  for (int i = 0; i < (int) G_N_ELEMENTS (order); i++)
    {
      int to = i + direction;

      if (order[i] != from)
        continue;
      if (to < 0 || to >= (int) G_N_ELEMENTS (order)
          || position >= aq_report_spec_get_n_fields (self->spec, from))
        return;
      aq_report_spec_move_field (self->spec, from, position, order[to], -1);
      _aq_report_panel_apply_spec (self);
      _aq_report_panel_push_undo (self);
      _aq_report_panel_start_run_soon (self);
      return;
    }
}

void
_aq_report_panel_zone_changed_cb (AqReportPanel *self)
{
  _aq_report_panel_layout_changed (self);
}

void
_aq_report_panel_params_changed_cb (AqReportPanel *self)
{
  _aq_report_panel_start_run_soon (self);
}

void
_aq_report_panel_kind_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  gboolean list = aq_report_spec_get_kind (self->spec) == AQ_REPORT_KIND_LIST;

  aq_report_spec_set_kind (self->spec, list ? AQ_REPORT_KIND_PIVOT : AQ_REPORT_KIND_LIST);
  if (!list)
    {
      /* a list has no columns: what was in Columns becomes rows */
      while (aq_report_spec_get_n_fields (self->spec, AQ_REPORT_ZONE_COLUMNS) > 0)
        aq_report_spec_move_field (self->spec, AQ_REPORT_ZONE_COLUMNS, 0,
                                   AQ_REPORT_ZONE_ROWS, -1);
      _aq_report_panel_apply_spec (self);
    }
  _aq_report_panel_push_undo (self);
  _aq_report_panel_start_run_soon (self);
}

