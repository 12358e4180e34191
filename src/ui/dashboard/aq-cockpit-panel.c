/* aq-cockpit-panel.c — the Cockpits panel: open, design and save dashboards
 *
 * The dashboards come from meta.dashboard (the shipped ones and the users'); the tiles are an
 * AqDashboardView, which fetches each tile on its own. The designer is the same view in
 * editing mode: drag a tile to move it, its lower-right corner to resize it; the side pane
 * sets the selected tile's period, thresholds and refresh; "Add" takes an indicator of the
 * catalog (a KPI) or a saved report (a chart). A shipped dashboard is saved under a new
 * name. Outside the designer, a click on a tile asks the window to open its figures as the
 * full report ("open-report").
 */
#define G_LOG_DOMAIN "aq-cockpit-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aq-catalog.h"
#include "aq-cockpit-panel.h"
#include "aq-dashboard-data.h"
#include "aq-dashboard-store.h"
#include "aq-panel.h"
#include "aq-report-store.h"

struct _AqCockpitPanel
{
  GtkWidget            parent_instance;

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;
  GPtrArray           *infos;        /* AqDashboardInfo */
  gboolean             list_loading;
  char                *wanted;       /* the dashboard to open once the list is there */
  char                *current;
  AqCatalog           *catalog;      /* for the designer's "Add" and drill-through */
  AqDashboard         *saved;        /* as last opened / saved: "changed?" */

  GtkWidget           *box;
  GtkDropDown         *picker;
  GtkStringList       *picker_model;
  GtkToggleButton     *edit_button;
  GtkMenuButton       *add_button;
  GtkListBox          *add_list;
  GtkButton           *save_button;
  GtkLabel            *status;
  AqDashboardView     *view;
  GtkRevealer         *side;
  GtkLabel            *side_title;
  GtkEntry            *period_entry;
  GtkEntry            *warning_entry;
  GtkEntry            *alarm_entry;
  GtkSpinButton       *refresh_spin;
  gboolean             filling_side;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqCockpitPanel, aq_cockpit_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum { OPEN_REPORT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void load_list (AqCockpitPanel *self);

/* ---- auxiliary methods ---- */

static const char *
conninfo (AqCockpitPanel *self)
{
  return self->monitor ? aq_connection_monitor_get_conninfo (self->monitor) : NULL;
}

static void
set_status (AqCockpitPanel *self,
            const char     *text)
{
  gtk_label_set_text (self->status, text ? text : "");
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDashboard) dashboard = aq_dashboard_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (dashboard == NULL)
    {
      set_status (self, error->message);
      return;
    }
  g_clear_pointer (&self->saved, aq_dashboard_free);
  self->saved = aq_dashboard_copy (dashboard);
  aq_dashboard_view_set_conninfo (self->view, conninfo (self));
  aq_dashboard_view_set_dashboard (self->view, dashboard);
  set_status (self, dashboard->description);
}

static void
open_dashboard (AqCockpitPanel *self,
                const char     *name)
{
  g_free (self->current);
  self->current = g_strdup (name);
  aq_dashboard_store_open_async (conninfo (self), name, self->cancellable, open_cb, self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = aq_dashboard_store_list_finish (result, &error);
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->list_loading = FALSE;
  if (infos == NULL)
    {
      set_status (self, error->message);
      return;
    }
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  self->infos = g_steal_pointer (&infos);
  self->filling_side = TRUE;
  gtk_string_list_splice (self->picker_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->picker_model)), NULL);
  for (guint i = 0; i < self->infos->len; i++)
    {
      AqDashboardInfo *info = self->infos->pdata[i];

      gtk_string_list_append (self->picker_model, *info->title ? info->title : info->name);
      if (g_strcmp0 (info->name, self->wanted ? self->wanted : self->current) == 0)
        selected = i;
    }
  gtk_drop_down_set_selected (self->picker, selected);
  self->filling_side = FALSE;
  g_clear_pointer (&self->wanted, g_free);
  if (self->infos->len > 0)
    open_dashboard (self, ((AqDashboardInfo *) self->infos->pdata[selected])->name);
  else
    set_status (self, _("The warehouse has no dashboards yet: run “aqueductctl migrate”"));
}

