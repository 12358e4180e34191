/* aq-datasets-panel.c — the data catalog: the tree, search, a table's and an indicator's page
 *
 * Left: the tree (layer → subject area → table) or, while something is typed, the search's
 * hits, most used first. Right: the page of what was picked — a table (description editable
 * in place, owner and steward, size and freshness, where it is used, its lineage as a graph,
 * its columns with personal-data flags and masked samples) or an indicator (definition,
 * formula, grain, dimensions, what it reads, which reports show it).
 *
 * No SQL here: every read is one aq_datasets_*_async() call on a worker thread. A newer
 * request cancels the older one (search while typing, a page while another loads), so the
 * answer on screen is always the latest one asked for.
 */
#define G_LOG_DOMAIN "aq-datasets-panel"

#include "config.h"

#include "aq-datasets-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-format.h"
#include "aq-panel.h"

#define SEARCH_DELAY_MS 150

struct _AqDatasetsPanel
{
  GtkWidget            parent_instance;

  GtkSearchEntry      *search_entry;
  GtkListBox          *tree_list;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkLabel            *table_title;
  GtkLabel            *table_subtitle;
  GtkEditableLabel    *description_label;
  GtkEditableLabel    *owner_label;
  GtkEditableLabel    *steward_label;
  GtkEditableLabel    *category_label;
  GtkLabel            *facts_label;
  GtkLabel            *freshness_label;
  GtkLabel            *quality_label;
  GtkBox              *quality_box;
  GtkLabel            *used_label;
  AqLineageGraph      *graph;
  GtkGrid             *columns_grid;
  GtkLabel            *indicator_title;
  GtkGrid             *indicator_grid;

  AqConnectionMonitor *monitor;
  GCancellable        *list_cancellable;
  GCancellable        *page_cancellable;
  GPtrArray           *tree;          /* AqDatasetHit, the last tree loaded */
  AqDatasetTable      *table;
  char                *list_mode;
  char                *pending_open;  /* opened before the warehouse answered */
  guint                search_id;
  gboolean             loading;
  gboolean             screenshot_opened;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqDatasetsPanel, aq_datasets_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload_tree (AqDatasetsPanel *self);

/* ---- auxiliary methods ---- */

static void
set_loading (AqDatasetsPanel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
conninfo (AqDatasetsPanel *self)
{
  return self->monitor ? aq_connection_monitor_get_conninfo (self->monitor) : NULL;
}

static const char *
user_lang (void)
{
  const char * const *names = g_get_language_names ();

  return names[0] && g_str_has_prefix (names[0], "zh") ? "zh_CN" : "en";
}

/* The catalog's category paths are data (014_datasets.sql, or `catalog set`), written in
 * English: the known words are translated for display, anything else shows as written. */
G_GNUC_UNUSED static const char *const category_words[] = {
  NC_("dataset category", "Master data"), NC_("dataset category", "Reference"),
  NC_("dataset category", "Facts"), NC_("dataset category", "Daily"),
  NC_("dataset category", "Monthly"), NC_("dataset category", "Map layers"),
  NC_("dataset category", "Customer 360"), NC_("dataset category", "Cubes"),
  NC_("dataset category", "Mining lists"),
};

static char *
category_text (const char *category)
{
  g_auto(GStrv) parts = g_strsplit (category ? category : "", "/", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *text = g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "dataset category", parts[i]));

      g_free (parts[i]);
      parts[i] = text;
    }
  return g_strjoinv ("/", parts);
}

static const char *
layer_title (const char *layer)
{
  if (g_str_equal (layer, "src"))
    return _("Sources (src)");
  if (g_str_equal (layer, "ods"))
    return _("Raw extracts (ods)");
  if (g_str_equal (layer, "dw"))
    return _("Warehouse (dw)");
  if (g_str_equal (layer, "dm"))
    return _("Marts (dm)");
  return layer;
}

