/* aq-api-wizard-forward.c — the Define-an-API window registering a business system's API
 *
 * "Answered by: a business system" swaps the SQL (and the table picker and the paging) for
 * what a forwarded API needs: the system's URL, the method, a timeout, the fields passed on
 * (listed as parameters with their types, required, defaults, exactly as a template's) and
 * whether the system answers JSON, passed through, or XML, mapped to JSON by a declared
 * mapping (aq-api-xml.h). The definition is aq_api_forward_definition()'s — the one
 * `aqueductctl api forward` writes too — and aq_api_new() checks it (the URL, the mapping)
 * on Test and again on Publish. The system is never called from the workstation: the daemon
 * calls it, under the app's keys, limits and the circuit breaker.
 */
#define G_LOG_DOMAIN "aq-api-wizard"

#include "config.h"

#include "aq-api-wizard-private.h"

#include <glib/gi18n.h>

#include "aq-json-reader.h"

/* NULL-terminated for gtk_string_list_new() */
static const char *methods[] = { "GET", "POST", NULL };
#define N_METHODS (G_N_ELEMENTS (methods) - 1)

gboolean
_aq_api_wizard_is_forward (AqApiWizard *self)
{
  return self->kind_row && adw_combo_row_get_selected (self->kind_row) == 1;
}

static gboolean
answers_xml (AqApiWizard *self)
{
  return adw_combo_row_get_selected (self->forward_format_row) == 1;
}

static void
kind_changed_cb (AqApiWizard *self)
{
  gboolean forward = _aq_api_wizard_is_forward (self);

  gtk_widget_set_visible (GTK_WIDGET (self->forward_box), forward);
  gtk_widget_set_visible (GTK_WIDGET (self->sql_box), !forward);
  gtk_widget_set_visible (GTK_WIDGET (self->paging_group), !forward);
  gtk_widget_set_visible (GTK_WIDGET (self->table_row), !forward);
  if (forward)
    gtk_widget_set_visible (GTK_WIDGET (self->table_box), FALSE);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->table_box), self->columns != NULL);
  _aq_api_wizard_params_changed (self);
}

static void
format_changed_cb (AqApiWizard *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->xml_box), answers_xml (self));
}

GPtrArray *
_aq_api_wizard_forward_fields (AqApiWizard *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_sql_param_free);
  g_auto(GStrv) names = g_regex_split_simple ("[\\s,;]+", gtk_editable_get_text (
                                                GTK_EDITABLE (self->forward_fields_row)), 0, 0);

  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *name = g_ascii_strdown (names[i], -1);
      gboolean seen = FALSE;
      AqApiSqlParam *field;

      if (*name == '\0')
        continue;
      for (guint k = 0; k < fields->len && !seen; k++)
        seen = g_str_equal (((AqApiSqlParam *) g_ptr_array_index (fields, k))->name, name);
      if (seen)
        continue;
      field = g_new0 (AqApiSqlParam, 1);
      field->name = g_steal_pointer (&name);
      /* nothing in the URL needs it: optional until the author says otherwise */
      field->optional = TRUE;
      g_ptr_array_add (fields, field);
    }
  return fields;
}

JsonObject *
_aq_api_wizard_forward_definition (AqApiWizard           *self,
                                   const AqApiDraftParam *params,
                                   guint                  n_params)
{
  g_autoptr(JsonNode) map = NULL;
  guint method = adw_combo_row_get_selected (self->forward_method_row);

  if (answers_xml (self))
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->xml_buffer), &start, &end);
      text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->xml_buffer), &start, &end, FALSE);
      map = aq_json_read (text, -1, AQ_JSON_LIMIT_DEFINITION, &error);
      if (map == NULL || !JSON_NODE_HOLDS_OBJECT (map))
        {
          g_autofree char *message = g_strdup_printf (
            _("The XML mapping is a JSON object {records, fields}: %s"),
            error ? error->message : _("not an object"));

          _aq_api_wizard_set_message (self, message, TRUE);
          return NULL;
        }
    }
  return aq_api_forward_definition (gtk_editable_get_text (
                                      GTK_EDITABLE (self->forward_url_row)),
                                    methods[MIN (method, N_METHODS - 1)],
                                    gtk_spin_button_get_value_as_int (
                                      self->forward_timeout_spin),
                                    params, n_params,
                                    map ? json_node_get_object (map) : NULL);
}

void
_aq_api_wizard_forward_prefill (AqApiWizard *self,
                                const AqApi *api)
{
  JsonObject *forward = json_object_get_object_member (api->definition, "forward");
  JsonNode *xml = forward ? json_object_get_member (forward, "xml") : NULL;
  g_autoptr(GString) fields = g_string_new (NULL);

  for (guint i = 0; i < api->params->len; i++)
    g_string_append_printf (fields, "%s%s", i ? ", " : "",
                            ((AqApiParam *) g_ptr_array_index (api->params, i))->name);
  if (xml)
    {
      g_autofree char *text = json_to_string (xml, TRUE);

      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->xml_buffer), text, -1);
    }
  aq_api_wizard_set_forward (self, api->forward_url, api->forward_method, api->timeout_ms,
                             fields->str, xml != NULL);
}

void
_aq_api_wizard_forward_init (AqApiWizard *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) method_list = gtk_string_list_new (methods);
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  GtkWidget *view;

  gtk_string_list_append (kinds, _("The warehouse"));
  gtk_string_list_append (kinds, _("A business system"));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_model (self->forward_method_row, G_LIST_MODEL (method_list));
  gtk_string_list_append (formats, _("JSON, passed through"));
  gtk_string_list_append (formats, _("XML, mapped to JSON"));
  adw_combo_row_set_model (self->forward_format_row, G_LIST_MODEL (formats));

  self->xml_buffer = gtk_source_buffer_new_with_language (
    gtk_source_language_manager_get_language (manager, "json"));
  gtk_source_buffer_set_style_scheme (self->xml_buffer,
    gtk_source_style_scheme_manager_get_scheme (
      gtk_source_style_scheme_manager_get_default (), "Adwaita"));
  view = gtk_source_view_new_with_buffer (self->xml_buffer);
  gtk_widget_set_name (view, "api-wizard-xml-map");
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_scrolled_window_set_child (self->xml_scrolled, view);

  g_signal_connect_object (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->forward_format_row, "notify::selected",
                           G_CALLBACK (format_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->forward_fields_row, "changed",
                           G_CALLBACK (_aq_api_wizard_params_changed), self, G_CONNECT_SWAPPED);
}

/* ---- public API ---- */

void
aq_api_wizard_set_forward (AqApiWizard *self,
                           const char  *url,
                           const char  *method,
                           guint        timeout_ms,
                           const char  *fields,
                           gboolean     xml)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));

  adw_combo_row_set_selected (self->kind_row, 1);
  gtk_editable_set_text (GTK_EDITABLE (self->forward_url_row), url ? url : "");
  for (guint i = 0; i < N_METHODS; i++)
    if (g_strcmp0 (method, methods[i]) == 0)
      adw_combo_row_set_selected (self->forward_method_row, i);
  gtk_spin_button_set_value (self->forward_timeout_spin, timeout_ms ? timeout_ms : 3000);
  gtk_editable_set_text (GTK_EDITABLE (self->forward_fields_row), fields ? fields : "");
  adw_combo_row_set_selected (self->forward_format_row, xml ? 1 : 0);
  /* the fields as parameters now, not after the typing pause */
  _aq_api_wizard_list_params (self);
}

void
aq_api_wizard_set_xml_map (AqApiWizard *self,
                           const char  *mapping)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->xml_buffer), mapping ? mapping : "", -1);
}