static void
catalog_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(AqCatalog) catalog = aq_catalog_load_finish (result, NULL);

  if (catalog)
    g_set_object (&self->catalog, catalog);
}

static void
load_list (AqCockpitPanel *self)
{
  if (self->monitor == NULL)
    return;
  self->list_loading = TRUE;
  aq_dashboard_store_list_async (conninfo (self), self->cancellable, list_cb, self);
  aq_catalog_load_async (conninfo (self), self->cancellable, catalog_cb, self);
}

static void
reload (AqCockpitPanel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  load_list (self);
}

static void
fill_side (AqCockpitPanel *self)
{
  const char *id = aq_dashboard_view_get_selected (self->view);
  AqDashboard *d = aq_dashboard_view_get_dashboard (self->view);
  AqDashboardTile *tile = d && id ? aq_dashboard_lookup_tile (d, id) : NULL;
  g_autofree char *warning = NULL;
  g_autofree char *alarm = NULL;

  gtk_revealer_set_reveal_child (self->side, tile != NULL);
  if (tile == NULL)
    return;
  self->filling_side = TRUE;
  gtk_label_set_text (self->side_title, tile->title ? tile->title : tile->id);
  gtk_editable_set_text (GTK_EDITABLE (self->period_entry), tile->period ? tile->period : "");
  if (tile->has_thresholds)
    {
      warning = g_strdup_printf ("%g", tile->warning);
      alarm = g_strdup_printf ("%g", tile->alarm);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->warning_entry), warning ? warning : "");
  gtk_editable_set_text (GTK_EDITABLE (self->alarm_entry), alarm ? alarm : "");
  gtk_spin_button_set_value (self->refresh_spin, aq_dashboard_tile_get_refresh (tile, d));
  self->filling_side = FALSE;
}

static void
apply_side (AqCockpitPanel *self)
{
  const char *id = aq_dashboard_view_get_selected (self->view);
  AqDashboard *d = aq_dashboard_view_get_dashboard (self->view);
  AqDashboardTile *tile = d && id ? aq_dashboard_lookup_tile (d, id) : NULL;
  g_autoptr(AqDashboardTile) copy = NULL;
  const char *period, *warning, *alarm;

  if (tile == NULL || self->filling_side)
    return;
  copy = aq_dashboard_tile_copy (tile);
  period = gtk_editable_get_text (GTK_EDITABLE (self->period_entry));
  warning = gtk_editable_get_text (GTK_EDITABLE (self->warning_entry));
  alarm = gtk_editable_get_text (GTK_EDITABLE (self->alarm_entry));
  g_free (copy->period);
  copy->period = *period ? g_strdup (period) : NULL;
  copy->has_thresholds = *warning && *alarm;
  copy->warning = g_ascii_strtod (warning, NULL);
  copy->alarm = g_ascii_strtod (alarm, NULL);
  copy->refresh = gtk_spin_button_get_value_as_int (self->refresh_spin);
  aq_dashboard_view_update_tile (self->view, copy);
}

/* ---- callbacks ---- */

static void
picker_cb (AqCockpitPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->picker);

  if (self->filling_side || self->infos == NULL || i >= self->infos->len)
    return;
  open_dashboard (self, ((AqDashboardInfo *) self->infos->pdata[i])->name);
}

static void
edit_toggled_cb (AqCockpitPanel *self)
{
  gboolean editing = gtk_toggle_button_get_active (self->edit_button);

  aq_dashboard_view_set_editing (self->view, editing);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), editing);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), editing);
  fill_side (self);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  int version = 0;

  if (!aq_dashboard_store_save_finish (result, &version, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, error->message);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Saved as version %d"), version);

    set_status (self, text);
  }
  reload (self);
}