static const char *
personal_data_title (const char *kind)
{
  if (kind == NULL)
    return "";
  if (g_str_equal (kind, "name"))
    return _("Name");
  if (g_str_equal (kind, "phone"))
    return _("Phone");
  if (g_str_equal (kind, "id_card"))
    return _("ID card");
  if (g_str_equal (kind, "address"))
    return _("Address");
  if (g_str_equal (kind, "openid"))
    return _("WeChat ID");
  return _("Free text");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
grid_label (const char *text,
            gboolean    dim,
            gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_widget_set_hexpand (label, TRUE);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
list_row (const char *key,
          const char *title,
          const char *subtitle,
          int         indent,
          gboolean    header)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (box, indent);
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL && *subtitle)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  if (header)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  if (key != NULL)
    {
      gtk_widget_set_name (row, key);
      g_object_set_data_full (G_OBJECT (row), "key", g_strdup (key), g_free);
    }
  return row;
}

static void
set_list_mode (AqDatasetsPanel *self,
               const char      *mode)
{
  g_free (self->list_mode);
  self->list_mode = g_strdup (mode);
}

static void
show_tree (AqDatasetsPanel *self)
{
  const char *layer = NULL;
  const char *subject = NULL;

  clear_list (self->tree_list);
  for (guint i = 0; self->tree && i < self->tree->len; i++)
    {
      AqDatasetHit *hit = g_ptr_array_index (self->tree, i);
      g_auto(GStrv) path = g_strsplit (hit->detail, "\n", 3);
      const char *dot = strchr (hit->key, '.');
      g_autofree char *category = path[1] && path[2] ? category_text (path[2]) : NULL;

      if (layer == NULL || !g_str_equal (layer, hit->layer))
        {
          layer = hit->layer;
          subject = NULL;
          gtk_list_box_append (self->tree_list, list_row (NULL, layer_title (layer), NULL, 0,
                                                          TRUE));
        }
      if (subject == NULL || !g_str_equal (subject, path[1] ? path[1] : ""))
        {
          subject = path[1] ? g_intern_string (path[1]) : "";
          gtk_list_box_append (self->tree_list, list_row (NULL, hit->title, NULL, 12, TRUE));
        }
      gtk_list_box_append (self->tree_list,
                           list_row (hit->key, dot ? dot + 1 : hit->key,
                                     category && *category ? category : NULL, 24,
                                     FALSE));
    }
  set_list_mode (self, "tree");
}

/* ---- the table page ---- */

/* The table's quality score from the rules' latest results, and the rules failing now. */
static void
show_quality (AqDatasetsPanel *self)
{
  AqDatasetTable *t = self->table;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quality_box))) != NULL)
    gtk_box_remove (self->quality_box, child);
  gtk_widget_remove_css_class (GTK_WIDGET (self->quality_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->quality_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->quality_label), "warning");
  if (t->quality_rules == 0)
    {
      gtk_label_set_label (self->quality_label, _("Quality: no rule has checked this table yet"));
      return;
    }
  {
    g_autofree char *score = g_strdup_printf ("%.1f", t->quality_score);
    g_autofree char *text = NULL;

    if (t->quality_failing->len == 0)
      /* Translators: a quality score (0–100) and a number of rules */
      text = g_strdup_printf (ngettext ("Quality %s — its %u rule passes",
                                        "Quality %s — all its %u rules pass",
                                        t->quality_rules), score, t->quality_rules);
    else
      /* Translators: a quality score (0–100), a number of rules failing and of rules */
      text = g_strdup_printf (ngettext ("Quality %s — %u of %u rules failing or warning:",
                                        "Quality %s — %u of %u rules failing or warning:",
                                        t->quality_rules), score, t->quality_failing->len,
                              t->quality_rules);
    gtk_label_set_label (self->quality_label, text);
    /* red when a rule fails, amber when rules only warn (failing rules come first) */
    gtk_widget_add_css_class (GTK_WIDGET (self->quality_label),
                              t->quality_failing->len == 0 ? "success"
                              : g_str_equal (((AqDatasetQualityRule *)
                                              g_ptr_array_index (t->quality_failing, 0))->status,
                                             "fail") ? "error" : "warning");
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->quality_label),
                                 _("score = 100 × Σ (checked rows − failing rows) / Σ checked "
                                   "rows, over each rule's latest result"));
  }
  for (guint i = 0; i < t->quality_failing->len; i++)
    {
      AqDatasetQualityRule *rule = g_ptr_array_index (t->quality_failing, i);
      g_autofree char *failing = aq_format_count (rule->failing);
      g_autofree char *checked = aq_format_count (rule->checked);
      g_autofree char *text = NULL;
      GtkWidget *label;

      /* Translators: a rule's name, "fails"/"warns", failing rows and checked rows */
      text = g_strdup_printf (_("%s %s: %s of %s rows"), rule->rule_name,
                              g_str_equal (rule->status, "fail") ? _("fails") : _("warns"),
                              failing, checked);
      label = grid_label (text, FALSE, TRUE);
      gtk_widget_set_name (label, rule->rule_name);
      gtk_widget_add_css_class (label, g_str_equal (rule->status, "fail") ? "error" : "warning");
      if (*rule->message)
        gtk_widget_set_tooltip_text (label, rule->message);
      gtk_box_append (self->quality_box, label);
    }
}

