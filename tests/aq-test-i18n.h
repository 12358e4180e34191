/* aq-test-i18n.h — finding English words in text meant to be Chinese (test-i18n*) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The English words in @text that are neither code nor allowed, separated by spaces. */
char *aq_test_english_words (const char *text);

G_END_DECLS
