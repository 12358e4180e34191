/* aq-api-panel.c — the Data API panel
 *
 * The market on the left, by category (the published APIs and drafts of meta.api); on the
 * right an API's documentation (what it answers, its parameters with their types, paging and
 * an example call), the test console (a field a parameter, Call, the answer exactly as a
 * caller gets it with its timing) and the monitor (calls, errors and p50/p95/p99 latency per
 * API and app over the last 24 hours, from the daemon's call log). Everything is read and run
 * by core on worker threads (aq_db_job): the console runs the API as aq_api in a read-only
 * transaction (aq_api_try), so masking applies as it does for callers. The panel holds no SQL.
 * Defining an API or its next version is the wizard's (aq-api-wizard.c); the versions page
 * with diff and rollback is aq-api-panel-versions.c, the monitor's charts and top callers
 * aq-api-panel-monitor.c.
 */
#define G_LOG_DOMAIN "aq-api-panel"

#include "config.h"

#include "aq-api-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-panel.h"


static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqApiPanel, aq_api_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

typedef struct
{
  JsonNode *market;
  JsonNode *stats;
  gboolean  may_publish;
} Market;

static void
market_free (Market *m)
{
  g_clear_pointer (&m->market, json_node_unref);
  g_clear_pointer (&m->stats, json_node_unref);
  g_free (m);
}

typedef struct
{
  AqApi      *api;
  JsonObject *input;
  char       *answer;
  guint       rows;
  gint64      elapsed_us;
} Trial;

static void
trial_free (Trial *t)
{
  g_clear_pointer (&t->api, aq_api_unref);
  g_clear_pointer (&t->input, json_object_unref);
  g_free (t->answer);
  g_free (t);
}

static void load (AqApiPanel *self);

/* ---- auxiliary methods ---- */

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

void
aq_api_panel_clear (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else if (GTK_IS_GRID (box))
        gtk_grid_remove (GTK_GRID (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

void
aq_api_panel_set_busy_internal (AqApiPanel *self,
                                gboolean    busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button), self->busy == 0 && self->api);
}

/* ---- the market ---- */

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  const char *category = g_object_get_data (G_OBJECT (row), "category");
  const char *previous = before ? g_object_get_data (G_OBJECT (before), "category") : NULL;
  GtkWidget *header;

  if (g_strcmp0 (category, previous) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = label_new (aq_api_category_title (category), "heading");
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 3);
  gtk_list_box_row_set_header (row, header);
}

static void
show_market (AqApiPanel *self)
{
  JsonArray *array = json_node_get_array (self->market);

  aq_api_panel_clear (GTK_WIDGET (self->market_list));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = label_new (json_object_get_string_member (o, "title"), NULL);
      g_autofree char *sub = NULL;

      if (json_object_get_null_member (o, "published_version"))
        sub = g_strdup_printf (_("%s · draft"), json_object_get_string_member (o, "name"));
      else
        sub = g_strdup_printf (_("%s · v%d · %s"), json_object_get_string_member (o, "name"),
                               (int) json_object_get_int_member (o, "published_version"),
                               g_str_equal (json_object_get_string_member (o, "kind"),
                                            "forward") ? _("forwarded") : _("warehouse"));
      gtk_label_set_selectable (GTK_LABEL (title), FALSE);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), label_new (sub, "caption"));
      gtk_widget_add_css_class (gtk_widget_get_last_child (box), "dim-label");
      gtk_label_set_selectable (GTK_LABEL (gtk_widget_get_last_child (box)), FALSE);
      gtk_widget_set_margin_top (box, 4);
      gtk_widget_set_margin_bottom (box, 4);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "name",
                              g_strdup (json_object_get_string_member (o, "name")), g_free);
      g_object_set_data_full (G_OBJECT (row), "category",
                              g_strdup (json_object_get_string_member (o, "category")), g_free);
      gtk_list_box_append (self->market_list, row);
    }
}

