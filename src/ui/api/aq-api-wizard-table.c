/* aq-api-wizard-table.c — the Define-an-API window's pick-a-table path
 *
 * The author picks a table or view from the ones the warehouse says the API role may read
 * (aq_api_readable_tables(): has_table_privilege / column grants for aq_api, asked when the
 * window opens), ticks the columns to answer (only the columns aq_api may read are offered)
 * and adds filters — a column and an operator, required or optional. Each change writes the
 * SQL template again through aq_api_table_template() (identifiers quoted, values as
 * :parameters, optional filters in [[ … ]]) into the SQL editor, declares its parameters
 * with the columns' types, and names a page key (the table's primary key when it has a
 * one-column one). From there the window goes on as for SQL typed by hand: Test runs it as
 * aq_api rolled back, Publish stores it. The author may edit the written SQL further; the
 * next pick writes it again. All warehouse work runs on aq_db_job workers.
 */
#define G_LOG_DOMAIN "aq-api-wizard"

#include "config.h"

#include "aq-api-wizard-private.h"

#include <glib/gi18n.h>

typedef struct
{
  GtkDropDown    *column;
  GtkDropDown    *op;
  GtkCheckButton *required;
} FilterRow;

/* the operators as the filter row offers them, in AqApiFilterOp's order */
static const char *op_titles[] = { "=", "≠", "<", "≤", ">", "≥", N_("starts with"),
                                   N_("is one of") };

static void regenerate (AqApiWizard *self);

/* ---- auxiliary methods ---- */

static const AqApiTable *
picked_table (AqApiWizard *self)
{
  guint i = adw_combo_row_get_selected (self->table_row);

  if (self->tables == NULL || i == 0 || i == GTK_INVALID_LIST_POSITION
      || i > self->tables->len)
    return NULL;
  return g_ptr_array_index (self->tables, i - 1);
}

static const AqApiColumn *
column_named (AqApiWizard *self,
              const char  *name)
{
  for (guint i = 0; self->columns && i < self->columns->len; i++)
    {
      const AqApiColumn *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (column->name, name) == 0)
        return column;
    }
  return NULL;
}

static GStrv
ticked_columns (AqApiWizard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->column_checks && i < self->column_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->column_checks, i)))
      g_strv_builder_add (builder,
                          ((AqApiColumn *) g_ptr_array_index (self->columns, i))->name);
  return g_strv_builder_end (builder);
}

static void
clear_filters (AqApiWizard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->filters_grid))) != NULL)
    gtk_grid_remove (self->filters_grid, child);
  if (self->filters)
    g_ptr_array_set_size (self->filters, 0);
}

static void
clear_columns (AqApiWizard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_flow_box_remove (self->columns_box, child);
  g_clear_pointer (&self->column_checks, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  clear_filters (self);
}

/* the page key: kept while it is answered, else the table's key, else the first column */
static void
choose_page_key (AqApiWizard *self,
                 GStrv        ticked)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->page_key_row));
  const AqApiColumn *pick = NULL;

  if (*current && g_strv_contains ((const char * const *) ticked, current))
    pick = column_named (self, current);
  for (guint i = 0; pick == NULL && i < self->columns->len; i++)
    {
      const AqApiColumn *column = g_ptr_array_index (self->columns, i);

      if (column->key && g_strv_contains ((const char * const *) ticked, column->name))
        pick = column;
    }
  if (pick == NULL && ticked[0])
    pick = column_named (self, ticked[0]);
  if (pick)
    aq_api_wizard_set_page_key (self, pick->name, pick->param_type);
}

/* ---- writing the SQL ---- */

