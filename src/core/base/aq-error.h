/* aq-error.h — the one error domain of libaqueduct */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AQ_ERROR (aq_error_quark ())

/* Codes a caller can act on: a UI shows the message and, by code, what to do next. */
typedef enum
{
  AQ_ERROR_FAILED,
  AQ_ERROR_CONNECTION,   /* the warehouse cannot be reached: reconnect, check the profile */
  AQ_ERROR_QUERY,        /* the warehouse refused a statement */
  AQ_ERROR_INVALID,      /* bad input: a definition, a parameter, a file */
  AQ_ERROR_NOT_FOUND,    /* a named thing does not exist */
  AQ_ERROR_WAREHOUSE,    /* the embedded cluster could not be created, started or stopped */
  AQ_ERROR_MIGRATION,    /* a migration failed; the schema stays as it was */
  AQ_ERROR_PERMISSION,   /* the role may not do this: ask a supervisor */
} AqErrorCode;

GQuark aq_error_quark (void);

G_END_DECLS
