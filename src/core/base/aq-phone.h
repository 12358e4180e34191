/* aq-phone.h — phone numbers as callers type them, and the personal data each role may see */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who is looking: masking happens where the data is read, not where it is drawn. */
typedef enum
{
  AQ_ROLE_AGENT,       /* hotline agent: phones, names and id cards masked */
  AQ_ROLE_SUPERVISOR,  /* sees everything; every read is audited anyway */
} AqRole;

char       *aq_phone_normalize    (const char  *raw,
                                   const char  *area_code);
gboolean    aq_phone_is_mobile    (const char  *normalized);

gboolean    aq_role_from_string   (const char  *text,
                                   AqRole      *out_role);
const char *aq_role_to_string     (AqRole       role);

/* The longest aq_mask_phone() result, in characters. */
#define AQ_MASK_PHONE_MAX 12

char       *aq_mask_phone         (const char  *phone,
                                   AqRole       role);
char       *aq_mask_name          (const char  *name,
                                   AqRole       role);
char       *aq_mask_id_card       (const char  *id_card,
                                   AqRole       role);

G_END_DECLS