static void
show_table (AqDatasetsPanel *self)
{
  AqDatasetTable *t = self->table;
  g_autofree char *rows = NULL;
  g_autofree char *size = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *used = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *category = NULL;
  g_autoptr(GString) used_text = g_string_new (NULL);
  const char * const headers[] = {
    N_("Column"), N_("Type"), N_("Description"), N_("Personal data"), N_("Samples (masked)")
  };

  gtk_label_set_label (self->table_title, t->key);
  category = category_text (t->category);
  subtitle = g_strdup_printf ("%s · %s%s%s", layer_title (t->layer), t->subject_name,
                              *t->category ? " · " : "", category);
  gtk_label_set_label (self->table_subtitle, subtitle);
  gtk_editable_set_text (GTK_EDITABLE (self->description_label),
                         *t->description ? t->description : _("No description yet"));

  rows = t->row_estimate >= 0 ? aq_format_count (t->row_estimate) : g_strdup (_("unknown"));
  size = g_format_size ((guint64) MAX (t->size_bytes, 0));
  gtk_editable_set_text (GTK_EDITABLE (self->owner_label), t->owner);
  gtk_editable_set_text (GTK_EDITABLE (self->steward_label), t->steward);
  gtk_editable_set_text (GTK_EDITABLE (self->category_label), t->category);
  /* Translators: an estimated row count and a size */
  facts = g_strdup_printf (_("About %s rows · %s"), rows, size);
  gtk_label_set_label (self->facts_label, facts);

  if (t->last_loaded_at != NULL)
    {
      g_autofree char *when = aq_format_date_time (t->last_loaded_at);
      g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, t->last_run_id);
      g_autofree char *text = NULL;

      /* Translators: a pipeline, a run number and a date */
      text = g_strdup_printf (_("Last loaded by %s, run %s, at %s"), t->written_by, run, when);
      if (t->late)
        {
          g_autofree char *late = g_strdup_printf (ngettext ("%s — later than its %d-hour SLA",
                                                             "%s — later than its %d-hour SLA",
                                                             t->sla_hours), text, t->sla_hours);
          gtk_label_set_label (self->freshness_label, late);
          gtk_widget_add_css_class (GTK_WIDGET (self->freshness_label), "error");
        }
      else
        {
          gtk_label_set_label (self->freshness_label, text);
          gtk_widget_remove_css_class (GTK_WIDGET (self->freshness_label), "error");
        }
    }
  else
    {
      gtk_label_set_label (self->freshness_label, t->written_by
                           ? _("Not loaded by any successful run yet")
                           : _("No pipeline loads this table"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->freshness_label), "error");
    }

  show_quality (self);

  for (guint i = 0; i < t->used_by->len; i++)
    g_string_append_printf (used_text, "%s%s", i ? ", " : "",
                            (char *) g_ptr_array_index (t->used_by, i));
  /* Translators: %s is a list of pipelines, indicators and reports */
  used = g_strdup_printf (_("Used by: %s"), used_text->len ? used_text->str : _("nothing yet"));
  gtk_label_set_label (self->used_label, used);

  aq_lineage_graph_set_table (self->graph, t);

  clear_grid (self->columns_grid);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      GtkWidget *label = grid_label (_(headers[c]), FALSE, FALSE);

      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (self->columns_grid, label, c, 0, 1, 1);
    }
  for (guint i = 0; i < t->columns->len; i++)
    {
      AqDatasetColumn *column = g_ptr_array_index (t->columns, i);
      g_autofree char *samples = column->samples ? g_strjoinv (", ", column->samples)
                                                 : g_strdup ("");
      g_autofree char *description = column->term
                                     ? g_strdup_printf ("%s [%s]", column->description,
                                                        column->term)
                                     : g_strdup (column->description);
      GtkWidget *name = grid_label (column->name, FALSE, FALSE);
      GtkWidget *pd = grid_label (personal_data_title (column->personal_data), FALSE, FALSE);

      gtk_widget_set_name (name, column->name);
      if (column->personal_data)
        gtk_widget_add_css_class (pd, "warning");
      gtk_grid_attach (self->columns_grid, name, 0, i + 1, 1, 1);
      gtk_grid_attach (self->columns_grid, grid_label (column->type, TRUE, FALSE), 1, i + 1, 1, 1);
      gtk_grid_attach (self->columns_grid, grid_label (description, FALSE, TRUE), 2, i + 1, 1, 1);
      gtk_grid_attach (self->columns_grid, pd, 3, i + 1, 1, 1);
      gtk_grid_attach (self->columns_grid, grid_label (samples, TRUE, FALSE), 4, i + 1, 1, 1);
    }
  gtk_stack_set_visible_child_name (self->stack, "table");
}

