/* aq-quality-panel-private.h — what the Data Quality panel's files share
 *
 * The panel is split by page: aq-quality-panel.c holds the type, the dashboard and rule page,
 * loading and running; aq-quality-panel-editor.c holds the rule editor. This header carries
 * the instance struct and the few functions each side calls in the other.
 */
#pragma once

#include <adwaita.h>

#include "aq-connection-monitor.h"
#include "aq-quality-panel.h"

G_BEGIN_DECLS

struct _AqQualityPanel
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkBox              *dashboard_box;
  GtkBox              *rule_box;
  GtkBox              *editor_box;

  /* dashboard */
  GtkLabel            *score_label;
  GtkLabel            *status_label;
  GtkButton           *run_button;
  GtkButton           *cancel_button;
  GtkProgressBar      *progress;
  GtkFlowBox          *dimension_box;
  GtkFlowBox          *layer_box;
  GtkFlowBox          *table_box;
  GtkDrawingArea      *trend_area;
  GtkListBox          *rules_list;
  GtkSearchEntry      *search;
  guint                pulse_id;

  /* rule page */
  GtkLabel            *rule_title;
  GtkLabel            *rule_explain;
  GtkDrawingArea      *history_area;
  GtkListBox          *samples_list;
  GtkLabel            *sql_label;

  /* editor */
  GtkEntry            *e_name, *e_layer, *e_table, *e_column, *e_min, *e_max, *e_regex,
                      *e_values, *e_ref_layer, *e_ref_table, *e_ref_column, *e_sql, *e_owner,
                      *e_description;
  GtkDropDown         *e_type, *e_format, *e_dimension, *e_severity;
  GtkWidget           *row_column, *row_range, *row_pattern, *row_values, *row_ref, *row_sql;
  GtkLabel            *e_result;
  GtkButton           *e_profile;
  GtkLabel            *profile_status;
  GtkListBox          *profile_list;
  GCancellable        *profile_cancellable;  /* a profile being read */
  AqQualityProfile    *profile;              /* the table last profiled */

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;      /* the dashboard or page load */
  GCancellable        *run_cancellable;  /* a run or a test */
  AqQualityDashboard  *dashboard;
  AqQualityRulePage   *page;
  AqQualityRun        *last_run;
  gboolean             loading;
};

/* aq-quality-panel.c */
GtkWidget *aq_qp_heading   (const char          *text);
const char *aq_qp_dimension_title (const char    *dimension);
GtkWidget *aq_qp_button    (const char          *label,
                            const char          *name,
                            GCallback            callback,
                            gpointer             self);
void       aq_qp_back_cb   (AqQualityPanel      *self);
void       aq_qp_start_run (AqQualityPanel      *self,
                            const AqQualityRule *rule,
                            gboolean             save);

/* aq-quality-panel-editor.c */
void       aq_qp_build_editor (AqQualityPanel *self);
void       aq_qp_new_rule_cb  (AqQualityPanel *self);
void       aq_qp_editor_dispose (AqQualityPanel *self);
/* Fills the form from @rule (a profiling suggestion). */
void       aq_qp_editor_adopt (AqQualityPanel      *self,
                               const AqQualityRule *rule);

G_END_DECLS