static void
grid_cell (GtkGrid    *grid,
           int         col,
           int         row,
           const char *text,
           gboolean    numeric,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, col, row, 1, 1);
}

void
aq_api_panel_grid_cell (GtkGrid    *grid,
                        int         col,
                        int         row,
                        const char *text,
                        gboolean    numeric,
                        const char *css_class)
{
  grid_cell (grid, col, row, text, numeric, css_class);
}

static void
show_monitor (AqApiPanel *self,
              JsonNode   *stats)
{
  JsonArray *array = json_node_get_array (stats);
  const char *heads[] = {
    N_("API"), N_("App"), N_("Calls"), N_("Errors"), N_("Error rate"), N_("p50 ms"),
    N_("p95 ms"), N_("p99 ms"),
  };

  aq_api_panel_clear (GTK_WIDGET (self->monitor_grid));
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    grid_cell (self->monitor_grid, c, 0, c == 2 ? C_("api calls", "Calls") : _(heads[c]),
               c >= 2, "heading");
  if (json_array_get_length (array) == 0)
    {
      grid_cell (self->monitor_grid, 0, 1, _("No calls in the last 24 hours"), FALSE,
                 "dim-label");
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      gint64 calls = json_object_get_int_member (o, "calls");
      gint64 errors = json_object_get_int_member (o, "errors");
      g_autofree char *c = g_strdup_printf ("%" G_GINT64_FORMAT, calls);
      g_autofree char *e = g_strdup_printf ("%" G_GINT64_FORMAT, errors);
      g_autofree char *rate = g_strdup_printf ("%.2f %%", calls ? 100.0 * errors / calls : 0);
      g_autofree char *p50 = g_strdup_printf ("%.1f", json_object_get_double_member (o, "p50_ms"));
      g_autofree char *p95 = g_strdup_printf ("%.1f", json_object_get_double_member (o, "p95_ms"));
      g_autofree char *p99 = g_strdup_printf ("%.1f", json_object_get_double_member (o, "p99_ms"));
      const char *app = json_object_get_string_member (o, "app");

      grid_cell (self->monitor_grid, 0, i + 1, json_object_get_string_member (o, "api"), FALSE,
                 NULL);
      grid_cell (self->monitor_grid, 1, i + 1, *app ? app : _("(unknown)"), FALSE, NULL);
      grid_cell (self->monitor_grid, 2, i + 1, c, TRUE, NULL);
      grid_cell (self->monitor_grid, 3, i + 1, e, TRUE, errors ? "error" : NULL);
      grid_cell (self->monitor_grid, 4, i + 1, rate, TRUE, NULL);
      grid_cell (self->monitor_grid, 5, i + 1, p50, TRUE, NULL);
      grid_cell (self->monitor_grid, 6, i + 1, p95, TRUE, NULL);
      grid_cell (self->monitor_grid, 7, i + 1, p99, TRUE, NULL);
    }
}

static gpointer
load_market_job (AqDb          *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Market *m = g_new0 (Market, 1);
  g_autoptr(GError) stats_error = NULL;

  m->market = aq_api_list (db, error);
  if (m->market == NULL)
    {
      market_free (m);
      return NULL;
    }
  m->may_publish = aq_api_may_publish (db, NULL);
  /* the call log is for owners; without it the market still shows */
  m->stats = aq_api_stats (db, aq_clock_now_unix_usec () - 24 * G_TIME_SPAN_HOUR, &stats_error);
  if (m->stats == NULL)
    {
      m->stats = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (m->stats, json_array_new ());
    }
  return m;
}