static void
table_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  AqDatasetTable *table = aq_datasets_load_table_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_loading (self, FALSE);
  if (table == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->table, aq_dataset_table_free);
  self->table = table;
  show_table (self);
}

/* ---- the indicator page ---- */

static void
indicator_row (AqDatasetsPanel *self,
               int              row,
               const char      *title,
               const char      *value,
               gboolean         monospace)
{
  GtkWidget *name = grid_label (title, TRUE, FALSE);
  GtkWidget *text = grid_label (value && *value ? value : "—", FALSE, TRUE);

  if (monospace)
    gtk_widget_add_css_class (text, "monospace");
  gtk_grid_attach (self->indicator_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->indicator_grid, text, 1, row, 1, 1);
}

static char *
join_array (JsonObject *o,
            const char *member)
{
  JsonArray *array = json_object_get_array_member (o, member);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i ? "\n" : "", json_array_get_string_element (array, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
indicator_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = aq_datasets_load_indicator_finish (result, &error);
  JsonObject *o;
  g_autofree char *title = NULL;
  g_autofree char *dims = NULL;
  g_autofree char *reads = NULL;
  g_autofree char *shown = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_loading (self, FALSE);
  if (node == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  o = json_node_get_object (node);
  title = g_strdup_printf ("%s · %s", json_object_get_string_member (o, "name_zh"),
                           json_object_get_string_member (o, "name_en"));
  gtk_label_set_label (self->indicator_title, title);
  clear_grid (self->indicator_grid);
  dims = join_array (o, "dimensions");
  reads = join_array (o, "reads");
  shown = join_array (o, "shown_by");
  indicator_row (self, 0, _("Identifier"), json_object_get_string_member (o, "id"), TRUE);
  indicator_row (self, 1, _("Category"), json_object_get_string_member (o, "category"), FALSE);
  indicator_row (self, 2, _("Definition"), json_object_get_string_member (o, "definition"),
                 FALSE);
  indicator_row (self, 3, _("Formula"), json_object_get_string_member (o, "formula"), TRUE);
  indicator_row (self, 4, _("Grain"), json_object_get_string_member (o, "grain"), FALSE);
  indicator_row (self, 5, _("Unit"), json_object_get_string_member (o, "unit"), FALSE);
  indicator_row (self, 6, _("Dimensions"), dims, TRUE);
  indicator_row (self, 7, _("Reads"), reads, TRUE);
  indicator_row (self, 8, _("Shown by"), shown, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "indicator");
}

/* ---- the tree and search ---- */

static void
tree_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *tree = aq_datasets_list_tables_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tree == NULL)
    {
      g_clear_object (&self->list_cancellable);
      set_loading (self, FALSE);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_object (&self->list_cancellable);
  g_clear_pointer (&self->tree, g_ptr_array_unref);
  self->tree = tree;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    show_tree (self);
  if (self->pending_open != NULL)
    {
      g_autofree char *key = g_steal_pointer (&self->pending_open);

      aq_datasets_panel_open (self, key);
      return;
    }
  set_loading (self, FALSE);
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = aq_datasets_search_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  clear_list (self->tree_list);
  if (hits == NULL)
    {
      gtk_list_box_append (self->tree_list, list_row (NULL, error->message, NULL, 0, TRUE));
      set_list_mode (self, "search");
      return;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      AqDatasetHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *title = g_str_equal (hit->kind, "indicator")
                               || g_str_equal (hit->kind, "report")
                               ? g_strdup_printf ("%s — %s", hit->key, hit->title)
                               : g_strdup (hit->key);

      gtk_list_box_append (self->tree_list, list_row (hit->key, title, hit->detail, 0, FALSE));
    }
  if (hits->len == 0)
    gtk_list_box_append (self->tree_list, list_row (NULL, _("Nothing matches"), NULL, 0, TRUE));
  set_list_mode (self, "search");
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  AqDatasetsPanel *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  self->search_id = 0;
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (*text == '\0')
    {
      show_tree (self);
      return G_SOURCE_REMOVE;
    }
  if (self->monitor == NULL)
    return G_SOURCE_REMOVE;
  set_list_mode (self, "");
  self->list_cancellable = g_cancellable_new ();
  aq_datasets_search_async (conninfo (self), text, self->list_cancellable, search_cb,
                            g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (AqDatasetsPanel *self)
{
  g_clear_handle_id (&self->search_id, g_source_remove);
  set_list_mode (self, "");
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
search_activate_cb (AqDatasetsPanel *self)
{
  GtkListBoxRow *row;

  /* Enter opens the best hit */
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->tree_list, i)) != NULL; i++)
    if (gtk_list_box_row_get_activatable (row))
      {
        g_signal_emit_by_name (self->tree_list, "row-activated", row);
        return;
      }
}

static void
row_activated_cb (AqDatasetsPanel *self,
                  GtkListBoxRow   *row)
{
  const char *key = g_object_get_data (G_OBJECT (row), "key");

  if (key != NULL)
    aq_datasets_panel_open (self, key);
}

static void
described_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (aq_datasets_set_description_finish (result, &error))
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label),
                                   _("Click to edit the description"));
      return;
    }
  /* not saved: say so where the user looks, and keep the text for another try */
  gtk_widget_add_css_class (GTK_WIDGET (self->description_label), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label), error->message);
}

