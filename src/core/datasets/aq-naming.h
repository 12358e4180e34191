/* aq-naming.h — the house's naming standard, checked over the warehouse */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

/* One broken rule. Rules (docs/CATALOG.md):
 *   snake-case      lower case letters, digits and single underscores, starting with a letter
 *   layer-prefix    ods: SYSTEM_ (billing_, gis_, meter_, install_, workorder_, hotline_, sms_);
 *                   dw: dim_, fact_ or gis_; dm: cube_ or a subject area's word
 *   subject-area    the name after the prefix starts with a word of a subject area
 *   boolean-prefix  boolean columns start with is_ (or has_)
 *   date-suffix     date columns end in _date, _on or period
 *   timestamp-suffix timestamp columns end in _at
 *   suffix-type     _id _no _code _name _date _at _qty _amount _rate and is_ mean their type
 * Column rules apply to dw and dm (ods keeps the source systems' names). */
typedef struct
{
  char *object;       /* "dw.fact_bill" or "dw.fact_bill.amount" */
  char *rule;
  char *message;
  char *suggestion;   /* (nullable) a name that passes */
  char *exception;    /* (nullable) the declared reason when data/datasets/naming-exceptions.json
                       * excepts it: it is listed but does not fail the lint */
} AqNamingViolation;

void        aq_naming_violation_free (AqNamingViolation *violation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqNamingViolation, aq_naming_violation_free)

/* The subject area a table's name belongs to ("customer", "billing", "meter", "service",
 * "network", "geo"), or NULL. */
const char *aq_naming_subject_of     (const char         *schema,
                                      const char         *table);

/* Appends the violations of one name to @out (element-type AqNamingViolation). */
void        aq_naming_check_table    (const char         *schema,
                                      const char         *table,
                                      GPtrArray          *out);
void        aq_naming_check_column   (const char         *schema,
                                      const char         *table,
                                      const char         *column,
                                      const char         *data_type,
                                      GPtrArray          *out);

/* Every ods, dw and dm table and column from information_schema, with the declared exceptions
 * (the shipped file, or @exceptions_json when given) marked. (transfer full) */
GPtrArray  *aq_naming_lint           (AqDb               *db,
                                      const char         *exceptions_json,
                                      GCancellable       *cancellable,
                                      GError            **error);

G_END_DECLS
