/* aq-api-panel-private.h — what the API panel's files share: the instance, the helpers, the
 * versions page (aq-api-panel-versions.c) and the monitor's charts (aq-api-panel-monitor.c) */
#pragma once

#include <adwaita.h>

#include "aq-api-panel.h"
#include "aq-panel.h"
#include "aq-api-wizard.h"

G_BEGIN_DECLS

struct _AqApiPanel
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkButton           *define_button;
  GtkListBox          *market_list;
  GtkButton           *new_version_button;
  GtkStack            *pages;
  GtkBox              *docs_box;
  GtkListBox          *console_params;
  GtkButton           *call_button;
  GtkLabel            *timing_label;
  GtkTextView         *response_view;
  GtkListBox          *versions_list;
  GtkTextView         *diff_view;
  GtkDropDown         *monitor_scope;
  GtkDropDown         *monitor_window;
  GtkLabel            *monitor_summary;
  GtkDrawingArea      *calls_chart;
  GtkDrawingArea      *latency_chart;
  GtkGrid             *callers_grid;
  GtkGrid             *top_apis_grid;
  GtkGrid             *monitor_grid;

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;
  JsonNode            *market;
  AqApi               *api;
  GHashTable          *entries;      /* param name → GtkEntry (not owned) */
  char                *response;
  guint                response_rows;
  guint                busy;
  gboolean             loading;
  gboolean             may_publish;

  /* versions */
  JsonNode            *versions;
  char                *diff_text;
  /* monitor */
  JsonObject          *watch;        /* aq_api_monitor()'s answer */
  guint                watch_serial;
};

/* aq-api-panel.c */
void      aq_api_panel_set_busy_internal (AqApiPanel *self,
                                          gboolean    busy);
void      aq_api_panel_load_internal     (AqApiPanel *self);
void      aq_api_panel_grid_cell         (GtkGrid    *grid,
                                          int         col,
                                          int         row,
                                          const char *text,
                                          gboolean    numeric,
                                          const char *css_class);
void      aq_api_panel_clear             (GtkWidget  *box);

/* aq-api-panel-versions.c */
void      aq_api_panel_versions_init     (AqApiPanel *self);
void      aq_api_panel_versions_load     (AqApiPanel *self);

/* aq-api-panel-monitor.c */
void      aq_api_panel_watch_init        (AqApiPanel *self);
void      aq_api_panel_watch_load        (AqApiPanel *self);
void      aq_api_panel_watch_finalize    (AqApiPanel *self);

G_END_DECLS
