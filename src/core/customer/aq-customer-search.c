/* aq-customer-search.c — from one search string to the accounts it may mean
 *
 * Every key kind is one indexed query that answers the same columns, so the panel and the CLI
 * draw one short list whatever was typed. Personal data is masked by the warehouse: unless
 * the role is a supervisor's, the queries read the masked.* views (010_roles.sql), which are
 * all an agent's login may read, and find a phone or a name through masked.customers_*(),
 * which answer customer numbers, never the data. The same rules mask again here, as rows are
 * read, so a supervisor's ordinary lookup is masked too and no caller holds more than it may.
 */
#define G_LOG_DOMAIN "aq-customer-search"

#include "config.h"

#include "aq-customer-search.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-customer-private.h"
#include "aq-error.h"

/* PostgreSQL type oids (pg_type.dat): how a column becomes a JSON value */
#define OID_BOOL     16
#define OID_INT8     20
#define OID_INT2     21
#define OID_INT4     23
#define OID_FLOAT4   700
#define OID_FLOAT8   701
#define OID_NUMERIC  1700

/* One select list for every key: what a candidate row shows. */
#define CANDIDATE_SELECT                                                              \
  "SELECT count(*) OVER () AS total, a.account_id, a.customer_id, c.name, coalesce(c.mobile, c.landline) AS phone," \
  "       p.address, cm.name AS community, a.status AS account_status, c.customer_type"  \
  " FROM dw.dim_account a"                                                            \
  AQ_CUSTOMER_OF_ACCOUNT ("a")                                                      \
  " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"                             \
  " LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code"
/* open accounts first: the caller is most likely about the account that is still billed */
#define CANDIDATE_ORDER_BY " a.status = 'normal' DESC, a.opened_on DESC, a.account_id" \
                           " LIMIT " G_STRINGIFY (AQ_CUSTOMER_SEARCH_LIMIT)
#define CANDIDATE_ORDER " ORDER BY" CANDIDATE_ORDER_BY

/* ---- auxiliary methods ---- */

static gboolean
is_phone_column (const char *name)
{
  return g_str_equal (name, "phone") || g_str_equal (name, "mobile")
         || g_str_equal (name, "landline");
}

static gboolean
is_name_column (const char *name)
{
  return g_str_equal (name, "name") || g_str_equal (name, "applicant");
}

/* '%' and '_' typed by an agent are text, not patterns */
static char *
like_pattern (const char *fragment)
{
  GString *s = g_string_new ("%");

  for (const char *p = fragment; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

/* '5678 阳光花园', '阳光花园 5678', '5678 3号楼' → the digits and the place */
static gboolean
split_phone_tail (const char  *text,
                  char       **out_digits,
                  char       **out_place)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  regex = g_regex_new ("^\\s*(?:([0-9]{4})\\s+(\\S.*?)|(\\S.*?)\\s+([0-9]{4}))\\s*$",
                       G_REGEX_OPTIMIZE, 0, NULL);
  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  *out_digits = g_match_info_fetch (match, 1);
  if (**out_digits)
    *out_place = g_match_info_fetch (match, 2);
  else
    {
      g_free (*out_digits);
      *out_digits = g_match_info_fetch (match, 4);
      *out_place = g_match_info_fetch (match, 3);
    }
  return TRUE;
}

/* Free text: a number that exists as an account, meter or customer wins (customer numbers
 * look like local landlines), then a phone, then a phone tail with a place, then a name. */
static AqCustomerKey
guess_key (AqDb        *db,
           const char  *text,
           GError     **error)
{
  const char *params[] = { text };
  g_autoptr(PGresult) res = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *place = NULL;

  res = aq_db_query_prepared (db,
                     "SELECT CASE WHEN EXISTS (SELECT 1 FROM dw.dim_account"
                     "                         WHERE account_id = $1 OR meter_no = $1)"
                     "            THEN 'account'"
                     "            WHEN EXISTS (SELECT 1 FROM masked.dim_customer"
                     "                         WHERE customer_id = $1)"
                     "            THEN 'customer' END",
                     1, params, error);
  if (res == NULL)
    return AQ_CUSTOMER_KEY_SEARCH;
  if (g_str_equal (PQgetvalue (res, 0, 0), "account"))
    return AQ_CUSTOMER_KEY_ACCOUNT;
  if (g_str_equal (PQgetvalue (res, 0, 0), "customer"))
    return AQ_CUSTOMER_KEY_CUSTOMER;

  phone = aq_phone_normalize (text, NULL);
  if (phone)
    return AQ_CUSTOMER_KEY_PHONE;
  if (split_phone_tail (text, &digits, &place))
    return AQ_CUSTOMER_KEY_PHONE_TAIL;
  return AQ_CUSTOMER_KEY_TEXT;
}

/* The shape of a Chinese personal name: 1 to 4 Han characters, a '·' in transliterations */
static gboolean
looks_like_name (const char *text)
{
  glong n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0x00B7 && g_unichar_get_script (c) != G_UNICODE_SCRIPT_HAN)
        return FALSE;
    }
  return n >= 1 && n <= 4;
}

