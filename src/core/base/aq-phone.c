/* aq-phone.c — phone numbers as callers type them, and the personal data each role may see
 *
 * aq_phone_normalize() must give exactly what dw.normalize_phone() gives in SQL: the pipelines
 * store contacts with the SQL one, and a lookup typed by an agent is normalised here before it
 * reaches an index. tests/test-phone.c holds the two side by side on a table of real forms.
 *
 * Chinese input methods type full-width digits (１３８…), and numbers pasted from other
 * systems can carry other scripts' digits: the decimal digits of the scripts in
 * unicode_zeros[] count like ASCII ones, here and in dw.normalize_phone() (migration 011
 * translates the same list); every other character — spaces, dashes of any width — is
 * dropped. Masking counts characters, never bytes, so it never cuts one in half, and keeps
 * at most AQ_MASK_PHONE_MAX characters whatever it is given.
 */
#define G_LOG_DOMAIN "aq-phone"

#include "aq-phone.h"

#include <string.h>

/* The zero of each run of ten decimal digits that counts. Keep in step with
 * data/sql/011_relay_trust.sql. */
static const gunichar unicode_zeros[] = {
  0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
  0x0D66, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10,
};

/* ---- auxiliary methods ---- */

/* '0'…'9' for a digit that counts, 0 for anything else. */
static char
digit_of (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (char) c;
  for (guint i = 0; i < G_N_ELEMENTS (unicode_zeros); i++)
    if (c >= unicode_zeros[i] && c <= unicode_zeros[i] + 9)
      return (char) ('0' + (c - unicode_zeros[i]));
  return 0;
}

static gboolean
all_digits (const char *s,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* '1[3-9][0-9]{9}' */
static gboolean
is_mobile (const char *s,
           gsize       len)
{
  return len == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits (s, len);
}

/* '0[1-9][0-9]{9,10}': a landline with its area code */
static gboolean
is_landline (const char *s,
             gsize       len)
{
  return (len == 11 || len == 12) && s[0] == '0' && s[1] >= '1' && s[1] <= '9'
         && all_digits (s, len);
}

/* The SQL's optional '(?:0086|86)?' prefix: the rest after it, when it is there. */
static const char *
after_prefix (const char *digits,
              const char *prefix)
{
  return g_str_has_prefix (digits, prefix) ? digits + strlen (prefix) : NULL;
}

/* ---- public API ---- */

/**
 * aq_phone_normalize:
 * @raw: (nullable): a phone as typed: '+86 138 1234 5678', '0591-87654321', '87654321'…
 * @area_code: (nullable): added to local landlines without one; %NULL means '0591'
 *
 * Returns: (transfer full) (nullable): '1xxxxxxxxxx' for a mobile, the area code and number
 *   for a landline, %NULL when @raw is not a phone number
 */
char *
aq_phone_normalize (const char *raw,
                    const char *area_code)
{
  static const char *const prefixes[] = { "", "86", "0086" };
  g_autoptr(GString) digits = NULL;
  gsize len;

  if (raw == NULL)
    return NULL;
  if (area_code == NULL)
    area_code = "0591";

  /* like regexp_replace(translate(raw, …), '[^0-9]', '', 'g'); a byte that is not UTF-8
   * counts as nothing */
  digits = g_string_new (NULL);
  for (const char *p = raw; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      char d;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
          continue;
        }
      if ((d = digit_of (c)) != 0)
        g_string_append_c (digits, d);
      p = g_utf8_next_char (p);
      /* no phone has this many digits: the rest cannot make one */
      if (digits->len > 64)
        return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      const char *rest = after_prefix (digits->str, prefixes[i]);

      if (rest && is_mobile (rest, strlen (rest)))
        return g_strdup (rest);
    }
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      const char *rest = after_prefix (digits->str, prefixes[i]);

      if (rest && is_landline (rest, strlen (rest)))
        return g_strdup (rest);
    }
  /* '[2-9][0-9]{6,7}': a local number without its area code */
  len = digits->len;
  if ((len == 7 || len == 8) && digits->str[0] >= '2' && digits->str[0] <= '9')
    return g_strconcat (area_code, digits->str, NULL);
  return NULL;
}

