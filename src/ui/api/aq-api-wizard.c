/* aq-api-wizard.c — the Define-an-API window of the API panel
 *
 * Three starts: SQL typed by hand (this file), a table picked with its columns and filters
 * (aq-api-wizard-table.c: it writes the SQL here and goes on from there), or a business
 * system's API forwarded (aq-api-wizard-forward.c: URL, method, timeout, fields, JSON or XML
 * mapped; its fields listed as parameters here).
 *
 * Name, category, title and description; the SQL in a GtkSourceView with SQL highlighting
 * (as the pipeline step form has it); the parameters the SQL names (:name) listed as the
 * author types, each with its type, required, default, allowed values and a sample value the
 * trial uses; the paging key. Test runs the draft through core exactly as a caller's call
 * runs — aq_api_new() compiles it, aq_api_try() runs it as aq_api (the masked role) in a
 * read-only transaction that is rolled back — and shows the rows or the warehouse's refusal.
 * Publish (shown only to logins the warehouse lets publish: aq_api_may_publish()) stores a
 * new API or the next version through aq_api_publish(), whose check as aq_api refuses an API
 * reading unmasked personal data (dw.dim_customer): the refusal is shown here and nothing is
 * stored. All warehouse work runs on aq_db_job workers; the window holds no SQL.
 */
#define G_LOG_DOMAIN "aq-api-wizard"

#include "config.h"

#include "aq-api-wizard-private.h"

#include <glib/gi18n.h>

#include "aq-json-reader.h"

#define MAX_ROWS_SHOWN 20


G_DEFINE_FINAL_TYPE (AqApiWizard, aq_api_wizard, ADW_TYPE_WINDOW)

enum { PUBLISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *categories[] = { "billing", "customer", "meter", "nrw", "hydraulic", "city",
                                     "other" };
static const char *type_titles[] = { N_("text"), N_("integer"), N_("numeric"), N_("date"),
                                     N_("month"), N_("timestamp"), N_("enumeration"),
                                     N_("list") };
/* the page key's types (aq-api.c accepts these) */
static const AqApiParamType key_types[] = { AQ_API_PARAM_TEXT, AQ_API_PARAM_INTEGER,
                                            AQ_API_PARAM_NUMERIC, AQ_API_PARAM_DATE,
                                            AQ_API_PARAM_TIMESTAMP };

typedef struct
{
  AqApiParamType  type;
  gboolean        required;
  char           *default_text;
  char           *values_text;
  char           *sample;
} ParamState;

typedef struct
{
  char        *name;
  GtkDropDown *type;
  GtkCheckButton *required;
  GtkEntry    *default_entry;
  GtkEntry    *values_entry;
  GtkEntry    *sample_entry;
} ParamRow;

static void
param_state_free (ParamState *state)
{
  g_free (state->default_text);
  g_free (state->values_text);
  g_free (state->sample);
  g_free (state);
}

static void
param_row_free (ParamRow *row)
{
  g_free (row->name);
  g_free (row);
}

const char *
aq_api_category_title (const char *category)
{
  if (g_strcmp0 (category, "billing") == 0)
    return _("Billing and Payments");
  if (g_strcmp0 (category, "customer") == 0)
    return _("Customers");
  if (g_strcmp0 (category, "meter") == 0)
    return _("Meters");
  if (g_strcmp0 (category, "nrw") == 0)
    return _("Non-Revenue Water");
  if (g_strcmp0 (category, "hydraulic") == 0)
    return _("Hydraulic Model");
  if (g_strcmp0 (category, "city") == 0)
    return _("Smart-Water Brain");
  if (g_strcmp0 (category, "other") == 0)
    return _("Other");
  return category;
}

/* ---- auxiliary methods ---- */

void
_aq_api_wizard_set_busy (AqApiWizard *self,
                         gboolean     busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), self->busy == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->publish_button), self->busy == 0);
}

void
_aq_api_wizard_set_message (AqApiWizard *self,
                            const char  *message,
                            gboolean     failed)
{
  g_free (self->message);
  self->message = g_strdup (message);
  self->failed = failed;
  gtk_label_set_label (self->status_label, message);
  if (failed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
    }
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell (const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* values are cut, headings never */
  if (css_class == NULL)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
    }
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
sql_text (AqApiWizard *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->sql_buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->sql_buffer), &start, &end, FALSE);
}

