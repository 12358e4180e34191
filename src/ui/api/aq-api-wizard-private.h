/* aq-api-wizard-private.h — what the Define-an-API window's files share: the instance, the
 * helpers of aq-api-wizard.c, and the pick-a-table path (aq-api-wizard-table.c). Only these
 * two files include it. */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "aq-api-wizard.h"

G_BEGIN_DECLS

struct _AqApiWizard
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *window_title;
  GtkButton         *test_button;
  GtkButton         *publish_button;
  AdwEntryRow       *name_row;
  AdwComboRow       *category_row;
  AdwEntryRow       *title_row;
  AdwEntryRow       *description_row;
  GtkScrolledWindow *sql_scrolled;
  GtkGrid           *params_grid;
  AdwEntryRow       *page_key_row;
  AdwComboRow       *page_key_type_row;
  AdwComboRow       *page_order_row;
  GtkSpinButton     *page_size_spin;
  AdwEntryRow       *note_row;
  GtkLabel          *status_label;
  GtkScrolledWindow *rows_scrolled;
  GtkGrid           *rows_grid;
  /* the pick-a-table path */
  AdwComboRow       *table_row;
  GtkBox            *table_box;
  GtkFlowBox        *columns_box;
  GtkGrid           *filters_grid;
  GtkButton         *add_filter_button;
  GtkLabel          *sql_hint_label;
  GtkBox            *sql_box;
  AdwPreferencesGroup *paging_group;
  /* a forwarded API */
  AdwComboRow       *kind_row;
  GtkBox            *forward_box;
  AdwEntryRow       *forward_url_row;
  AdwComboRow       *forward_method_row;
  GtkSpinButton     *forward_timeout_spin;
  AdwEntryRow       *forward_fields_row;
  AdwComboRow       *forward_format_row;
  GtkBox            *xml_box;
  GtkScrolledWindow *xml_scrolled;
  GtkSourceBuffer   *xml_buffer;

  GtkSourceBuffer   *sql_buffer;
  char              *conninfo;
  GCancellable      *cancellable;
  GPtrArray         *params;       /* ParamRow, in the SQL's order */
  GHashTable        *states;       /* name → ParamState: the author's choices, kept */
  guint              detect_id;
  guint              busy;
  gboolean           can_publish;
  gboolean           failed;
  gboolean           renaming;     /* a new version: the name is fixed */
  char              *message;
  guint              rows;
  int                published;

  GPtrArray         *tables;       /* AqApiTable aq_api may read; NULL until read */
  GPtrArray         *columns;      /* AqApiColumn of the picked table; NULL: none picked */
  GPtrArray         *column_checks; /* GtkCheckButton, one a column */
  GPtrArray         *filters;      /* FilterRow */
  guint              table_serial; /* the newest pick: an older pick's columns are dropped */
  gboolean           filling;      /* widgets being set from code: no rewriting the SQL */
};

/* aq-api-wizard.c */
void     _aq_api_wizard_set_busy       (AqApiWizard    *self,
                                        gboolean        busy);
void     _aq_api_wizard_set_message    (AqApiWizard    *self,
                                        const char     *message,
                                        gboolean        failed);
/* A found parameter's type and required, in its row and its kept state. */
void     _aq_api_wizard_set_param_kind (AqApiWizard    *self,
                                        const char     *name,
                                        AqApiParamType  type,
                                        gboolean        required);

/* The parameters changed (typed SQL or fields): listed again after a pause. */
void     _aq_api_wizard_params_changed (AqApiWizard    *self);
/* …and now. */
void     _aq_api_wizard_list_params    (AqApiWizard    *self);

/* aq-api-wizard-forward.c */
void     _aq_api_wizard_forward_init   (AqApiWizard    *self);
gboolean _aq_api_wizard_is_forward     (AqApiWizard    *self);
/* The fields passed on, as parameters (AqApiSqlParam), in the order typed. */
GPtrArray *_aq_api_wizard_forward_fields (AqApiWizard  *self);
/* The forwarded API's definition with @params; NULL and a message shown when the mapping
 * is not JSON. */
JsonObject *_aq_api_wizard_forward_definition (AqApiWizard           *self,
                                               const AqApiDraftParam *params,
                                               guint                  n_params);
void     _aq_api_wizard_forward_prefill (AqApiWizard   *self,
                                         const AqApi   *api);

/* aq-api-wizard-table.c */
void     _aq_api_wizard_table_init     (AqApiWizard    *self);
/* Reads the tables aq_api may read (a job: busy until it ends). */
void     _aq_api_wizard_table_load     (AqApiWizard    *self);
void     _aq_api_wizard_table_finalize (AqApiWizard    *self);

G_END_DECLS
