/* aq-report-panel-private.h — what the report designer's files share
 *
 * Only aq-report-panel.c, aq-report-panel-run.c and aq-report-panel-actions.c include this:
 * the instance struct and the helpers each of them calls in the others.
 */
#pragma once

#include <adwaita.h>

#include "aq-report-panel.h"
#include "aq-report-open-dialog.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"

G_BEGIN_DECLS

/* a layout change runs the report after this pause, so a drag of three chips runs it once */
#define RUN_DELAY_MS 150
/* the rows a list pages into the grid at a time: about a screen */
#define LIST_PAGE_ROWS 200

struct _AqReportPanel
{
  GtkWidget            parent_instance;

  AqReportCatalogView *catalog_view;
  AqDropZone          *filters_zone;
  AqDropZone          *columns_zone;
  AqDropZone          *rows_zone;
  AqDropZone          *values_zone;
  AqReportParamsBar   *params_bar;
  GtkLabel            *title_label;
  GtkLabel            *status_label;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *view_stack;
  AqReportGrid        *grid;
  AqReportChartView   *chart;
  AdwStatusPage       *empty_page;
  GMenuModel          *calc_menu;

  AqConnectionMonitor *monitor;
  AqCatalog           *catalog;
  GListStore          *categories;
  AqReportSpec        *spec;
  AqReportResult      *result;
  AqReportList        *list;
  GCancellable        *run_cancellable;
  GCancellable        *cancellable;
  GPtrArray           *undo;
  guint                undo_index;
  guint                run_source;
  guint                generation;
  gboolean             loading;
  gboolean             applying;
  gboolean             catalog_loading;
  char                *view;
  char                *error;
  char                *pending_open;
  char                *conninfo;
  gboolean             screenshot_opened;
  guint                storing;
  char                *export_path;
  guint                cancelled_runs;
};

void _aq_report_panel_add_field_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);
void _aq_report_panel_cell_activated_cb (AqReportPanel *self,
                                         guint          row,
                                         guint          column);
void _aq_report_panel_delete_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _aq_report_panel_duplicate (AqReportPanel *self,
                                 const char    *new_name);
void _aq_report_panel_duplicate_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);
void _aq_report_panel_export_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _aq_report_panel_export_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);
GtkWidget *_aq_report_panel_filter_popover_cb (AqReportChip *chip,
                                                GtkPopover   *popover,
                                                gpointer      user_data);
void _aq_report_panel_kind_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_report_panel_new_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter);
void _aq_report_panel_open_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_report_panel_options_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter);
void _aq_report_panel_params_changed_cb (AqReportPanel *self);
void _aq_report_panel_redo_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_report_panel_save_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_report_panel_sort_requested_cb (AqReportPanel *self,
                                         guint          column,
                                         gboolean       descending);
void _aq_report_panel_undo_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter);
void _aq_report_panel_zone_changed_cb (AqReportPanel *self);
void _aq_report_panel_zone_move_requested_cb (AqDropZone    *zone,
                                              guint          position,
                                              int            direction,
                                              AqReportPanel *self);
void _aq_report_panel_apply_spec (AqReportPanel *self);
void _aq_report_panel_build_categories (AqReportPanel *self);
const char *_aq_report_panel_conninfo (AqReportPanel *self);
void _aq_report_panel_layout_changed (AqReportPanel *self);
void _aq_report_panel_push_undo (AqReportPanel *self);
void _aq_report_panel_restore_undo (AqReportPanel *self,
                                    guint          index);
void _aq_report_panel_set_loading (AqReportPanel *self,
                                   gboolean       loading);
void _aq_report_panel_show_error (AqReportPanel *self,
                                  const char    *message);
void _aq_report_panel_update_actions (AqReportPanel *self);
void _aq_report_panel_update_title (AqReportPanel *self);
AqDropZone *_aq_report_panel_zone_widget (AqReportPanel *self,
                                           AqReportZone   zone);
void _aq_report_panel_chart_value_changed_cb (AqReportPanel *self);
void _aq_report_panel_load_catalog (AqReportPanel *self);
void _aq_report_panel_open_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data);
void _aq_report_panel_profile_changed_cb (AqReportPanel *self);
void _aq_report_panel_start_run_soon (AqReportPanel *self);

G_END_DECLS