static const char *
combo_category (AqApiWizard *self)
{
  guint i = adw_combo_row_get_selected (self->category_row);

  return i < G_N_ELEMENTS (categories) ? categories[i] : "other";
}

/* ---- parameters ---- */

static ParamState *
state_for (AqApiWizard *self,
           const char  *name,
           gboolean     optional)
{
  ParamState *state = g_hash_table_lookup (self->states, name);

  if (state == NULL)
    {
      state = g_new0 (ParamState, 1);
      state->type = AQ_API_PARAM_TEXT;
      state->required = !optional;
      g_hash_table_insert (self->states, g_strdup (name), state);
    }
  return state;
}

/* the widgets' values into the states (before the rows are rebuilt, and before a run) */
static void
save_states (AqApiWizard *self)
{
  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *row = g_ptr_array_index (self->params, i);
      ParamState *state = g_hash_table_lookup (self->states, row->name);

      if (state == NULL)
        continue;
      state->type = gtk_drop_down_get_selected (row->type);
      state->required = gtk_check_button_get_active (row->required);
      g_free (state->default_text);
      state->default_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->default_entry)));
      g_free (state->values_text);
      state->values_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->values_entry)));
      g_free (state->sample);
      state->sample = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->sample_entry)));
    }
}

static void
type_changed_cb (GtkDropDown *dropdown,
                 GParamSpec  *pspec,
                 GtkEntry    *values_entry)
{
  guint type = gtk_drop_down_get_selected (dropdown);

  gtk_widget_set_sensitive (GTK_WIDGET (values_entry),
                            type == AQ_API_PARAM_ENUMERATION || type == AQ_API_PARAM_LIST);
}

static GtkEntry *
small_entry (const char *text,
             const char *placeholder,
             const char *name)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_name (entry, name);
  return GTK_ENTRY (entry);
}

static void
detect_params (AqApiWizard *self)
{
  g_autofree char *sql = sql_text (self);
  g_autoptr(GPtrArray) found = _aq_api_wizard_is_forward (self)
                               ? _aq_api_wizard_forward_fields (self) : aq_api_sql_params (sql);
  const char *heads[] = { N_("Parameter"), N_("Type"), N_("Required"), N_("Default"),
                          N_("Allowed values"), N_("Sample value") };

  g_clear_handle_id (&self->detect_id, g_source_remove);
  {
    GtkTextIter start, end;

    /* the idle highlighter can lag behind a busy main loop; a template is short */
    gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->sql_buffer), &start, &end);
    gtk_source_buffer_ensure_highlight (self->sql_buffer, &start, &end);
  }
  save_states (self);
  g_ptr_array_set_size (self->params, 0);
  clear_grid (self->params_grid);
  if (found->len == 0)
    {
      gtk_grid_attach (self->params_grid,
                       cell (_aq_api_wizard_is_forward (self)
                               ? _("None: no field is passed on")
                               : _("None: the SQL names no :parameter"), "dim-label"),
                       0, 0, 1, 1);
      return;
    }
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    gtk_grid_attach (self->params_grid, cell (_(heads[c]), "caption-heading"), c, 0, 1, 1);
  for (guint i = 0; i < found->len; i++)
    {
      AqApiSqlParam *p = g_ptr_array_index (found, i);
      ParamState *state = state_for (self, p->name, p->optional);
      ParamRow *row = g_new0 (ParamRow, 1);
      g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
      g_autofree char *label = g_strdup_printf (":%s", p->name);
      g_autofree char *widget_name = NULL;

      for (guint t = 0; t < G_N_ELEMENTS (type_titles); t++)
        gtk_string_list_append (types, _(type_titles[t]));
      row->name = g_strdup (p->name);
      row->type = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (types)), NULL));
      gtk_drop_down_set_selected (row->type, state->type);
      row->required = GTK_CHECK_BUTTON (gtk_check_button_new ());
      gtk_check_button_set_active (row->required, state->required);
      gtk_widget_set_halign (GTK_WIDGET (row->required), GTK_ALIGN_CENTER);
      widget_name = g_strdup_printf ("default-%s", p->name);
      row->default_entry = small_entry (state->default_text, _("none"), widget_name);
      g_free (widget_name);
      widget_name = g_strdup_printf ("values-%s", p->name);
      row->values_entry = small_entry (state->values_text, _("a, b, c"), widget_name);
      g_free (widget_name);
      widget_name = g_strdup_printf ("sample-%s", p->name);
      row->sample_entry = small_entry (state->sample, _("for Test"), widget_name);
      g_signal_connect_object (row->type, "notify::selected", G_CALLBACK (type_changed_cb),
                               row->values_entry, 0);
      type_changed_cb (row->type, NULL, row->values_entry);

      gtk_grid_attach (self->params_grid, cell (label, "monospace"), 0, i + 1, 1, 1);
      gtk_grid_attach (self->params_grid, GTK_WIDGET (row->type), 1, i + 1, 1, 1);
      gtk_grid_attach (self->params_grid, GTK_WIDGET (row->required), 2, i + 1, 1, 1);
      gtk_grid_attach (self->params_grid, GTK_WIDGET (row->default_entry), 3, i + 1, 1, 1);
      gtk_grid_attach (self->params_grid, GTK_WIDGET (row->values_entry), 4, i + 1, 1, 1);
      gtk_grid_attach (self->params_grid, GTK_WIDGET (row->sample_entry), 5, i + 1, 1, 1);
      g_ptr_array_add (self->params, row);
    }
}