static void
description_editing_cb (AqDatasetsPanel *self)
{
  const char *text;

  if (gtk_editable_label_get_editing (self->description_label) || self->table == NULL)
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (self->description_label));
  if (*text == '\0' || g_strcmp0 (text, self->table->description) == 0)
    return;
  g_free (self->table->description);
  self->table->description = g_strdup (text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->description_label), "error");
  aq_datasets_set_description_async (conninfo (self), self->table->key, NULL, user_lang (),
                                     text, NULL, described_cb, g_object_ref (self));
}

static void
info_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AqDatasetsPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aq_datasets_set_table_info_finish (result, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->facts_label), "error");
      gtk_label_set_label (self->facts_label, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->facts_label), "error");
}

/* Owner, steward or category edited in place: saved when the editing ends. */
static void
info_editing_cb (AqDatasetsPanel *self)
{
  const char *owner, *steward, *category;

  if (self->table == NULL || gtk_editable_label_get_editing (self->owner_label)
      || gtk_editable_label_get_editing (self->steward_label)
      || gtk_editable_label_get_editing (self->category_label))
    return;
  owner = gtk_editable_get_text (GTK_EDITABLE (self->owner_label));
  steward = gtk_editable_get_text (GTK_EDITABLE (self->steward_label));
  category = gtk_editable_get_text (GTK_EDITABLE (self->category_label));
  if (g_str_equal (owner, self->table->owner) && g_str_equal (steward, self->table->steward)
      && g_str_equal (category, self->table->category))
    return;
  g_free (self->table->owner);
  self->table->owner = g_strdup (owner);
  g_free (self->table->steward);
  self->table->steward = g_strdup (steward);
  g_free (self->table->category);
  self->table->category = g_strdup (category);
  aq_datasets_set_table_info_async (conninfo (self), self->table->key, category, owner,
                                    steward, NULL, info_saved_cb, g_object_ref (self));
}