static void
regenerate (AqApiWizard *self)
{
  const AqApiTable *table = picked_table (self);
  g_auto(GStrv) ticked = NULL;
  g_autofree AqApiTableFilter *filters = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  if (self->filling || table == NULL || self->columns == NULL)
    return;
  ticked = ticked_columns (self);
  filters = g_new0 (AqApiTableFilter, self->filters->len + 1);
  for (guint i = 0; i < self->filters->len; i++)
    {
      FilterRow *row = g_ptr_array_index (self->filters, i);
      guint c = gtk_drop_down_get_selected (row->column);

      filters[i].column = c < self->columns->len
                          ? ((AqApiColumn *) g_ptr_array_index (self->columns, c))->name : NULL;
      filters[i].op = gtk_drop_down_get_selected (row->op);
      filters[i].required = gtk_check_button_get_active (row->required);
    }
  sql = aq_api_table_template (table->schema, table->name, self->columns,
                               (const char * const *) ticked, filters, self->filters->len,
                               &params, &error);
  if (sql == NULL)
    {
      _aq_api_wizard_set_message (self, error->message, TRUE);
      return;
    }
  if (self->failed)
    _aq_api_wizard_set_message (self, "", FALSE);
  self->filling = TRUE;
  aq_api_wizard_set_sql (self, sql);
  for (guint i = 0; i < params->len; i++)
    {
      AqApiTableParam *param = g_ptr_array_index (params, i);

      _aq_api_wizard_set_param_kind (self, param->name, param->type, param->required);
    }
  choose_page_key (self, ticked);
  self->filling = FALSE;
}

static void
changed_cb (AqApiWizard *self)
{
  regenerate (self);
}

/* ---- filters ---- */

static void
remove_filter_cb (GtkButton   *button,
                  AqApiWizard *self)
{
  /* rows move up as others are removed: the row is where its button is now */
  for (guint i = 0; i < self->filters->len; i++)
    if (gtk_grid_get_child_at (self->filters_grid, 3, i) == GTK_WIDGET (button))
      {
        aq_api_wizard_remove_filter (self, i);
        return;
      }
}

static void
add_filter (AqApiWizard   *self,
            guint          column,
            AqApiFilterOp  op,
            gboolean       required)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ops = gtk_string_list_new (NULL);
  FilterRow *row = g_new0 (FilterRow, 1);
  GtkWidget *remove;
  guint at = self->filters->len;

  for (guint i = 0; i < self->columns->len; i++)
    gtk_string_list_append (names, ((AqApiColumn *) g_ptr_array_index (self->columns, i))->name);
  for (guint i = 0; i < G_N_ELEMENTS (op_titles); i++)
    gtk_string_list_append (ops, _(op_titles[i]));
  row->column = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  gtk_drop_down_set_enable_search (row->column, TRUE);
  gtk_drop_down_set_selected (row->column, column);
  row->op = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (ops)), NULL));
  gtk_drop_down_set_selected (row->op, op);
  row->required = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_("Required")));
  gtk_check_button_set_active (row->required, required);
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_tooltip_text (remove, _("Remove this filter"));
  gtk_widget_add_css_class (remove, "flat");

  gtk_grid_attach (self->filters_grid, GTK_WIDGET (row->column), 0, at, 1, 1);
  gtk_grid_attach (self->filters_grid, GTK_WIDGET (row->op), 1, at, 1, 1);
  gtk_grid_attach (self->filters_grid, GTK_WIDGET (row->required), 2, at, 1, 1);
  gtk_grid_attach (self->filters_grid, remove, 3, at, 1, 1);
  g_ptr_array_add (self->filters, row);

  g_signal_connect_object (row->column, "notify::selected", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->op, "notify::selected", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row->required, "toggled", G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_filter_cb), self, 0);
}

static void
add_filter_clicked_cb (AqApiWizard *self)
{
  g_auto(GStrv) ticked = NULL;
  guint column = 0;

  if (self->columns == NULL)
    return;
  /* a filter on the first ticked column that has none yet, the author changes it */
  ticked = ticked_columns (self);
  for (guint i = 0; i < self->columns->len; i++)
    if (ticked[0] && g_str_equal (((AqApiColumn *) g_ptr_array_index (self->columns, i))->name,
                                  ticked[0]))
      column = i;
  add_filter (self, column, AQ_API_OP_EQUAL, TRUE);
  regenerate (self);
}