static void
load_market_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Market *m = aq_db_job_run_finish (result, load_market_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  self->loading = FALSE;
  if (m == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->market, json_node_unref);
  self->market = g_steal_pointer (&m->market);
  self->may_publish = m->may_publish;
  show_market (self);
  show_monitor (self, m->stats);
  gtk_stack_set_visible_child_name (self->stack, "market");
  market_free (m);
  aq_api_panel_watch_load (self);
  /* the API just published or rolled back, else the first API's page rather than none */
  if (g_object_get_data (G_OBJECT (self), "select-after-load"))
    {
      g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (self), "select-after-load"));

      g_object_set_data (G_OBJECT (self), "select-after-load", NULL);
      aq_api_panel_select (self, name);
    }
  else if (self->api == NULL && gtk_list_box_get_row_at_index (self->market_list, 0))
    gtk_list_box_select_row (self->market_list,
                             gtk_list_box_get_row_at_index (self->market_list, 0));
}

void
aq_api_panel_load_internal (AqApiPanel *self)
{
  load (self);
}

static void
load (AqApiPanel *self)
{
  const char *conninfo = aq_panel_get_conninfo (AQ_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* the cancelled jobs' callbacks return early: they no longer count */
  self->busy = 0;
  self->loading = TRUE;
  aq_db_job_run_async (conninfo, load_market_job, load_market_job, NULL, NULL,
                       (GDestroyNotify) market_free, self->cancellable, load_market_cb, self);
}

/* ---- an API's page ---- */

static void
show_api (AqApiPanel *self)
{
  AqApi *api = self->api;
  GtkWidget *grid;
  g_autoptr(GString) example = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("%s  (%s, v%d)", api->title, api->name,
                                            api->version);

  aq_api_panel_clear (GTK_WIDGET (self->docs_box));
  gtk_box_append (self->docs_box, label_new (title, "title-2"));
  gtk_box_append (self->docs_box, label_new (api->description, NULL));

  gtk_box_append (self->docs_box, label_new (_("Parameters"), "heading"));
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *p = g_ptr_array_index (api->params, i);

      grid_cell (GTK_GRID (grid), 0, i, p->name, FALSE, "monospace");
      grid_cell (GTK_GRID (grid), 1, i, aq_api_param_type_to_string (p->type), FALSE,
                 "dim-label");
      grid_cell (GTK_GRID (grid), 2, i, p->required ? _("required") : _("optional"), FALSE,
                 NULL);
      grid_cell (GTK_GRID (grid), 3, i, p->description ? p->description : "", FALSE, NULL);
    }
  if (api->params->len == 0)
    grid_cell (GTK_GRID (grid), 0, 0, _("None"), FALSE, "dim-label");
  gtk_box_append (self->docs_box, grid);

  g_string_append_printf (example, "GET /api/v1/%s", api->name);
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *p = g_ptr_array_index (api->params, i);

      if (p->required)
        g_string_append_printf (example, "%s%s=…", strchr (example->str, '?') ? "&" : "?",
                                p->name);
    }
  if (api->template)
    {
      g_autofree char *paging = g_strdup_printf (
        _("Pages by %s, at most %u rows a page: pass page_size, and the answer's page.next as "
          "cursor for the next page; count=true adds the total."), api->page_key,
        api->max_page_size);

      gtk_box_append (self->docs_box, label_new (_("Paging"), "heading"));
      gtk_box_append (self->docs_box, label_new (paging, NULL));
    }
  else
    {
      g_autofree char *fw = g_strdup_printf (_("Forwarded to %s %s (timeout %u ms)"),
                                             api->forward_method, api->forward_url,
                                             api->timeout_ms);

      gtk_box_append (self->docs_box, label_new (fw, NULL));
    }
  gtk_box_append (self->docs_box, label_new (_("Example"), "heading"));
  gtk_box_append (self->docs_box, label_new (example->str, "monospace"));
  gtk_box_append (self->docs_box, label_new (
    _("Every call is signed: X-Aq-Key, X-Aq-Timestamp, X-Aq-Nonce and X-Aq-Signature "
      "(HMAC-SHA256 of the method, path, query, the body's SHA-256, the timestamp and the "
      "nonce). Answers are {code, message, data, page}; external callers see phones and IDs "
      "masked."), "dim-label"));

  /* the console: one field a parameter */
  aq_api_panel_clear (GTK_WIDGET (self->console_params));
  g_hash_table_remove_all (self->entries);
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *p = g_ptr_array_index (api->params, i);
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *row_title = g_strdup_printf ("%s (%s)%s", p->name,
                                                    aq_api_param_type_to_string (p->type),
                                                    p->required ? " *" : "");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
      gtk_widget_set_name (row, p->name);
      gtk_list_box_append (self->console_params, row);
      g_hash_table_insert (self->entries, g_strdup (p->name), row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->console_params), api->params->len > 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->response_view), "", -1);
  gtk_label_set_label (self->timing_label, "");
  g_clear_pointer (&self->response, g_free);
  aq_api_panel_set_busy_internal (self, FALSE);
}