static void
reload_tree (AqDatasetsPanel *self)
{
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->monitor == NULL)
    return;
  self->list_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  set_list_mode (self, "");
  aq_datasets_list_tables_async (conninfo (self), self->list_cancellable, tree_cb,
                                 g_object_ref (self));
}

/* The catalog is read when the panel is first shown (a rebuild may come first), not when the
 * window opens on another panel. */
static void
load_if_needed (AqDatasetsPanel *self)
{
  if (self->monitor != NULL && self->tree == NULL && self->list_cancellable == NULL
      && gtk_widget_get_mapped (GTK_WIDGET (self))
      && aq_connection_monitor_get_state (self->monitor) == AQ_CONNECTION_STATE_HEALTHY)
    reload_tree (self);
}

static void
state_cb (AqDatasetsPanel *self)
{
  load_if_needed (self);
}

/* ---- AqPanel ---- */

static gboolean
get_loading (AqPanel *panel)
{
  return AQ_DATASETS_PANEL (panel)->loading;
}

static void
reload (AqPanel *panel)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (panel);

  reload_tree (self);
  if (self->table != NULL)
    self->pending_open = g_strdup (self->table->key);
}

static void
panel_set_monitor (AqPanel             *panel,
                   AqConnectionMonitor *monitor)
{
  aq_datasets_panel_set_monitor (AQ_DATASETS_PANEL (panel), monitor);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = get_loading;
  iface->reload = reload;
  iface->set_monitor = panel_set_monitor;
}

/* ---- GtkWidget overrides ---- */

/* --screenshot datasets=FILE: a table's page, not an empty one. */
static void
aq_datasets_panel_map (GtkWidget *widget)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  GTK_WIDGET_CLASS (aq_datasets_panel_parent_class)->map (widget);

  load_if_needed (self);

  if (!self->screenshot_opened && GTK_IS_WIDGET (root)
      && gtk_widget_has_css_class (GTK_WIDGET (root), "screenshot"))
    {
      const char *key = g_getenv ("AQUEDUCT_SCREENSHOT_TABLE");

      self->screenshot_opened = TRUE;
      aq_datasets_panel_open (self, key && *key ? key : "dm.customer_profile");
    }
}

/* ---- GObject overrides ---- */

static void
aq_datasets_panel_dispose (GObject *object)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (object);
  GtkWidget *child;

  g_clear_handle_id (&self->search_id, g_source_remove);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  aq_datasets_panel_set_monitor (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_DATASETS_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_datasets_panel_parent_class)->dispose (object);
}

static void
aq_datasets_panel_finalize (GObject *object)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (object);

  g_clear_pointer (&self->tree, g_ptr_array_unref);
  g_clear_pointer (&self->table, aq_dataset_table_free);
  g_clear_pointer (&self->list_mode, g_free);
  g_clear_pointer (&self->pending_open, g_free);

  G_OBJECT_CLASS (aq_datasets_panel_parent_class)->finalize (object);
}