/* ---- the columns of the picked table ---- */

typedef struct
{
  char      *schema;
  char      *name;
  guint      serial;
  GPtrArray *columns;
} Pick;

static void
pick_free (Pick *pick)
{
  g_free (pick->schema);
  g_free (pick->name);
  g_clear_pointer (&pick->columns, g_ptr_array_unref);
  g_free (pick);
}

static gpointer
columns_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Pick *pick = data;

  pick->columns = aq_api_table_columns (db, pick->schema, pick->name, error);
  return pick->columns ? pick : NULL;
}

static void
columns_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Pick *pick = aq_db_job_run_finish (result, columns_job, &error);
  AqApiWizard *self;
  const char *name;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_WIZARD (user_data);
  _aq_api_wizard_set_busy (self, FALSE);
  if (pick == NULL)
    {
      _aq_api_wizard_set_message (self, error->message, TRUE);
      return;
    }
  if (pick->serial != self->table_serial)
    return;
  clear_columns (self);
  self->columns = g_steal_pointer (&pick->columns);
  self->column_checks = g_ptr_array_new ();
  self->filling = TRUE;
  for (guint i = 0; i < self->columns->len; i++)
    {
      AqApiColumn *column = g_ptr_array_index (self->columns, i);
      GtkWidget *check = gtk_check_button_new_with_label (column->name);
      g_autofree char *widget_name = g_strdup_printf ("column-%s", column->name);

      gtk_widget_set_name (check, widget_name);
      gtk_widget_set_tooltip_text (check, column->sql_type);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->columns_box, check);
      g_ptr_array_add (self->column_checks, check);
    }
  /* a new API is named after its table until the author names it */
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  if (!self->renaming && *name == '\0'
      && g_regex_match_simple ("^[a-z][a-z0-9_]{1,62}$", pick->name, 0, 0))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), pick->name);
  gtk_editable_set_text (GTK_EDITABLE (self->page_key_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->table_box), TRUE);
  gtk_label_set_label (self->sql_hint_label,
                       _("Written from the table, the columns and the filters above: edit it "
                         "to go further (a new pick writes it again). The API runs as the "
                         "masked role."));
  self->filling = FALSE;
  regenerate (self);
}

static void
table_selected_cb (AqApiWizard *self)
{
  const AqApiTable *table = picked_table (self);
  Pick *pick;

  if (self->filling)
    return;
  self->table_serial++;
  if (table == NULL)
    {
      clear_columns (self);
      gtk_widget_set_visible (GTK_WIDGET (self->table_box), FALSE);
      return;
    }
  pick = g_new0 (Pick, 1);
  pick->schema = g_strdup (table->schema);
  pick->name = g_strdup (table->name);
  pick->serial = self->table_serial;
  _aq_api_wizard_set_busy (self, TRUE);
  aq_db_job_run_async (self->conninfo, columns_job, columns_job, pick, (GDestroyNotify) pick_free,
                       NULL, self->cancellable, columns_cb, self);
}

/* ---- the tables ---- */

static gpointer
tables_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return aq_api_readable_tables (db, error);
}

static void
tables_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tables = aq_db_job_run_finish (result, tables_job, &error);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  AqApiWizard *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_WIZARD (user_data);
  _aq_api_wizard_set_busy (self, FALSE);
  if (tables == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The tables cannot be listed: %s"),
                                               error->message);

      _aq_api_wizard_set_message (self, text, TRUE);
      return;
    }
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  self->tables = tables;
  gtk_string_list_append (list, _("None: write the SQL"));
  for (guint i = 0; i < tables->len; i++)
    {
      AqApiTable *table = g_ptr_array_index (tables, i);
      g_autofree char *text = g_strdup_printf ("%s.%s", table->schema, table->name);

      gtk_string_list_append (list, text);
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->table_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->table_row, 0);
  self->filling = FALSE;
}