static gboolean
detect_timeout_cb (gpointer user_data)
{
  AqApiWizard *self = user_data;

  self->detect_id = 0;
  detect_params (self);
  return G_SOURCE_REMOVE;
}

void
_aq_api_wizard_list_params (AqApiWizard *self)
{
  detect_params (self);
}

void
_aq_api_wizard_params_changed (AqApiWizard *self)
{
  g_clear_handle_id (&self->detect_id, g_source_remove);
  self->detect_id = g_timeout_add (300, detect_timeout_cb, self);
}

static void
sql_changed_cb (AqApiWizard *self)
{
  if (!_aq_api_wizard_is_forward (self))
    _aq_api_wizard_params_changed (self);
}

void
_aq_api_wizard_set_param_kind (AqApiWizard    *self,
                               const char     *name,
                               AqApiParamType  type,
                               gboolean        required)
{
  ParamState *state = state_for (self, name, !required);

  state->type = type;
  state->required = required;
  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *row = g_ptr_array_index (self->params, i);

      if (!g_str_equal (row->name, name))
        continue;
      gtk_drop_down_set_selected (row->type, type);
      gtk_check_button_set_active (row->required, required);
    }
}

/* ---- the draft ---- */

typedef struct
{
  const char *kind;       /* "sql" or "forward" */
  char       *name;
  char       *category;
  char       *title;
  char       *description;
  char       *note;
  JsonObject *definition;
  JsonObject *sample;
  /* out */
  char       *answer;
  guint       rows;
  gint64      elapsed_us;
  int         version;
} Draft;

static void
draft_free (Draft *d)
{
  g_free (d->name);
  g_free (d->category);
  g_free (d->title);
  g_free (d->description);
  g_free (d->note);
  g_clear_pointer (&d->definition, json_object_unref);
  g_clear_pointer (&d->sample, json_object_unref);
  g_free (d->answer);
  g_free (d);
}