static gpointer
load_api_job (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return aq_api_load (db, data, 0, error);
}

static void
load_api_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqApi *api = aq_db_job_run_finish (result, load_api_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  if (api == NULL)
    {
      aq_api_panel_clear (GTK_WIDGET (self->docs_box));
      gtk_box_append (self->docs_box, label_new (error->message, "error"));
      return;
    }
  g_clear_pointer (&self->api, aq_api_unref);
  self->api = api;
  show_api (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_version_button), TRUE);
  aq_api_panel_versions_load (self);
  aq_api_panel_watch_load (self);
}

static void
row_selected_cb (AqApiPanel    *self,
                 GtkListBoxRow *row)
{
  const char *name = row ? g_object_get_data (G_OBJECT (row), "name") : NULL;

  if (name == NULL)
    return;
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), load_api_job, load_api_job,
                       g_strdup (name), g_free, (GDestroyNotify) aq_api_unref,
                       self->cancellable, load_api_cb, self);
}

/* ---- the console ---- */

static gpointer
try_job (AqDb          *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Trial *t = data;
  gint64 t0 = g_get_monotonic_time ();

  t->answer = aq_api_try (db, t->api, t->input, &t->rows, error);
  t->elapsed_us = g_get_monotonic_time () - t0;
  return t->answer ? t : NULL;
}

static void
try_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Trial *t = aq_db_job_run_finish (result, try_job, &error);
  AqApiPanel *self;
  g_autofree char *timing = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  g_clear_pointer (&self->response, g_free);
  if (t == NULL)
    {
      self->response = g_strdup (error->message);
      self->response_rows = 0;
      gtk_label_set_label (self->timing_label, _("The warehouse cannot be reached"));
    }
  else
    {
      /* byte for byte what a caller gets (re-printing would turn 7.40 into a double) */
      self->response = g_strdup (t->answer);
      self->response_rows = t->rows;
      timing = g_strdup_printf (ngettext ("%u row in %.1f ms", "%u rows in %.1f ms", t->rows),
                                t->rows, t->elapsed_us / 1000.0);
      gtk_label_set_label (self->timing_label, timing);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->response_view), self->response, -1);
}

static void
call_clicked_cb (AqApiPanel *self)
{
  Trial *t;
  GHashTableIter iter;
  gpointer key, value;

  if (self->api == NULL || self->busy)
    return;
  t = g_new0 (Trial, 1);
  t->api = aq_api_ref (self->api);
  t->input = json_object_new ();
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (value));

      if (text && *text)
        json_object_set_string_member (t->input, key, text);
    }
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), try_job, try_job, t,
                       (GDestroyNotify) trial_free, NULL, self->cancellable, try_cb, self);
}

/* ---- AqPanel ---- */

static gboolean
aq_api_panel_get_loading (AqPanel *panel)
{
  AqApiPanel *self = AQ_API_PANEL (panel);

  return self->loading || self->busy > 0;
}

static void
aq_api_panel_reload (AqPanel *panel)
{
  load (AQ_API_PANEL (panel));
}