static void
save_clicked_cb (AqCockpitPanel *self)
{
  AqDashboard *d = aq_dashboard_view_get_dashboard (self->view);
  g_autoptr(AqDashboard) copy = NULL;

  if (d == NULL)
    return;
  copy = aq_dashboard_copy (d);
  if (copy->standard)
    {
      /* a shipped dashboard stays as shipped: the user's version gets its own name */
      g_autofree char *name = g_strdup_printf ("%s_my", copy->name);
      g_autofree char *title = g_strdup_printf (_("%s (mine)"), copy->title);

      g_free (copy->name);
      g_free (copy->title);
      copy->name = g_steal_pointer (&name);
      copy->title = g_steal_pointer (&title);
      copy->standard = FALSE;
      copy->version = 0;
    }
  g_free (self->wanted);
  self->wanted = g_strdup (copy->name);
  aq_dashboard_store_save_async (conninfo (self), copy, self->cancellable, save_cb, self);
}

static void
remove_clicked_cb (AqCockpitPanel *self)
{
  const char *id = aq_dashboard_view_get_selected (self->view);

  if (id)
    aq_dashboard_view_remove_tile (self->view, id);
  fill_side (self);
}

static void
add_row_activated_cb (AqCockpitPanel *self,
                      GtkListBoxRow  *row)
{
  const char *indicator = g_object_get_data (G_OBJECT (row), "indicator");
  const char *report = g_object_get_data (G_OBJECT (row), "report");

  if (indicator)
    aq_cockpit_panel_add_indicator (self, indicator);
  else if (report)
    aq_cockpit_panel_add_report (self, report);
  gtk_menu_button_popdown (self->add_button);
}

static GtkWidget *
add_row (const char *label,
         const char *key,
         const char *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *text = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_set_margin_start (text, 6);
  gtk_widget_set_margin_end (text, 6);
  gtk_widget_set_margin_top (text, 3);
  gtk_widget_set_margin_bottom (text, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text);
  g_object_set_data_full (G_OBJECT (row), key, g_strdup (value), g_free);
  return row;
}

static void
reports_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(GPtrArray) reports = aq_report_store_list_finish (result, NULL);

  for (guint i = 0; reports && i < reports->len; i++)
    {
      AqReportInfo *info = reports->pdata[i];
      g_autofree char *label = g_strdup_printf (_("Report: %s"), info->title);

      gtk_list_box_append (self->add_list, add_row (label, "report", info->name));
    }
}

static void
add_popover_shown_cb (AqCockpitPanel *self)
{
  GtkWidget *child;
  GListModel *indicators;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->add_list))))
    gtk_list_box_remove (self->add_list, child);
  if (self->catalog == NULL)
    return;
  indicators = aq_catalog_get_indicators (self->catalog);
  for (guint i = 0; i < g_list_model_get_n_items (indicators); i++)
    {
      g_autoptr(AqIndicator) ind = g_list_model_get_item (indicators, i);
      g_autofree char *label = g_strdup_printf (_("Indicator: %s"), aq_indicator_get_name (ind));

      gtk_list_box_append (self->add_list, add_row (label, "indicator",
                                                    aq_indicator_get_id (ind)));
    }
  aq_report_store_list_async (conninfo (self), self->cancellable, reports_listed_cb, self);
}

static void
drill_report_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AqCockpitPanel *self = user_data;
  g_autoptr(AqReportSpec) spec = aq_report_store_open_finish (result, NULL);

  if (spec)
    g_signal_emit (self, signals[OPEN_REPORT], 0, spec);
}

static void
tile_activated_cb (AqCockpitPanel *self,
                   const char     *id)
{
  AqDashboard *d = aq_dashboard_view_get_dashboard (self->view);
  AqDashboardTile *tile = d ? aq_dashboard_lookup_tile (d, id) : NULL;

  if (tile == NULL)
    return;
  if (tile->kind == AQ_TILE_KPI && self->catalog)
    {
      g_autoptr(AqReportSpec) spec = aq_tile_kpi_spec (self->catalog, tile, NULL);

      if (spec)
        g_signal_emit (self, signals[OPEN_REPORT], 0, spec);
    }
  else if (tile->report)
    aq_report_store_open_async (conninfo (self), tile->report, self->cancellable,
                                drill_report_cb, self);
}

/* ---- AqPanel ---- */

static gboolean
get_loading (AqPanel *panel)
{
  AqCockpitPanel *self = AQ_COCKPIT_PANEL (panel);

  return self->list_loading || aq_dashboard_view_get_loading (self->view)
         || (self->current && aq_dashboard_view_get_dashboard (self->view) == NULL
             && *gtk_label_get_text (self->status) == '\0');
}