static Draft *
make_draft (AqApiWizard *self)
{
  g_autofree char *sql = NULL;
  g_autofree AqApiDraftParam *params = NULL;
  Draft *d;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *page_key = gtk_editable_get_text (GTK_EDITABLE (self->page_key_row));
  guint key_type = adw_combo_row_get_selected (self->page_key_type_row);

  if (self->detect_id)
    detect_params (self);
  save_states (self);
  if (!g_regex_match_simple ("^[a-z][a-z0-9_]{1,62}$", name, 0, 0))
    {
      _aq_api_wizard_set_message (self, _("The name is 2 to 63 lowercase letters, digits or _, "
                                          "starting with a letter."), TRUE);
      return NULL;
    }
  if (*page_key == '\0' && !_aq_api_wizard_is_forward (self))
    {
      _aq_api_wizard_set_message (self, _("Name the page key: a column of the answer that is "
                                          "unique."), TRUE);
      return NULL;
    }
  sql = sql_text (self);
  params = g_new0 (AqApiDraftParam, self->params->len + 1);
  d = g_new0 (Draft, 1);
  d->sample = json_object_new ();
  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *row = g_ptr_array_index (self->params, i);
      ParamState *state = g_hash_table_lookup (self->states, row->name);

      params[i].name = row->name;
      params[i].type = state->type;
      params[i].required = state->required;
      params[i].default_text = state->default_text;
      params[i].values_text = state->values_text;
      if (state->sample && *state->sample)
        {
          if (state->type == AQ_API_PARAM_LIST)
            {
              g_auto(GStrv) items = g_strsplit (state->sample, ",", -1);
              JsonArray *array = json_array_new ();

              for (guint k = 0; items[k]; k++)
                json_array_add_string_element (array, g_strstrip (items[k]));
              json_object_set_array_member (d->sample, row->name, array);
            }
          else
            json_object_set_string_member (d->sample, row->name, state->sample);
        }
    }
  if (_aq_api_wizard_is_forward (self))
    {
      d->kind = "forward";
      d->definition = _aq_api_wizard_forward_definition (self, params, self->params->len);
      if (d->definition == NULL)
        {
          draft_free (d);
          return NULL;
        }
    }
  else
    {
      d->kind = "sql";
      d->definition = aq_api_draft_definition (sql, params, self->params->len, page_key,
                                               aq_api_param_type_to_string (
                                                 key_types[MIN (key_type,
                                                                G_N_ELEMENTS (key_types) - 1)]),
                                               gtk_spin_button_get_value_as_int (
                                                 self->page_size_spin));
      if (adw_combo_row_get_selected (self->page_order_row) == 1)
        json_object_set_string_member (d->definition, "page_order", "desc");
    }
  d->name = g_strdup (name);
  d->category = g_strdup (combo_category (self));
  d->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  if (*d->title == '\0')
    {
      g_free (d->title);
      d->title = g_strdup (name);
    }
  d->description = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  d->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
  if (*d->note == '\0')
    g_clear_pointer (&d->note, g_free);
  return d;
}

static void
show_rows (AqApiWizard *self,
           const char  *answer)
{
  g_autoptr(JsonNode) root = aq_json_read (answer, -1, AQ_JSON_LIMIT_NONE, NULL);
  JsonNode *data;
  JsonArray *array;
  g_autoptr(GList) columns = NULL;
  guint shown;

  clear_grid (self->rows_grid);
  self->rows = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->rows_scrolled), FALSE);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return;
  array = json_node_get_array (data);
  self->rows = json_array_get_length (array);
  if (self->rows == 0)
    return;
  columns = json_object_get_members (json_array_get_object_element (array, 0));
  {
    guint c = 0;

    for (GList *l = columns; l; l = l->next, c++)
      gtk_grid_attach (self->rows_grid, cell (l->data, "caption-heading"), c, 0, 1, 1);
  }
  shown = MIN (self->rows, MAX_ROWS_SHOWN);
  for (guint r = 0; r < shown; r++)
    {
      JsonObject *o = json_array_get_object_element (array, r);
      guint c = 0;

      for (GList *l = columns; l; l = l->next, c++)
        {
          JsonNode *value = json_object_get_member (o, l->data);
          g_autofree char *text = NULL;

          if (value == NULL || JSON_NODE_HOLDS_NULL (value))
            text = g_strdup ("");
          else if (JSON_NODE_HOLDS_VALUE (value)
                   && json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else
            text = json_to_string (value, FALSE);
          gtk_grid_attach (self->rows_grid, cell (text, NULL), c, r + 1, 1, 1);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rows_scrolled), TRUE);
}