gboolean
aq_phone_is_mobile (const char *normalized)
{
  return normalized != NULL && is_mobile (normalized, strlen (normalized));
}

gboolean
aq_role_from_string (const char *text,
                     AqRole     *out_role)
{
  g_return_val_if_fail (out_role != NULL, FALSE);

  if (g_strcmp0 (text, "agent") == 0)
    *out_role = AQ_ROLE_AGENT;
  else if (g_strcmp0 (text, "supervisor") == 0)
    *out_role = AQ_ROLE_SUPERVISOR;
  else
    return FALSE;
  return TRUE;
}

const char *
aq_role_to_string (AqRole role)
{
  return role == AQ_ROLE_SUPERVISOR ? "supervisor" : "agent";
}

/**
 * aq_mask_phone:
 *
 * '13812345678' → '138****5678', '059187654321' → '0591****4321': the area code and the last
 * four digits stay, which is what an agent reads back to a caller to confirm the number.
 * Counted in characters (a full-width number masks like an ASCII one); whatever is given —
 * a rejected paragraph included — at most 4 characters, '****' and 4 more come back.
 *
 * Returns: (transfer full) (nullable): a copy of @phone, masked unless @role may see it
 */
char *
aq_mask_phone (const char *phone,
               AqRole      role)
{
  g_autofree char *valid = NULL;
  GString *out;
  glong n, head, tail;

  if (phone == NULL)
    return NULL;
  if (role == AQ_ROLE_SUPERVISOR)
    return g_strdup (phone);
  valid = g_utf8_make_valid (phone, -1);
  n = g_utf8_strlen (valid, -1);
  if (n >= 8)
    head = MIN (n - 8, 4), tail = 4;
  else
    /* too short to be a real number: keep no more than half of it */
    head = 0, tail = MIN (2, n / 2);
  out = g_string_new (NULL);
  g_string_append_len (out, valid, g_utf8_offset_to_pointer (valid, head) - valid);
  g_string_append (out, "****");
  g_string_append (out, g_utf8_offset_to_pointer (valid, n - tail));
  return g_string_free (out, FALSE);
}

/**
 * aq_mask_name:
 *
 * '张三明' → '张*明', '张三' → '张*', '欧阳娜娜' → '欧**娜': counted in characters, not bytes.
 *
 * Returns: (transfer full) (nullable): a copy of @name, masked unless @role may see it
 */
char *
aq_mask_name (const char *name,
              AqRole      role)
{
  GString *out;
  glong n;
  const char *last;

  if (name == NULL)
    return NULL;
  if (role == AQ_ROLE_SUPERVISOR)
    return g_strdup (name);
  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup ("*");
  n = g_utf8_strlen (name, -1);
  if (n <= 1)
    return g_strdup ("*");
  out = g_string_new (NULL);
  g_string_append_len (out, name, g_utf8_next_char (name) - name);
  for (glong i = 1; i < MAX (n - 1, 2); i++)
    g_string_append_c (out, '*');
  if (n >= 3)
    {
      last = g_utf8_offset_to_pointer (name, n - 1);
      g_string_append (out, last);
    }
  return g_string_free (out, FALSE);
}

/**
 * aq_mask_id_card:
 *
 * '350102199001011234' → '3****************4': only the first and last characters stay, since
 * the tail is what callers are asked to prove who they are, and the middle is a birth date.
 *
 * Returns: (transfer full) (nullable): a copy of @id_card, masked unless @role may see it
 */
char *
aq_mask_id_card (const char *id_card,
                 AqRole      role)
{
  gsize len;
  char *out;

  if (id_card == NULL)
    return NULL;
  if (role == AQ_ROLE_SUPERVISOR)
    return g_strdup (id_card);
  len = strlen (id_card);
  if (len <= 2)
    return g_strdup ("**");
  out = g_strdup (id_card);
  memset (out + 1, '*', len - 2);
  return out;
}