static void
panel_reload (AqPanel *panel)
{
  AqCockpitPanel *self = AQ_COCKPIT_PANEL (panel);

  aq_dashboard_view_refresh (self->view);
}

static void
connected_cb (AqCockpitPanel *self)
{
  if (self->infos == NULL)
    reload (self);
  else
    aq_dashboard_view_refresh (self->view);
}

static void
panel_set_monitor (AqPanel             *panel,
                   AqConnectionMonitor *monitor)
{
  AqCockpitPanel *self = AQ_COCKPIT_PANEL (panel);

  if (monitor == self->monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor == NULL)
    return;
  g_signal_connect_swapped (monitor, "connected", G_CALLBACK (connected_cb), self);
  reload (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = get_loading;
  iface->reload = panel_reload;
  iface->set_monitor = panel_set_monitor;
}

/* ---- GObject overrides ---- */

static void
aq_cockpit_panel_dispose (GObject *object)
{
  AqCockpitPanel *self = AQ_COCKPIT_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (aq_cockpit_panel_parent_class)->dispose (object);
}

static void
aq_cockpit_panel_finalize (GObject *object)
{
  AqCockpitPanel *self = AQ_COCKPIT_PANEL (object);

  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->saved, aq_dashboard_free);
  g_clear_object (&self->catalog);
  g_free (self->wanted);
  g_free (self->current);
  G_OBJECT_CLASS (aq_cockpit_panel_parent_class)->finalize (object);
}

static void
aq_cockpit_panel_class_init (AqCockpitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_cockpit_panel_dispose;
  object_class->finalize = aq_cockpit_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* A tile's figures are to be opened as the full report (a spec, already for the tile). */
  signals[OPEN_REPORT] = g_signal_new ("open-report", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       AQ_TYPE_REPORT_SPEC);
}

static GtkWidget *
side_row (GtkWidget  *box,
          const char *label,
          GtkWidget  *field)
{
  GtkWidget *text = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_add_css_class (text, "dim-label");
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), field);
  return field;
}

static void
aq_cockpit_panel_init (AqCockpitPanel *self)
{
  GtkWidget *bar, *body, *side_box, *remove, *refresh, *scroller, *popover, *pbox;

  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (bar, "toolbar");
  self->picker_model = gtk_string_list_new (NULL);
  self->picker = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->picker_model), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->picker), _("Dashboard"));
  g_signal_connect_swapped (self->picker, "notify::selected", G_CALLBACK (picker_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->picker));

  refresh = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (refresh, _("Refresh all tiles"));
  gtk_box_append (GTK_BOX (bar), refresh);

  self->edit_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Design")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->edit_button),
                               _("Move and resize tiles by dragging; set their periods, "
                                 "thresholds and refresh"));
  g_signal_connect_swapped (self->edit_button, "toggled", G_CALLBACK (edit_toggled_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->edit_button));

  self->add_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_label (self->add_button, _("Add Tile"));
  popover = gtk_popover_new ();
  pbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 280);
  self->add_list = GTK_LIST_BOX (gtk_list_box_new ());
  g_signal_connect_swapped (self->add_list, "row-activated",
                            G_CALLBACK (add_row_activated_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->add_list));
  gtk_box_append (GTK_BOX (pbox), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), pbox);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (add_popover_shown_cb), self);
  gtk_menu_button_set_popover (self->add_button, popover);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), FALSE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->add_button));

  self->save_button = GTK_BUTTON (gtk_button_new_with_label (_("Save")));
  gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->save_button));

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->status, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status));
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_box_append (GTK_BOX (self->box), bar);

  body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  self->view = aq_dashboard_view_new (AQ_TILE_STYLE_COCKPIT);
  gtk_widget_set_hexpand (GTK_WIDGET (self->view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->view), TRUE);
  g_signal_connect_swapped (self->view, "tile-activated", G_CALLBACK (tile_activated_cb), self);
  g_signal_connect_swapped (self->view, "tile-selected", G_CALLBACK (fill_side), self);
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->view));

  self->side = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->side, GTK_REVEALER_TRANSITION_TYPE_SLIDE_LEFT);
  side_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_size_request (side_box, 220, -1);
  gtk_widget_set_margin_start (side_box, 12);
  gtk_widget_set_margin_end (side_box, 12);
  gtk_widget_set_margin_top (side_box, 12);
  self->side_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->side_title), "heading");
  gtk_box_append (GTK_BOX (side_box), GTK_WIDGET (self->side_title));
  self->period_entry = GTK_ENTRY (side_row (side_box, _("Period (YYYY-MM or @latest)"),
                                            gtk_entry_new ()));
  self->warning_entry = GTK_ENTRY (side_row (side_box, _("Warning threshold"),
                                             gtk_entry_new ()));
  self->alarm_entry = GTK_ENTRY (side_row (side_box, _("Alarm threshold"), gtk_entry_new ()));
  self->refresh_spin = GTK_SPIN_BUTTON (side_row (side_box, _("Refresh (seconds)"),
                                        gtk_spin_button_new_with_range (10, 86400, 10)));
  g_signal_connect_swapped (self->period_entry, "activate", G_CALLBACK (apply_side), self);
  g_signal_connect_swapped (self->warning_entry, "activate", G_CALLBACK (apply_side), self);
  g_signal_connect_swapped (self->alarm_entry, "activate", G_CALLBACK (apply_side), self);
  g_signal_connect_swapped (self->refresh_spin, "value-changed", G_CALLBACK (apply_side), self);
  remove = gtk_button_new_with_label (_("Remove Tile"));
  gtk_widget_add_css_class (remove, "destructive-action");
  g_signal_connect_swapped (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (side_box), remove);
  gtk_revealer_set_child (self->side, side_box);
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->side));
  gtk_box_append (GTK_BOX (self->box), body);

  g_signal_connect_swapped (refresh, "clicked", G_CALLBACK (aq_dashboard_view_refresh),
                            self->view);
}