static gpointer
test_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Draft *d = data;
  g_autoptr(AqApi) api = aq_api_new (d->name, d->category, d->title, d->description, d->kind,
                                     "external", 1, d->definition, error);
  gint64 t0 = g_get_monotonic_time ();

  if (api == NULL)
    return NULL;
  /* a forwarded API is called through the daemon: here its definition is checked (the URL,
   * the XML mapping), and the business system is not called from the workstation */
  if (api->template == NULL)
    return d;
  d->answer = aq_api_try (db, api, d->sample, &d->rows, error);
  d->elapsed_us = g_get_monotonic_time () - t0;
  return d->answer ? d : NULL;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Draft *d = aq_db_job_run_finish (result, test_job, &error);
  g_autoptr(JsonNode) root = NULL;
  AqApiWizard *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_WIZARD (user_data);
  _aq_api_wizard_set_busy (self, FALSE);
  if (d == NULL)
    {
      show_rows (self, "{}");
      _aq_api_wizard_set_message (self, error->message, TRUE);
      return;
    }
  if (d->answer == NULL)
    {
      show_rows (self, "{}");
      _aq_api_wizard_set_message (self, _("The definition is valid. A forwarded API is called "
                                          "through the daemon: publish it, grant it to an app "
                                          "and try it from the console."), FALSE);
      return;
    }
  root = aq_json_read (d->answer, -1, AQ_JSON_LIMIT_NONE, NULL);
  if (root && JSON_NODE_HOLDS_OBJECT (root)
      && json_object_get_int_member_with_default (json_node_get_object (root), "code", -1) != 0)
    {
      g_autofree char *text = g_strdup_printf (
        _("Refused (%d): %s"),
        (int) json_object_get_int_member (json_node_get_object (root), "code"),
        json_object_get_string_member_with_default (json_node_get_object (root), "message",
                                                    ""));

      show_rows (self, "{}");
      _aq_api_wizard_set_message (self, text, TRUE);
      return;
    }
  show_rows (self, d->answer);
  {
    g_autofree char *text = g_strdup_printf (
      ngettext ("%u row in %.1f ms, as a caller gets it (masked)",
                "%u rows in %.1f ms, as a caller gets it (masked)", d->rows),
      d->rows, d->elapsed_us / 1000.0);

    _aq_api_wizard_set_message (self, text, FALSE);
  }
}

static void
test_clicked_cb (AqApiWizard *self)
{
  Draft *d;

  if (self->busy)
    return;
  d = make_draft (self);
  if (d == NULL)
    return;
  _aq_api_wizard_set_busy (self, TRUE);
  aq_db_job_run_async (self->conninfo, test_job, test_job, d, (GDestroyNotify) draft_free,
                       NULL, self->cancellable, test_cb, self);
}

static gpointer
publish_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Draft *d = data;

  d->version = aq_api_publish (db, d->name, d->category, d->title, d->description, d->kind,
                               d->definition, d->note, error);
  return d->version > 0 ? d : NULL;
}

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Draft *d = aq_db_job_run_finish (result, publish_job, &error);
  AqApiWizard *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_WIZARD (user_data);
  _aq_api_wizard_set_busy (self, FALSE);
  if (d == NULL)
    {
      text = g_strdup_printf (_("Not published: %s"), error->message);
      _aq_api_wizard_set_message (self, text, TRUE);
      return;
    }
  self->published = d->version;
  text = g_strdup_printf (_("Published %s version %d."), d->name, d->version);
  _aq_api_wizard_set_message (self, text, FALSE);
  g_signal_emit (self, signals[PUBLISHED], 0, d->name, d->version);
}

static void
publish_clicked_cb (AqApiWizard *self)
{
  Draft *d;

  if (self->busy || !self->can_publish)
    return;
  d = make_draft (self);
  if (d == NULL)
    return;
  _aq_api_wizard_set_busy (self, TRUE);
  aq_db_job_run_async (self->conninfo, publish_job, publish_job, d,
                       (GDestroyNotify) draft_free, NULL, self->cancellable, publish_cb, self);
}

/* ---- may the login publish ---- */

static gpointer
may_publish_job (AqDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean may = aq_api_may_publish (db, &local_error);

  return GINT_TO_POINTER (may ? 2 : 1);
}

static void
may_publish_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer answer = aq_db_job_run_finish (result, may_publish_job, &error);
  AqApiWizard *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_WIZARD (user_data);
  _aq_api_wizard_set_busy (self, FALSE);
  self->can_publish = GPOINTER_TO_INT (answer) == 2;
  gtk_widget_set_visible (GTK_WIDGET (self->publish_button), self->can_publish);
  if (!self->can_publish && self->message == NULL)
    gtk_label_set_label (self->status_label,
                         _("Your login may test APIs but not publish them (supervisors and data "
                           "engineers publish)."));
}

/* ---- GObject ---- */

