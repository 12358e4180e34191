/* aq-api-wizard.h — defining an API (or a new version of one) in a window: SQL, parameters,
 * a trial run, publishing */
#pragma once

#include <adwaita.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

#define AQ_TYPE_API_WIZARD (aq_api_wizard_get_type ())
G_DECLARE_FINAL_TYPE (AqApiWizard, aq_api_wizard, AQ, API_WIZARD, AdwWindow)

/* A new API (@base NULL) or the next version of @base, prefilled from it. The wizard asks the
 * warehouse whether the login may publish and shows Publish only then. "published" (name,
 * version) is emitted after a version was stored. */
AqApiWizard *aq_api_wizard_new            (GtkWindow   *parent,
                                           const char  *conninfo,
                                           const AqApi *base);

/* The market's category ids and their titles. */
const char  *aq_api_category_title        (const char  *category);

/* For tests and screenshots. */
gboolean     aq_api_wizard_get_busy       (AqApiWizard *self);
gboolean     aq_api_wizard_get_can_publish (AqApiWizard *self);
void         aq_api_wizard_set_fields     (AqApiWizard *self,
                                           const char  *name,
                                           const char  *category,
                                           const char  *title,
                                           const char  *description);
void         aq_api_wizard_set_sql        (AqApiWizard *self,
                                           const char  *sql);
/* The parameters found in the SQL, in order (owned by the wizard). */
GStrv        aq_api_wizard_get_params     (AqApiWizard *self);
/* Sets a found parameter's type, required, default, values ("a, b") and sample value. */
void         aq_api_wizard_set_param      (AqApiWizard *self,
                                           const char  *name,
                                           AqApiParamType type,
                                           gboolean     required,
                                           const char  *default_text,
                                           const char  *values_text,
                                           const char  *sample);
void         aq_api_wizard_set_page_key   (AqApiWizard *self,
                                           const char  *page_key,
                                           AqApiParamType type);
void         aq_api_wizard_test           (AqApiWizard *self);
void         aq_api_wizard_publish        (AqApiWizard *self);
/* The last trial's or publishing's outcome: its message, whether it failed, the rows shown. */
const char  *aq_api_wizard_get_message    (AqApiWizard *self);
gboolean     aq_api_wizard_get_failed     (AqApiWizard *self);
guint        aq_api_wizard_get_rows       (AqApiWizard *self);
/* The version the last publishing stored (0: none). */
int          aq_api_wizard_get_published  (AqApiWizard *self);
void         aq_api_wizard_set_paging     (AqApiWizard *self,
                                           gboolean     descending,
                                           guint        max_page_size);
char        *aq_api_wizard_get_sql        (AqApiWizard *self);

/* The pick-a-table path (aq-api-wizard-table.c): the tables offered ("schema.name", once the
 * window has read them: not busy), picking one (NULL: none, back to SQL by hand; FALSE when
 * it is not offered; its columns are read then: busy), its columns, the ones ticked, and
 * filters; each change writes the SQL again. */
GStrv        aq_api_wizard_get_tables     (AqApiWizard *self);
gboolean     aq_api_wizard_pick_table     (AqApiWizard *self,
                                           const char  *table);
GStrv        aq_api_wizard_get_columns    (AqApiWizard *self);
void         aq_api_wizard_set_columns    (AqApiWizard        *self,
                                           const char * const *columns);
void         aq_api_wizard_add_filter     (AqApiWizard   *self,
                                           const char    *column,
                                           AqApiFilterOp  op,
                                           gboolean       required);
void         aq_api_wizard_remove_filter  (AqApiWizard *self,
                                           guint        index);

/* A forwarded API (aq-api-wizard-forward.c): switches the window to "a business system" with
 * these; @fields the names passed on ("account, month"), listed as parameters at once;
 * @xml: the system answers XML, mapped by the mapping set with aq_api_wizard_set_xml_map(). */
void         aq_api_wizard_set_forward    (AqApiWizard *self,
                                           const char  *url,
                                           const char  *method,
                                           guint        timeout_ms,
                                           const char  *fields,
                                           gboolean     xml);
void         aq_api_wizard_set_xml_map    (AqApiWizard *self,
                                           const char  *mapping);

G_END_DECLS