/* whether @fragment is part of a candidate's name: then it named a customer. The names the
 * rows hold may be masked: the warehouse answers for the unmasked ones. */
static gboolean
names_a_candidate (AqDb       *db,
                   PGresult   *res,
                   const char *fragment)
{
  const char *params[] = { fragment };
  g_autofree char *found = NULL;

  if (PQntuples (res) == 0)
    return FALSE;
  found = aq_db_query_string (db, "SELECT 1 FROM masked.customers_named($1) LIMIT 1", 1, params,
                              NULL);
  return found != NULL;
}

/* ---- private API ---- */

/* The personal tables and the masked views of the same name and columns (010_roles.sql). */
static const char *const personal_tables[] = {
  "dw.dim_customer", "dw.contact", "dw.dim_key_customer", "dw.fact_work_order", "dw.fact_call",
  "dw.fact_sms", "dw.fact_installation", "dm.customer_profile",
};

/**
 * _aq_customer_sql:
 *
 * @sql as @role reads it: a supervisor reads the tables, everyone else the masked views, so
 * an agent's query asks only for what an agent's login is granted. The statements are few
 * and fixed: each is rewritten once and kept (the prepared-statement cache is keyed on it).
 *
 * Returns: (transfer none): the statement to send
 */
const char *
_aq_customer_sql (const char *sql,
                  AqRole      role)
{
  static GHashTable *cache;
  static GMutex lock;
  const char *masked;

  if (role == AQ_ROLE_SUPERVISOR)
    return sql;
  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  masked = g_hash_table_lookup (cache, sql);
  if (masked == NULL)
    {
      g_autoptr(GString) s = g_string_new (sql);

      for (guint i = 0; i < G_N_ELEMENTS (personal_tables); i++)
        {
          g_autofree char *view = g_strconcat ("masked.", strchr (personal_tables[i], '.') + 1,
                                               NULL);
          g_string_replace (s, personal_tables[i], view, 0);
        }
      masked = g_string_free (g_steal_pointer (&s), FALSE);
      g_hash_table_insert (cache, g_strdup (sql), (char *) masked);
    }
  g_mutex_unlock (&lock);
  return masked;
}

/* Column @col of a result row into @object under the column's name, personal data masked. */
static void
set_member (JsonObject *object,
            PGresult   *res,
            int         row,
            int         col,
            AqRole      role)
{
  const char *name = PQfname (res, col);
  const char *value = PQgetvalue (res, row, col);

  if (PQgetisnull (res, row, col))
    {
      json_object_set_null_member (object, name);
      return;
    }
  switch (PQftype (res, col))
    {
    case OID_BOOL:
      json_object_set_boolean_member (object, name, value[0] == 't');
      break;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
      json_object_set_int_member (object, name, g_ascii_strtoll (value, NULL, 10));
      break;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
      json_object_set_double_member (object, name, g_ascii_strtod (value, NULL));
      break;
    default:
      {
        g_autofree char *masked = NULL;

        if (is_phone_column (name))
          masked = aq_mask_phone (value, role);
        else if (is_name_column (name))
          masked = aq_mask_name (value, role);
        else if (g_str_equal (name, "id_card"))
          masked = aq_mask_id_card (value, role);
        json_object_set_string_member (object, name, masked ? masked : value);
      }
      break;
    }
}