static void
aq_api_panel_set_monitor (AqPanel             *panel,
                          AqConnectionMonitor *monitor)
{
  AqApiPanel *self = AQ_API_PANEL (panel);

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "connected", G_CALLBACK (load), self,
                               G_CONNECT_SWAPPED);
      load (self);
    }
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = aq_api_panel_get_loading;
  iface->reload = aq_api_panel_reload;
  iface->set_monitor = aq_api_panel_set_monitor;
}

/* ---- GObject overrides ---- */

static void
aq_api_panel_dispose (GObject *object)
{
  AqApiPanel *self = AQ_API_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_API_PANEL);
  G_OBJECT_CLASS (aq_api_panel_parent_class)->dispose (object);
}

static void
aq_api_panel_finalize (GObject *object)
{
  AqApiPanel *self = AQ_API_PANEL (object);

  g_clear_pointer (&self->market, json_node_unref);
  g_clear_pointer (&self->api, aq_api_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_free (self->response);
  g_clear_pointer (&self->versions, json_node_unref);
  g_free (self->diff_text);
  aq_api_panel_watch_finalize (self);
  G_OBJECT_CLASS (aq_api_panel_parent_class)->finalize (object);
}

static void
aq_api_panel_class_init (AqApiPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_api_panel_dispose;
  object_class->finalize = aq_api_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-api-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, market_list);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, pages);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, docs_box);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, console_params);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, call_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, timing_label);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, response_view);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, monitor_grid);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, define_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, new_version_button);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, versions_list);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, diff_view);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, monitor_scope);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, monitor_window);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, monitor_summary);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, calls_chart);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, latency_chart);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, callers_grid);
  gtk_widget_class_bind_template_child (widget_class, AqApiPanel, top_apis_grid);
}

static void
aq_api_panel_init (AqApiPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->loading = TRUE;
  gtk_list_box_set_header_func (self->market_list, header_func, NULL, NULL);
  g_signal_connect_object (self->market_list, "row-selected", G_CALLBACK (row_selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call_button, "clicked", G_CALLBACK (call_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_version_button), FALSE);
  aq_api_panel_versions_init (self);
  aq_api_panel_watch_init (self);
}

/* ---- public API ---- */

gboolean
aq_api_panel_get_busy (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), FALSE);
  return self->loading || self->busy > 0;
}

guint
aq_api_panel_get_n_apis (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), 0);
  return self->market ? json_array_get_length (json_node_get_array (self->market)) : 0;
}

void
aq_api_panel_select (AqApiPanel *self,
                     const char *name)
{
  g_return_if_fail (AQ_IS_API_PANEL (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->market_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row)
        && g_strcmp0 (g_object_get_data (G_OBJECT (row), "name"), name) == 0)
      {
        gtk_list_box_select_row (self->market_list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

const AqApi *
aq_api_panel_get_api (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  return self->api;
}

void
aq_api_panel_set_param (AqApiPanel *self,
                        const char *name,
                        const char *value)
{
  GtkEditable *entry;

  g_return_if_fail (AQ_IS_API_PANEL (self));
  entry = g_hash_table_lookup (self->entries, name);
  g_return_if_fail (entry != NULL);
  gtk_editable_set_text (entry, value);
}

void
aq_api_panel_call (AqApiPanel *self)
{
  g_return_if_fail (AQ_IS_API_PANEL (self));
  /* "clicked" at once (activate would click after the button's press animation) */
  g_signal_emit_by_name (self->call_button, "clicked");
}

const char *
aq_api_panel_get_response (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  return self->response;
}

guint
aq_api_panel_get_response_rows (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), 0);
  return self->response_rows;
}

void
aq_api_panel_show_page (AqApiPanel *self,
                        const char *page)
{
  g_return_if_fail (AQ_IS_API_PANEL (self));
  gtk_stack_set_visible_child_name (self->pages, page);
}
