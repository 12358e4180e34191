/* aq-pipeline-panel-import.c — the Pipelines panel's Import… (a Kettle transformation)
 *
 * Import… asks for a Kettle/PDI transformation (.ktr) and reads it with the core's importer
 * (aq_ktr_import_file: the same mapping as `aqueductctl pipeline import-ktr`): the pipeline it
 * makes comes onto the canvas, laid out where Kettle had its hops, unsaved (Save stores it).
 * Every Kettle step that could not be mapped is named, with its type, in the message that
 * follows — never dropped silently — as are the connections the pipeline now names (set them
 * up, with their passwords, before a run).
 */
#define G_LOG_DOMAIN "aq-pipeline-panel"

#include "config.h"

#include "aq-pipeline-panel-private.h"

#include <glib/gi18n.h>

#include "aq-ktr-import.h"

/* What the panel says after an import: the steps left out and the connections to set up. */
static char *
import_summary (AqKtrImport *import)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (import->unmapped->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < import->unmapped->len; i++)
        {
          AqKtrUnmapped *step = g_ptr_array_index (import->unmapped, i);

          /* TRANSLATORS: one Kettle step left out of an import: “Clean names” (ScriptValueMod) */
          g_string_append_printf (list, _("%s“%s” (%s)"), list->len ? ", " : "", step->name,
                                  step->type);
        }
      /* TRANSLATORS: %u Kettle steps left out of an import, then their list */
      g_string_append_printf (text,
                              ngettext ("%u Kettle step is not mapped and was left out: %s.",
                                        "%u Kettle steps are not mapped and were left out: %s.",
                                        import->unmapped->len),
                              import->unmapped->len, list->str);
    }
  for (guint i = 0; i < import->connections->len; i++)
    {
      AqKtrConnection *connection = g_ptr_array_index (import->connections, i);

      if (connection->mapped)
        continue;
      /* TRANSLATORS: a Kettle connection the imported pipeline names; passwords are never
       * imported */
      g_string_append_printf (text, _("%sSet up the connection “%s” (%s) with its password."),
                              text->len ? " " : "", connection->name, connection->database);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * aq_pipeline_panel_import_ktr:
 * @out_summary: (out) (optional): what the panel says: the steps left out, the connections
 *
 * Reads the Kettle transformation at @path onto the canvas (unsaved). FALSE with @error when
 * it cannot be read or mapped at all.
 */
gboolean
aq_pipeline_panel_import_ktr (AqPipelinePanel  *self,
                              const char       *path,
                              char            **out_summary,
                              GError          **error)
{
  g_autoptr(AqKtrImport) import = NULL;
  g_autoptr(AqPipelineGraph) graph = NULL;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (AQ_IS_PIPELINE_PANEL (self), FALSE);

  import = aq_ktr_import_file (path, NULL, error);
  if (import == NULL)
    return FALSE;
  graph = aq_pipeline_graph_new_from_data (import->json, -1, error);
  if (graph == NULL)
    return FALSE;
  aq_pipeline_panel_set_graph (self, graph);
  summary = import_summary (import);
  if (*summary)
    aq_pipeline_panel_toast (self, summary);
  if (out_summary)
    *out_summary = g_steal_pointer (&summary);
  return TRUE;
}

static void
chosen_cb (GtkNativeDialog *dialog,
           int              response,
           AqPipelinePanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path && !aq_pipeline_panel_import_ktr (self, path, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The transformation could not be imported: %s"),
                                               error->message);

      aq_pipeline_panel_toast (self, text);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
import_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  AqPipelinePanel *self = AQ_PIPELINE_PANEL (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import a Kettle Transformation"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("Kettle transformations (.ktr)"));
  gtk_file_filter_add_pattern (filter, "*.ktr");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
aq_pipeline_panel_import_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.import", NULL, import_action);
}