/* A result row as a JSON object, columns from @first_column on, personal data masked. */
JsonObject *
_aq_customer_row_to_json (PGresult *res,
                          int       row,
                          int       first_column,
                          AqRole    role)
{
  JsonObject *object = json_object_new ();

  for (int col = first_column; col < PQnfields (res); col++)
    set_member (object, res, row, col, role);
  return object;
}

/* The same with only the @n_columns @columns, in that order (one statement read for two
 * sections: the readings are the bills' meter columns). */
JsonObject *
_aq_customer_row_columns_to_json (PGresult  *res,
                                  int        row,
                                  const int *columns,
                                  guint      n_columns,
                                  AqRole     role)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < n_columns; i++)
    set_member (object, res, row, columns[i], role);
  return object;
}

static char *mask_echo (AqCustomerKey key, const char *text, gboolean names_customer,
                        AqRole role);

/* An echo repeats what was typed, not a pasted paragraph: at most this many characters. */
#define ECHO_MAX_CHARS 32

/**
 * _aq_customer_mask_echo:
 * @key: what @text was searched as
 * @names_customer: a text search found customers by this name
 *
 * What was typed, as the role may see it repeated back (the "no customer" line, the audit
 * row): a phone masked like any phone, a name fragment like any name. Account and customer
 * numbers, addresses and a phone tail with its place are no personal data. A text fragment
 * that found customers by name is a name; one that found nothing is masked when it has a
 * name's shape, since the agent may have typed the caller's name.
 *
 * Returns: (transfer full): the echo
 */
char *
_aq_customer_mask_echo (AqCustomerKey  key,
                        const char    *text,
                        gboolean       names_customer,
                        AqRole         role)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autofree char *echo = mask_echo (key, valid, names_customer, role);

  g_autofree char *cut = NULL;

  if (g_utf8_strlen (echo, -1) <= ECHO_MAX_CHARS)
    return g_steal_pointer (&echo);
  cut = g_utf8_substring (echo, 0, ECHO_MAX_CHARS - 1);
  return g_strconcat (cut, "…", NULL);
}

static char *
mask_echo (AqCustomerKey  key,
           const char    *text,
           gboolean       names_customer,
           AqRole         role)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));

  if (role == AQ_ROLE_SUPERVISOR)
    return g_strdup (text ? text : "");
  switch (key)
    {
    case AQ_CUSTOMER_KEY_PHONE:
      {
        g_autofree char *phone = aq_phone_normalize (trimmed, NULL);

        return *trimmed ? aq_mask_phone (phone ? phone : trimmed, role) : g_strdup ("");
      }
    case AQ_CUSTOMER_KEY_TEXT:
    case AQ_CUSTOMER_KEY_SEARCH:
      if (names_customer || looks_like_name (trimmed))
        return aq_mask_name (trimmed, role);
      return g_strdup (text ? text : "");
    case AQ_CUSTOMER_KEY_CUSTOMER:
    case AQ_CUSTOMER_KEY_ACCOUNT:
    case AQ_CUSTOMER_KEY_PHONE_TAIL:
    default:
      return g_strdup (text ? text : "");
    }
}

/* ---- public API ---- */

const char *
aq_customer_key_to_string (AqCustomerKey key)
{
  switch (key)
    {
    case AQ_CUSTOMER_KEY_PHONE:
      return "phone";
    case AQ_CUSTOMER_KEY_CUSTOMER:
      return "customer";
    case AQ_CUSTOMER_KEY_ACCOUNT:
      return "account";
    case AQ_CUSTOMER_KEY_TEXT:
      return "text";
    case AQ_CUSTOMER_KEY_PHONE_TAIL:
      return "phone_tail";
    case AQ_CUSTOMER_KEY_SEARCH:
    default:
      return "search";
    }
}

