/* aq-customer-panel-private.h — what the Customer 360 panel's files share
 *
 * Only aq-customer-panel.c, aq-customer-panel-view.c and aq-customer-panel-actions.c include
 * this: the instance struct and the helpers each of them calls in the others.
 */
#pragma once

#include <adwaita.h>

#include "aq-customer-panel.h"
#include "aq-customer-session.h"

G_BEGIN_DECLS

struct _AqCustomerPanel
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkSearchEntry      *search_entry;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  AdwStatusPage       *none_page;
  AdwStatusPage       *error_page;
  GtkLabel            *candidates_label;
  GtkListBox          *candidates_list;
  GtkLabel            *name_label;
  GtkLabel            *key_customer_label;
  GtkLabel            *details_label;
  GtkFlowBox          *alerts_box;
  GtkFlowBox          *tags_box;
  GtkListBox          *sections_list;
  GtkLabel            *section_label;
  GtkStack            *section_stack;
  AqRecordTable       *record_table;
  AqTimelineView      *timeline_view;
  AqReadingChart      *reading_chart;
  GtkLabel            *role_label;
  GtkButton           *reveal_button;
  GtkLabel            *count_labels[9];

  AqConnectionMonitor *monitor;
  AqCustomerSession   *session;
  GSettings           *settings;
  GCancellable        *cancellable;
  GCancellable        *reveal_cancellable;
  GCancellable        *role_cancellable;
  AqCustomerLookup    *result;
  JsonNode            *customer_json;   /* the 360 as JSON, which the timeline is built from */
  AqCustomerKey        key;
  AqRole               role;
  char                *lookup;
  char                *section;         /* shown: "timeline" or a 360 section */
  gboolean             timeline_built;
  gboolean             revealed;
  gboolean             roles_known;     /* the warehouse answered for the current login */
  gboolean             failed;          /* the last lookup failed: retried on reconnect */
  gboolean             loading;
};


extern const char * const _aq_customer_panel_section_names[];

/* What the sections list holds, in order: Alt+0 is the timeline, Alt+1…9 the sections. */
#define AQ_CUSTOMER_PANEL_N_PAGES \
  (G_N_ELEMENTS (((const char *[]) { AQ_CUSTOMER_360_SECTIONS })) + 1)

/* aq-customer-panel.c */
void        _aq_customer_panel_set_loading                (AqCustomerPanel  *self,
                                                           gboolean          loading);
/* Starts a lookup; a running one is cancelled. */
void        _aq_customer_panel_start_lookup               (AqCustomerPanel  *self,
                                                           AqCustomerKey     key,
                                                           const char       *text);

/* aq-customer-panel-view.c */
const char *_aq_customer_panel_page_name                  (guint             index);
char       *_aq_customer_panel_member_text                (JsonObject       *object,
                                                           const char       *member);
void        _aq_customer_panel_show_candidates            (AqCustomerPanel  *self);
void        _aq_customer_panel_show_none                  (AqCustomerPanel  *self);
void        _aq_customer_panel_show_customer              (AqCustomerPanel  *self);
void        _aq_customer_panel_update_role                (AqCustomerPanel  *self);
void        _aq_customer_panel_show_section               (AqCustomerPanel  *self,
                                                           const char       *section);
void        _aq_customer_panel_select_page                (AqCustomerPanel  *self,
                                                           guint             index);
int         _aq_customer_panel_current_page               (AqCustomerPanel  *self);
GtkWidget  *_aq_customer_panel_section_row_new            (const char       *name,
                                                           guint             index,
                                                           GtkLabel        **count_label);
void        _aq_customer_panel_set_customer_actions_enabled (AqCustomerPanel *self,
                                                             gboolean         enabled);
void        _aq_customer_panel_dup_visible                (AqCustomerPanel  *self,
                                                           GStrv            *header,
                                                           GPtrArray       **rows);
void        _aq_customer_panel_show_toast                 (AqCustomerPanel  *self,
                                                           char             *text);
void        _aq_customer_panel_show_error_dialog          (AqCustomerPanel  *self,
                                                           const char       *heading,
                                                           const char       *body);

/* aq-customer-panel-actions.c */
void        _aq_customer_panel_class_init_actions         (GtkWidgetClass   *widget_class);
void        _aq_customer_panel_init_shortcuts             (AqCustomerPanel  *self);
void        _aq_customer_panel_ask_roles                  (AqCustomerPanel  *self);

G_END_DECLS
