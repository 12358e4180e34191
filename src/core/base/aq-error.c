/* aq-error.c — the one error domain of libaqueduct (AQ_ERROR) */
#define G_LOG_DOMAIN "aq-error"

#include "aq-error.h"

G_DEFINE_QUARK (aq-error-quark, aq_error)
