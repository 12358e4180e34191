/* aq-error.c */
#include "aq-error.h"

G_DEFINE_QUARK (aq-error-quark, aq_error)