/* ---- public API ---- */

AqDashboardView *
aq_cockpit_panel_get_view (AqCockpitPanel *self)
{
  g_return_val_if_fail (AQ_IS_COCKPIT_PANEL (self), NULL);
  return self->view;
}

void
aq_cockpit_panel_show_dashboard (AqCockpitPanel *self,
                                 const char     *name)
{
  g_return_if_fail (AQ_IS_COCKPIT_PANEL (self));

  if (self->infos == NULL || self->list_loading)
    {
      g_free (self->wanted);
      self->wanted = g_strdup (name);
      return;
    }
  for (guint i = 0; i < self->infos->len; i++)
    if (g_strcmp0 (((AqDashboardInfo *) self->infos->pdata[i])->name, name) == 0)
      {
        self->filling_side = TRUE;
        gtk_drop_down_set_selected (self->picker, i);
        self->filling_side = FALSE;
      }
  open_dashboard (self, name);
}

const char *
aq_cockpit_panel_get_dashboard_name (AqCockpitPanel *self)
{
  g_return_val_if_fail (AQ_IS_COCKPIT_PANEL (self), NULL);
  return self->current;
}

void
aq_cockpit_panel_set_editing (AqCockpitPanel *self,
                              gboolean        editing)
{
  g_return_if_fail (AQ_IS_COCKPIT_PANEL (self));
  gtk_toggle_button_set_active (self->edit_button, editing);
}

gboolean
aq_cockpit_panel_add_indicator (AqCockpitPanel *self,
                                const char     *id)
{
  g_autoptr(AqDashboardTile) tile = aq_dashboard_tile_new (id, AQ_TILE_KPI);

  g_return_val_if_fail (AQ_IS_COCKPIT_PANEL (self), FALSE);
  tile->indicator = g_strdup (id);
  tile->w = 2;
  return aq_dashboard_view_add_tile (self->view, tile);
}

gboolean
aq_cockpit_panel_add_report (AqCockpitPanel *self,
                             const char     *name)
{
  g_autoptr(AqDashboardTile) tile = aq_dashboard_tile_new (name, AQ_TILE_CHART);

  g_return_val_if_fail (AQ_IS_COCKPIT_PANEL (self), FALSE);
  tile->report = g_strdup (name);
  tile->w = 4;
  return aq_dashboard_view_add_tile (self->view, tile);
}