void
_aq_api_wizard_table_load (AqApiWizard *self)
{
  _aq_api_wizard_set_busy (self, TRUE);
  aq_db_job_run_async (self->conninfo, tables_job, tables_job, NULL, NULL, NULL,
                       self->cancellable, tables_cb, self);
}

void
_aq_api_wizard_table_init (AqApiWizard *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  self->filters = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (list, _("None: write the SQL"));
  self->filling = TRUE;
  adw_combo_row_set_model (self->table_row, G_LIST_MODEL (list));
  self->filling = FALSE;
  g_signal_connect_object (self->table_row, "notify::selected", G_CALLBACK (table_selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_filter_button, "clicked", G_CALLBACK (add_filter_clicked_cb),
                           self, G_CONNECT_SWAPPED);
}

void
_aq_api_wizard_table_finalize (AqApiWizard *self)
{
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->column_checks, g_ptr_array_unref);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
}

/* ---- public API ---- */

GStrv
aq_api_wizard_get_tables (AqApiWizard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_API_WIZARD (self), NULL);
  for (guint i = 0; self->tables && i < self->tables->len; i++)
    {
      AqApiTable *table = g_ptr_array_index (self->tables, i);
      g_autofree char *text = g_strdup_printf ("%s.%s", table->schema, table->name);

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

gboolean
aq_api_wizard_pick_table (AqApiWizard *self,
                          const char  *table)
{
  g_return_val_if_fail (AQ_IS_API_WIZARD (self), FALSE);
  if (table == NULL)
    {
      adw_combo_row_set_selected (self->table_row, 0);
      return TRUE;
    }
  for (guint i = 0; self->tables && i < self->tables->len; i++)
    {
      AqApiTable *t = g_ptr_array_index (self->tables, i);
      g_autofree char *text = g_strdup_printf ("%s.%s", t->schema, t->name);

      if (g_str_equal (text, table))
        {
          adw_combo_row_set_selected (self->table_row, i + 1);
          return TRUE;
        }
    }
  return FALSE;
}

GStrv
aq_api_wizard_get_columns (AqApiWizard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_API_WIZARD (self), NULL);
  for (guint i = 0; self->columns && i < self->columns->len; i++)
    g_strv_builder_add (builder, ((AqApiColumn *) g_ptr_array_index (self->columns, i))->name);
  return g_strv_builder_end (builder);
}

void
aq_api_wizard_set_columns (AqApiWizard        *self,
                           const char * const *columns)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  g_return_if_fail (self->columns != NULL);

  self->filling = TRUE;
  for (guint i = 0; i < self->columns->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->column_checks, i),
                                 g_strv_contains (columns,
                                                  ((AqApiColumn *) g_ptr_array_index (
                                                     self->columns, i))->name));
  self->filling = FALSE;
  regenerate (self);
}

void
aq_api_wizard_add_filter (AqApiWizard   *self,
                          const char    *column,
                          AqApiFilterOp  op,
                          gboolean       required)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  g_return_if_fail (self->columns != NULL);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (((AqApiColumn *) g_ptr_array_index (self->columns, i))->name, column))
      {
        self->filling = TRUE;
        add_filter (self, i, op, required);
        self->filling = FALSE;
        regenerate (self);
        return;
      }
  g_return_if_reached ();
}

void
aq_api_wizard_remove_filter (AqApiWizard *self,
                             guint        index)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  g_return_if_fail (index < self->filters->len);

  gtk_grid_remove_row (self->filters_grid, index);
  g_ptr_array_remove_index (self->filters, index);
  regenerate (self);
}

char *
aq_api_wizard_get_sql (AqApiWizard *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (AQ_IS_API_WIZARD (self), NULL);
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->sql_buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->sql_buffer), &start, &end, FALSE);
}

void
aq_api_wizard_set_paging (AqApiWizard *self,
                          gboolean     descending,
                          guint        max_page_size)
{
  g_return_if_fail (AQ_IS_API_WIZARD (self));
  adw_combo_row_set_selected (self->page_order_row, descending ? 1 : 0);
  gtk_spin_button_set_value (self->page_size_spin, max_page_size);
}