void
aq_customer_matches_free (AqCustomerMatches *matches)
{
  if (matches == NULL)
    return;
  g_free (matches->text);
  g_free (matches->value);
  g_clear_pointer (&matches->candidates, json_array_unref);
  g_free (matches);
}

/* aq_customer_search(), and for the audit row of aq_customer_lookup(): the key @text was
 * taken as (also when it is rejected) and the unmasked value looked up. */
AqCustomerMatches *
_aq_customer_search (AqDb           *db,
                     AqCustomerKey   key,
                     const char     *text,
                     AqRole          role,
                     AqCustomerKey  *out_key,
                     char          **out_value,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(AqCustomerMatches) matches = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *sql = NULL;
  const char *params[3] = { NULL, };
  g_autofree char *p0 = NULL;
  g_autofree char *p1 = NULL;
  int n_params = 1;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (out_key)
    *out_key = key;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Nothing to search for"));
      return NULL;
    }

  if (key == AQ_CUSTOMER_KEY_SEARCH)
    {
      GError *local_error = NULL;

      key = guess_key (db, trimmed, &local_error);
      if (local_error)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (out_key)
        *out_key = key;
    }

  matches = g_new0 (AqCustomerMatches, 1);
  matches->key = key;
  matches->text = g_strdup (text);
  matches->candidates = json_array_new ();

  switch (key)
    {
    case AQ_CUSTOMER_KEY_PHONE:
      p0 = aq_phone_normalize (trimmed, NULL);
      if (p0 == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("“%s” is not a phone number: give a mobile (11 digits, +86 allowed) "
                         "or a landline with or without its area code"), trimmed);
          return NULL;
        }
      matches->value = g_strdup (p0);
      /* the number matched, not the customer's first one: it is what the caller dialled from */
      sql = g_strdup ("SELECT count(*) OVER () AS total, a.account_id, a.customer_id, c.name,"
                      "       $1::text AS phone,"
                      "       p.address, cm.name AS community, a.status AS account_status,"
                      "       c.customer_type"
                      " FROM dw.dim_account a"
                      AQ_CUSTOMER_OF_ACCOUNT ("a")
                      " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
                      " LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code"
                      " WHERE a.customer_id IN (SELECT masked.customers_with_contact($1))"
                      CANDIDATE_ORDER);
      params[0] = p0;
      break;

    case AQ_CUSTOMER_KEY_CUSTOMER:
      matches->value = g_strdup (trimmed);
      sql = g_strdup (CANDIDATE_SELECT " WHERE a.customer_id = $1" CANDIDATE_ORDER);
      params[0] = trimmed;
      break;

    case AQ_CUSTOMER_KEY_ACCOUNT:
      matches->value = g_strdup (trimmed);
      sql = g_strdup (CANDIDATE_SELECT
                      " WHERE a.account_id IN (SELECT account_id FROM dw.dim_account"
                      "                        WHERE account_id = $1 OR meter_no = $1)"
                      CANDIDATE_ORDER);
      params[0] = trimmed;
      break;

    case AQ_CUSTOMER_KEY_PHONE_TAIL:
      {
        g_autofree char *digits = NULL;
        g_autofree char *place = NULL;

        if (!split_phone_tail (trimmed, &digits, &place))
          {
            g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                         _("“%s” is not the last 4 digits of a phone and a community or "
                           "building, like “5678 福光佳园”"), trimmed);
            return NULL;
          }
        matches->value = g_strdup_printf ("%s %s", digits, place);
        /* the function scans reverse(value)'s text_pattern_ops index: a suffix is a prefix */
        p0 = g_strdup (digits);
        p1 = like_pattern (place);
        params[0] = p0;
        params[1] = p1;
        n_params = 2;
        /* "碧水公寓 1901" is as likely a room as a phone tail: both, the room first */
        sql = g_strdup (CANDIDATE_SELECT
                        " WHERE (a.customer_id IN"
                        "          (SELECT masked.customers_with_contact_tail($1))"
                        "        AND (cm.name LIKE $2 OR p.address LIKE $2 OR p.building LIKE $2))"
                        "    OR (p.room = $1 AND a.community_code IN"
                        "          (SELECT community_code FROM dw.dim_community"
                        "           WHERE name LIKE $2))"
                        " ORDER BY p.room = $1 AND cm.name LIKE $2 DESC," CANDIDATE_ORDER_BY);
      }
      break;

    case AQ_CUSTOMER_KEY_TEXT:
    default:
      if (g_utf8_strlen (trimmed, -1) < 2)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("“%s” is too short: give at least 2 characters of a name or an "
                         "address"), trimmed);
          return NULL;
        }
      matches->key = AQ_CUSTOMER_KEY_TEXT;
      if (out_key)
        *out_key = AQ_CUSTOMER_KEY_TEXT;
      matches->value = g_strdup (trimmed);
      p0 = like_pattern (trimmed);
      params[0] = p0;
      params[1] = trimmed;
      n_params = 2;
      /* both sides have a trigram index, so each IN is an index scan, never a join scan; the
       * name side is read by the function, which escapes the fragment itself */
      sql = g_strdup (CANDIDATE_SELECT
                      " WHERE a.customer_id IN (SELECT masked.customers_named($2))"
                      "    OR a.premise_id IN (SELECT premise_id FROM dw.dim_premise"
                      "                        WHERE address ILIKE $1)"
                      CANDIDATE_ORDER);
      break;
    }

  handler = aq_db_watch_cancellable (db, cancellable);
  /* the exact keys plan the same whatever the value; a LIKE pattern's plan depends on it */
  if (key == AQ_CUSTOMER_KEY_PHONE || key == AQ_CUSTOMER_KEY_CUSTOMER
      || key == AQ_CUSTOMER_KEY_ACCOUNT)
    res = aq_db_query_prepared (db, _aq_customer_sql (sql, role), n_params, params, error);
  else
    res = aq_db_query (db, _aq_customer_sql (sql, role), n_params, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    return NULL;
  /* column 0 is how many matched in all, before the limit: "50 of 1,243" */
  matches->total = PQntuples (res) ? g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : 0;
  for (int i = 0; i < PQntuples (res); i++)
    json_array_add_object_element (matches->candidates,
                                   _aq_customer_row_to_json (res, i, 1, role));

  /* the echoes are masked here like the rows, so no caller repeats what the role may not see */
  {
    gboolean by_name = key == AQ_CUSTOMER_KEY_TEXT && names_a_candidate (db, res, trimmed);
    char *raw_value = g_steal_pointer (&matches->value);
    char *raw_text = g_steal_pointer (&matches->text);

    matches->text = _aq_customer_mask_echo (key, raw_text, by_name, role);
    matches->value = _aq_customer_mask_echo (key, raw_value, by_name, role);
    g_free (raw_text);
    if (out_value)
      *out_value = raw_value;
    else
      g_free (raw_value);
  }
  return g_steal_pointer (&matches);
}

/**
 * aq_customer_search:
 * @key: what @text is, or %AQ_CUSTOMER_KEY_SEARCH to guess
 * @text: what the agent typed
 * @role: masks the candidates' names and phones
 *
 * Finds the accounts @text may mean, at most %AQ_CUSTOMER_SEARCH_LIMIT. None is not an error:
 * the result says what was searched and holds no candidate.
 *
 * The echoes of what was typed (#AqCustomerMatches.text and .value) are masked by @role like
 * the candidates: a phone as 138****5678, a name fragment as 张*明.
 *
 * Returns: (transfer full): the matches, or %NULL with %AQ_ERROR_INVALID when @text cannot be
 *   a key of that kind (a phone that is no phone number, a fragment too short to search)
 */
AqCustomerMatches *
aq_customer_search (AqDb          *db,
                    AqCustomerKey  key,
                    const char    *text,
                    AqRole         role,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return _aq_customer_search (db, key, text, role, NULL, NULL, cancellable, error);
}