static void
aq_api_wizard_dispose (GObject *object)
{
  AqApiWizard *self = AQ_API_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->detect_id, g_source_remove);
  G_OBJECT_CLASS (aq_api_wizard_parent_class)->dispose (object);
}

static void
aq_api_wizard_finalize (GObject *object)
{
  AqApiWizard *self = AQ_API_WIZARD (object);

  g_clear_object (&self->sql_buffer);
  g_clear_object (&self->xml_buffer);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  _aq_api_wizard_table_finalize (self);
  g_free (self->conninfo);
  g_free (self->message);
  G_OBJECT_CLASS (aq_api_wizard_parent_class)->finalize (object);
}

static void
aq_api_wizard_class_init (AqApiWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_api_wizard_dispose;
  object_class->finalize = aq_api_wizard_finalize;

  signals[PUBLISHED] = g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                                     G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-api-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, test_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, publish_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, category_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, title_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, description_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, sql_scrolled);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, params_grid);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, page_key_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, page_key_type_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, page_order_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, page_size_spin);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, table_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, table_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, columns_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, filters_grid);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, add_filter_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, sql_hint_label);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, sql_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, paging_group);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, kind_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_url_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_method_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_fields_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, forward_format_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, xml_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, xml_scrolled);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, note_row);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, status_label);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, rows_scrolled);
  gtk_widget_class_bind_template_child (widget_class, AqApiWizard, rows_grid);
  gtk_source_init ();
}

static void
aq_api_wizard_init (AqApiWizard *self)
{
  GtkSourceLanguageManager *manager;
  GtkWidget *view;
  g_autoptr(GtkStringList) category_list = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) key_list = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_row_free);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) param_state_free);

  manager = gtk_source_language_manager_get_default ();
  self->sql_buffer = gtk_source_buffer_new_with_language (
    gtk_source_language_manager_get_language (manager, "sql"));
  gtk_source_buffer_set_style_scheme (self->sql_buffer,
    gtk_source_style_scheme_manager_get_scheme (
      gtk_source_style_scheme_manager_get_default (), "Adwaita"));
  gtk_source_buffer_set_highlight_syntax (self->sql_buffer, TRUE);
  view = gtk_source_view_new_with_buffer (self->sql_buffer);
  gtk_widget_set_name (view, "api-wizard-sql");
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (view), 2);
  gtk_source_view_set_auto_indent (GTK_SOURCE_VIEW (view), TRUE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_scrolled_window_set_child (self->sql_scrolled, view);
  g_signal_connect_object (self->sql_buffer, "changed", G_CALLBACK (sql_changed_cb), self,
                           G_CONNECT_SWAPPED);

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    gtk_string_list_append (category_list, aq_api_category_title (categories[i]));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (category_list));
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    gtk_string_list_append (key_list, _(type_titles[key_types[i]]));
  adw_combo_row_set_model (self->page_key_type_row, G_LIST_MODEL (key_list));

  g_signal_connect_object (self->test_button, "clicked", G_CALLBACK (test_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->publish_button, "clicked", G_CALLBACK (publish_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  {
    g_autoptr(GtkStringList) orders = gtk_string_list_new (NULL);

    gtk_string_list_append (orders, _("Ascending"));
    gtk_string_list_append (orders, _("Descending"));
    adw_combo_row_set_model (self->page_order_row, G_LIST_MODEL (orders));
  }
  _aq_api_wizard_table_init (self);
  _aq_api_wizard_forward_init (self);
  detect_params (self);
}

static char *
default_text (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) items = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
      items = g_strv_builder_end (builder);
      return g_strjoinv (", ", items);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static void
prefill (AqApiWizard *self,
         const AqApi *api)
{
  JsonNode *sql = json_object_get_member (api->definition, "sql");
  g_autofree char *title = g_strdup_printf (_("New Version of %s"), api->name);
  g_autofree char *subtitle = g_strdup_printf (_("now version %d"), api->version);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  aq_api_wizard_set_fields (self, api->name, api->category, api->title, api->description);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), FALSE);
  self->renaming = TRUE;
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *p = g_ptr_array_index (api->params, i);
      ParamState *state = state_for (self, p->name, FALSE);

      state->type = p->type;
      state->required = p->required;
      state->default_text = default_text (p->default_value);
      state->values_text = p->values ? g_strjoinv (", ", p->values) : NULL;
    }
  if (api->page_key)
    aq_api_wizard_set_page_key (self, api->page_key, api->page_key_type);
  if (api->template)
    {
      adw_combo_row_set_selected (self->page_order_row, api->page_desc ? 1 : 0);
      gtk_spin_button_set_value (self->page_size_spin, api->max_page_size);
    }
  if (api->template == NULL)
    _aq_api_wizard_forward_prefill (self, api);
  else if (sql && JSON_NODE_HOLDS_VALUE (sql))
    aq_api_wizard_set_sql (self, json_node_get_string (sql));
}

