/* test-phone.c — the C phone normaliser against a table of real forms and against
 * dw.normalize_phone() in SQL, row by row; masking per role */
#include "aq-test-util.h"

static AqDb *db;

static const struct
{
  const char *raw;
  const char *expected;  /* NULL: not a phone */
} forms[] = {
  { "13812345678", "13812345678" },
  { "138 1234 5678", "13812345678" },
  { "138-1234-5678", "13812345678" },
  { "+86 138 1234 5678", "13812345678" },
  { "+8613812345678", "13812345678" },
  { "0086-13812345678", "13812345678" },
  { "008613812345678", "13812345678" },
  { "86-13812345678", "13812345678" },
  { "13812345678 ", "13812345678" },
  { " 199 0000 1111", "19900001111" },
  { "(+86) 159-5000-1234", "15950001234" },
  { "0591-87654321", "059187654321" },
  { "059187654321", "059187654321" },
  { "(0591)87654321", "059187654321" },
  { "0591 8765 4321", "059187654321" },
  { "87654321", "059187654321" },
  { "8765-4321", "059187654321" },
  { "2345678", "05912345678" },
  { "010-12345678", "01012345678" },
  { "+86 10 12345678", NULL },              /* the trunk 0 dropped: not a form we accept */
  { "0086 0591 87654321", "059187654321" },
  { "12812345678", NULL },                 /* no mobile prefix 12 */
  { "1381234567", NULL },                  /* ten digits */
  { "138123456789", NULL },                /* twelve digits */
  { "07654321", NULL },                    /* a local number cannot start with 0 */
  { "1234567", NULL },                     /* nor with 1 */
  { "123", NULL },
  { "", NULL },
  { "abc", NULL },
  { "张三", NULL },
  /* what Chinese input methods type: full-width digits, spaces, dashes and plus */
  { "１３８１２３４５６７８", "13812345678" },
  { "＋８６　１３８－１２３４－５６７８", "13812345678" },
  { "（０５９１）８７６５４３２１", "059187654321" },
  { "８７６５－４３２１", "059187654321" },
  { "138１２３４5678", "13812345678" },      /* half typed one way, half the other */
  { "٠٥٩١٨٧٦٥٤٣٢١", "059187654321" },       /* Arabic-Indic digits */
  { "১৩৮১২৩৪৫৬৭৮", "13812345678" },          /* Bengali digits */
  { "１２３", NULL },
  { "一三八一二三四五六七八", NULL },          /* Chinese numerals are words, not digits */
};

static void
test_normalize_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *got = aq_phone_normalize (forms[i].raw, NULL);

      g_test_message ("%s", forms[i].raw);
      g_assert_cmpstr (got, ==, forms[i].expected);
    }
  g_assert_null (aq_phone_normalize (NULL, NULL));
  g_assert_true (aq_phone_is_mobile ("13812345678"));
  g_assert_false (aq_phone_is_mobile ("059187654321"));
}

/* The SQL function is what stored every contact: the two must never disagree. */
static void
test_agrees_with_sql (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      const char *params[] = { forms[i].raw };
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) res = NULL;
      g_autofree char *c = aq_phone_normalize (forms[i].raw, NULL);

      res = aq_db_query (db, "SELECT dw.normalize_phone($1)", 1, params, &error);
      g_assert_no_error (error);
      g_test_message ("%s", forms[i].raw);
      g_assert_cmpstr (c, ==, PQgetisnull (res, 0, 0) ? NULL : PQgetvalue (res, 0, 0));
    }

  /* another area code goes through the same way */
  {
    const char *params[] = { "87654321", "0592" };
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = aq_db_query_string (db, "SELECT dw.normalize_phone($1, $2)", 2,
                                               params, &error);
    g_autofree char *c = aq_phone_normalize ("87654321", "0592");

    g_assert_no_error (error);
    g_assert_cmpstr (c, ==, sql);
    g_assert_cmpstr (c, ==, "059287654321");
  }
}

static void
test_mask (void)
{
  static const struct
  {
    char *(*mask) (const char *, AqRole);
    const char *value;
    const char *agent;
  } rows[] = {
    { aq_mask_phone, "13812345678", "138****5678" },
    { aq_mask_phone, "059187654321", "0591****4321" },
    { aq_mask_phone, "05912345678", "059****5678" },
    /* counted in characters: never half a character, never more than 12 of them */
    { aq_mask_phone, "１３８１２３４５６７８", "１３８****５６７８" },
    { aq_mask_phone, "138１２３４5678", "138****5678" },
    { aq_mask_phone, "电话号码是一三八一二三四五六七八谢谢你们的帮助", "电话号码****们的帮助" },
    { aq_mask_phone, "１２", "****２" },
    { aq_mask_name, "张三明", "张*明" },
    { aq_mask_name, "张三", "张*" },
    { aq_mask_name, "欧阳娜娜", "欧**娜" },
    { aq_mask_name, "王", "*" },
    { aq_mask_id_card, "350102199001011234", "3****************4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *agent = rows[i].mask (rows[i].value, AQ_ROLE_AGENT);
      g_autofree char *supervisor = rows[i].mask (rows[i].value, AQ_ROLE_SUPERVISOR);

      g_assert_cmpstr (agent, ==, rows[i].agent);
      g_assert_cmpstr (supervisor, ==, rows[i].value);
    }
  g_assert_null (aq_mask_phone (NULL, AQ_ROLE_AGENT));
  /* a byte that is not UTF-8 does not come back as one */
  {
    g_autofree char *masked = aq_mask_phone ("\xff\xfe" "13812345678\xc3", AQ_ROLE_AGENT);

    g_assert_true (g_utf8_validate (masked, -1, NULL));
    g_assert_cmpint (g_utf8_strlen (masked, -1), <=, AQ_MASK_PHONE_MAX);
  }
  g_assert_null (aq_mask_name (NULL, AQ_ROLE_SUPERVISOR));
}

static void
test_role (void)
{
  AqRole role = AQ_ROLE_SUPERVISOR;

  g_assert_true (aq_role_from_string ("agent", &role));
  g_assert_cmpint (role, ==, AQ_ROLE_AGENT);
  g_assert_true (aq_role_from_string ("supervisor", &role));
  g_assert_cmpint (role, ==, AQ_ROLE_SUPERVISOR);
  g_assert_false (aq_role_from_string ("admin", &role));
  g_assert_cmpstr (aq_role_to_string (AQ_ROLE_AGENT), ==, "agent");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("t_phone", TRUE);

  g_test_add_func ("/phone/normalize", test_normalize_table);
  g_test_add_func ("/phone/agrees-with-sql", test_agrees_with_sql);
  g_test_add_func ("/phone/mask", test_mask);
  g_test_add_func ("/phone/role", test_role);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}