static void
aq_datasets_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_datasets_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AqDatasetsPanel *self = AQ_DATASETS_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      aq_datasets_panel_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_datasets_panel_class_init (AqDatasetsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_datasets_panel_dispose;
  object_class->finalize = aq_datasets_panel_finalize;
  object_class->get_property = aq_datasets_panel_get_property;
  object_class->set_property = aq_datasets_panel_set_property;
  widget_class->map = aq_datasets_panel_map;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         AQ_TYPE_CONNECTION_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-datasets-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, tree_list);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, table_title);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, table_subtitle);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, description_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, owner_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, steward_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, category_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, facts_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, freshness_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, quality_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, quality_box);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, used_label);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, graph);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, columns_grid);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, indicator_title);
  gtk_widget_class_bind_template_child (widget_class, AqDatasetsPanel, indicator_grid);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, description_editing_cb);
  gtk_widget_class_bind_template_callback (widget_class, info_editing_cb);

  g_type_ensure (AQ_TYPE_LINEAGE_GRAPH);
}

static void
aq_datasets_panel_init (AqDatasetsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* nothing to show until the first answer: "loading" for screenshots and tests */
  self->loading = TRUE;
  self->list_mode = g_strdup ("");
  gtk_spinner_set_spinning (self->spinner, TRUE);
}

/* ---- public ---- */

AqConnectionMonitor *
aq_datasets_panel_get_monitor (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->monitor;
}

void
aq_datasets_panel_set_monitor (AqDatasetsPanel     *self,
                               AqConnectionMonitor *monitor)
{
  g_return_if_fail (AQ_IS_DATASETS_PANEL (self));
  g_return_if_fail (!monitor || AQ_IS_CONNECTION_MONITOR (monitor));

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    {
      g_signal_connect_swapped (self->monitor, "notify::state", G_CALLBACK (state_cb), self);
      load_if_needed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

void
aq_datasets_panel_search (AqDatasetsPanel *self,
                          const char      *text)
{
  g_return_if_fail (AQ_IS_DATASETS_PANEL (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
}

void
aq_datasets_panel_open (AqDatasetsPanel *self,
                        const char      *key)
{
  g_autofree char *table = NULL;

  g_return_if_fail (AQ_IS_DATASETS_PANEL (self));
  g_return_if_fail (key != NULL);

  if (self->tree == NULL)
    {
      /* the warehouse has not answered yet: open it when it does */
      g_free (self->pending_open);
      self->pending_open = g_strdup (key);
      set_loading (self, TRUE);
      return;
    }
  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  self->page_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  if (g_str_has_prefix (key, "indicator:"))
    {
      aq_datasets_load_indicator_async (conninfo (self), key, self->page_cancellable,
                                        indicator_cb, g_object_ref (self));
      return;
    }
  if (g_str_has_prefix (key, "report:") || g_str_has_prefix (key, "api:"))
    {
      /* a consumer: its lineage is what the indicator pages and the CLI show */
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  {
    const char *first = strchr (key, '.');
    const char *second = first ? strchr (first + 1, '.') : NULL;

    table = second ? g_strndup (key, second - key) : g_strdup (key);
  }
  aq_datasets_load_table_async (conninfo (self), table, self->page_cancellable, table_cb,
                                g_object_ref (self));
}

const AqDatasetTable *
aq_datasets_panel_get_table (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->table;
}

AqLineageGraph *
aq_datasets_panel_get_graph (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->graph;
}

GtkListBox *
aq_datasets_panel_get_list (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->tree_list;
}

GtkGrid *
aq_datasets_panel_get_columns_grid (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->columns_grid;
}

const char *
aq_datasets_panel_get_list_mode (AqDatasetsPanel *self)
{
  g_return_val_if_fail (AQ_IS_DATASETS_PANEL (self), NULL);

  return self->list_mode;
}