/* ---- public API ---- */

AqApiWizard *
aq_api_wizard_new (GtkWindow   *parent,
                   const char  *conninfo,
                   const AqApi *base)
{
  AqApiWizard *self = g_object_new (AQ_TYPE_API_WIZARD, "transient-for", parent, NULL);

  self->conninfo = g_strdup (conninfo);
  if (base)
    prefill (self, base);
  _aq_api_wizard_set_busy (self, TRUE);
  aq_db_job_run_async (self->conninfo, may_publish_job, may_publish_job, NULL, NULL, NULL,
                       self->cancellable, may_publish_cb, self);
  _aq_api_wizard_table_load (self);
  return self;
}

gboolean
aq_api_wizard_get_busy (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), FALSE);
  return self->busy > 0;
}

gboolean
aq_api_wizard_get_can_publish (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), FALSE);
  return self->can_publish && gtk_widget_get_visible (GTK_WIDGET (self->publish_button));
}

void
aq_api_wizard_set_fields (AqApiWizard *self,
                          const char  *name,
                          const char  *category,
                          const char  *title,
                          const char  *description)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_strcmp0 (category, categories[i]) == 0)
      adw_combo_row_set_selected (self->category_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ? description : "");
}

void
aq_api_wizard_set_sql (AqApiWizard *self,
                       const char  *sql)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->sql_buffer), sql, -1);
  detect_params (self);
}

GStrv
aq_api_wizard_get_params (AqApiWizard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_API_WIZARD (self), NULL);
  for (guint i = 0; i < self->params->len; i++)
    g_strv_builder_add (builder, ((ParamRow *) g_ptr_array_index (self->params, i))->name);
  return g_strv_builder_end (builder);
}

void
aq_api_wizard_set_param (AqApiWizard   *self,
                         const char    *name,
                         AqApiParamType type,
                         gboolean       required,
                         const char    *default_text,
                         const char    *values_text,
                         const char    *sample)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));

  for (guint i = 0; i < self->params->len; i++)
    {
      ParamRow *row = g_ptr_array_index (self->params, i);

      if (!g_str_equal (row->name, name))
        continue;
      gtk_drop_down_set_selected (row->type, type);
      gtk_check_button_set_active (row->required, required);
      gtk_editable_set_text (GTK_EDITABLE (row->default_entry), default_text ? default_text : "");
      gtk_editable_set_text (GTK_EDITABLE (row->values_entry), values_text ? values_text : "");
      gtk_editable_set_text (GTK_EDITABLE (row->sample_entry), sample ? sample : "");
      return;
    }
  g_return_if_reached ();
}

void
aq_api_wizard_set_page_key (AqApiWizard   *self,
                            const char    *page_key,
                            AqApiParamType type)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  gtk_editable_set_text (GTK_EDITABLE (self->page_key_row), page_key);
  for (guint i = 0; i < G_N_ELEMENTS (key_types); i++)
    if (key_types[i] == type)
      adw_combo_row_set_selected (self->page_key_type_row, i);
}

void
aq_api_wizard_test (AqApiWizard *self)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  test_clicked_cb (self);
}

void
aq_api_wizard_publish (AqApiWizard *self)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  publish_clicked_cb (self);
}

const char *
aq_api_wizard_get_message (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), NULL);
  return self->message;
}

gboolean
aq_api_wizard_get_failed (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), FALSE);
  return self->failed;
}

guint
aq_api_wizard_get_rows (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), 0);
  return self->rows;
}

int
aq_api_wizard_get_published (AqApiWizard *self)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), 0);
  return self->published;
}
