/* test-i18n.c — the users' language everywhere: the real aqueductctl and aqueductd run under
 * LANGUAGE=zh_CN (help, messages, errors, tables) and a report's CSV and XLSX exports are read
 * for English words. A word passes only when it is code (an option, an identifier, a path, a
 * key=value), or on the allow list below: proper names, units, and the codes the CLI prints on
 * purpose (statuses and kinds a script greps for). Anything else is an untranslated string.
 * The same commands under LANGUAGE=en print English, so the check is not vacuous. */
#include "config.h"

#include "aq-test-i18n.h"
#include "aq-test-util.h"
#include "aq-test-xlsx.h"

#include <glib/gstdio.h>
#include <string.h>

static AqDb *db;
static char *conninfo;
static char *tmpdir;

static void
assert_chinese (const char *what,
                const char *text)
{
  g_autofree char *words = aq_test_english_words (text);

  if (*words)
    g_test_message ("%s printed:\n%s", what, text);
  g_assert_cmpstr (words, ==, "");
}

/* Runs aqueductctl under @language; stdout and stderr together. */
static char *
ctl_in (const char        *language,
        int               *status,
        const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, "LC_ALL", "C.UTF-8",
                        "LANGUAGE", language, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("AQUEDUCTCTL"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  out = aq_test_run_command ((const char *const *) argv->pdata, env, status, &err);
  return g_strconcat (out ? out : "", err ? err : "", NULL);
}

/* ---- tests ---- */

/* Help of the CLI, of each command group, and of the daemon. */
static void
test_help (void)
{
  static const char *const groups[] = { "warehouse", "migrate", "demo", "pipeline", "customer",
                                        "report", "outage", "network", "notify", "job", "user",
                                        "catalog", "quality", NULL };
  int status;

  {
    const char *args[] = { "--help", NULL };
    g_autofree char *zh = ctl_in ("zh_CN", &status, args);
    g_autofree char *en = ctl_in ("en", &status, args);
    g_autofree char *en_words = aq_test_english_words (en);

    g_assert_nonnull (strstr (zh, "用法"));
    assert_chinese ("aqueductctl --help", zh);
    /* the same under English is English: the check can fail */
    g_assert_nonnull (strstr (en, "Usage"));
    g_assert_cmpstr (en_words, !=, "");
  }
  for (guint i = 0; groups[i]; i++)
    {
      const char *args[] = { groups[i], "--help", NULL };
      g_autofree char *zh = ctl_in ("zh_CN", &status, args);
      g_autofree char *what = g_strdup_printf ("aqueductctl %s --help", groups[i]);

      g_assert_cmpint (status, ==, 0);
      assert_chinese (what, zh);
    }
  {
    const char *argv[] = { g_getenv ("AQUEDUCTD"), "--help", NULL };
    const char *env[] = { "LC_ALL", "C.UTF-8", "LANGUAGE", "zh_CN", NULL };
    g_autofree char *err = NULL;
    g_autofree char *out = aq_test_run_command (argv, env, &status, &err);

    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "监听端口"));
    assert_chinese ("aqueductd --help", out);
  }
}

/* Wrong input: the message and the usage line that follows it. */
static void
test_errors (void)
{
  static const char *const cases[][6] = {
    { "no_such_command", NULL },
    { "catalog", NULL },
    { "customer", "lookup", "--phone", "12", NULL },
    { "customer", "lookup", NULL },
    { "report", "show", "no_such_report", NULL },
    { "outage", "create", "--kind", "planned", NULL },
    { "job", "add", "x", "--kind", "sql", NULL },
    { "demo", "simulate", "--until", "oops", NULL },
    { "network", "isolate", NULL },
    { "notify", "status", "0", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int status = 0;
      g_autofree char *zh = ctl_in ("zh_CN", &status, cases[i]);
      g_autofree char *what = g_strjoinv (" ", (char **) cases[i]);

      g_assert_cmpint (status, !=, 0);
      assert_chinese (what, zh);
    }
}

/* The text of a table without its first column: ids and names are codes (pipeline names,
 * indicator ids, rule names), whatever they look like. */
static char *
without_columns (const char *text,
                 guint       n)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      const char *p = lines[i];

      for (guint c = 0; c < n; c++)
        {
          while (*p == ' ')
            p++;
          while (*p && *p != ' ')
            p++;
        }
      g_string_append_printf (out, "%s\n", p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
without_first_column (const char *text)
{
  return without_columns (text, 1);
}

/* `quality list` without its code columns (name, type, dimension, severity, version): the
 * rules' descriptions, which are the utility's words. */
static char *
quality_descriptions (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GRegex) columns = g_regex_new ("^\\S+\\s+[a-z_]+\\s+[a-z_]+\\s+[a-z]+\\s+v[0-9]+  ",
                                           0, 0, NULL);
  guint described = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      int end;

      if (!g_regex_match (columns, lines[i], 0, &match))
        {
          g_string_append_printf (out, "%s\n", lines[i]);
          continue;
        }
      g_match_info_fetch_pos (match, 0, NULL, &end);
      g_string_append_printf (out, "%s\n", lines[i] + end);
      described++;
    }
  g_assert_cmpuint (described, >, 100);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What the commands print from the warehouse: tables, headers and summaries. */
static void
test_output (void)
{
  static const char *const cases[][4] = {
    { "report", "list", NULL },
    { "report", "show", "billing_by_district", NULL },
    { "report", "catalog", NULL },
    { "job", "kinds", NULL },
    { "job", "list", NULL },
    { "pipeline", "list", NULL },
    /* the shipped rules' descriptions and the standard APIs' titles are data, Chinese with the
     * English kept (description_zh in data/quality, migration 029) */
    { "quality", "list", NULL },
    { "api", "list", NULL },
    { "outage", "list", NULL },
    /* not "catalog show": column descriptions and owners are data (English COMMENTs) */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int status = -1;
      g_autofree char *zh = ctl_in ("zh_CN", &status, cases[i]);
      g_autofree char *what = g_strjoinv (" ", (char **) cases[i]);
      /* `quality list`: the descriptions; `api list`: past the category and the name (codes) */
      g_autofree char *text = g_str_equal (cases[i][0], "quality") ? quality_descriptions (zh)
                              : g_str_equal (cases[i][0], "api") ? without_columns (zh, 2)
                              : without_first_column (zh);

      g_assert_cmpint (status, ==, 0);
      assert_chinese (what, text);
    }

  /* the utility's data in each person's language: Chinese here, the kept English there */
  {
    const char *quality[] = { "quality", "list", NULL };
    const char *api[] = { "api", "list", NULL };
    int status = -1;
    g_autofree char *quality_zh = ctl_in ("zh_CN", &status, quality);
    g_autofree char *quality_en = ctl_in ("en", &status, quality);
    g_autofree char *api_zh = ctl_in ("zh_CN", &status, api);
    g_autofree char *api_en = ctl_in ("en", &status, api);

    g_assert_nonnull (strstr (quality_zh, "每个账单号在营收抽取中只出现一次。"));
    g_assert_nonnull (strstr (quality_en, "Each bill number appears once in the billing extract."));
    g_assert_nonnull (strstr (api_zh, "户号账单明细"));
    g_assert_nonnull (strstr (api_en, "Bills of an account"));
  }
}

/* A pivot exported to CSV and XLSX: labels, totals and the CLI's summary in Chinese. */
static void
test_exports (void)
{
  g_autofree char *xlsx_path = g_build_filename (tmpdir, "billing.xlsx", NULL);
  g_autofree char *csv_path = g_build_filename (tmpdir, "billing.csv", NULL);
  g_autofree char *month = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                                     " FROM dm.cube_billing_monthly");
  g_autofree char *param = g_strdup_printf ("month=%s", month);
  const char *args[] = { "report", "run", "billing_by_district", "--param", param,
                         "--xlsx", xlsx_path, "--csv", csv_path, NULL };
  g_autoptr(GPtrArray) csv = NULL;
  g_autoptr(AqTestXlsx) xlsx = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  GPtrArray *last;
  gboolean bom;
  int status = -1;

  out = ctl_in ("zh_CN", &status, args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "已写入"));
  assert_chinese ("report run --xlsx --csv", out);

  csv = aq_test_csv_read (csv_path, &bom, &error);
  g_assert_no_error (error);
  last = csv->pdata[csv->len - 1];
  g_assert_cmpstr (last->pdata[0], ==, "合计");
  for (guint r = 0; r < csv->len; r++)
    {
      GPtrArray *row = csv->pdata[r];

      for (guint c = 0; c < row->len; c++)
        g_string_append_printf (text, "%s\n", (char *) row->pdata[c]);
    }
  assert_chinese ("the CSV export", text->str);

  xlsx = aq_test_xlsx_open (xlsx_path, &error);
  g_assert_no_error (error);
  g_string_truncate (text, 0);
  for (guint i = 0; i < aq_test_xlsx_n_shared_strings (xlsx); i++)
    g_string_append_printf (text, "%s\n", aq_test_xlsx_shared_string (xlsx, i));
  for (guint i = 0; i < aq_test_xlsx_n_sheets (xlsx); i++)
    g_string_append_printf (text, "%s\n", aq_test_xlsx_sheet_name (xlsx, i));
  g_assert_nonnull (strstr (text->str, "合计"));
  g_assert_nonnull (strstr (text->str, "小计"));
  assert_chinese ("the XLSX export", text->str);

  g_unlink (xlsx_path);
  g_unlink (csv_path);
}

/* `customer lookup` prints the header's codes, the sections and the profile tags in words, the
 * same labels as Customer 360 (aq-customer-labels.c); --json keeps the codes. */
static void
test_customer_lookup (void)
{
  g_autofree char *account = aq_test_query_string (db, "SELECT min(account_id)"
                                                       " FROM dw.dim_account"
                                                       " WHERE customer_type = 'residential'"
                                                       " AND status = 'normal'");
  const char *args[] = { "customer", "lookup", "--account", account, NULL };
  const char *json_args[] = { "customer", "lookup", "--account", account, "--json", NULL };
  g_autofree char *meter_sql = g_strdup_printf ("SELECT meter_no FROM dw.dim_account"
                                                " WHERE account_id = '%s'", account);
  g_autofree char *meter = aq_test_query_string (db, meter_sql);
  g_auto(GStrv) around_meter = NULL;
  g_autofree char *without_meter = NULL;
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  g_autofree char *json = NULL;
  int status = -1;

  g_assert_nonnull (account);
  zh = ctl_in ("zh_CN", &status, args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (zh, "(居民, 正常)"));
  g_assert_nonnull (strstr (zh, "账单"));
  g_assert_null (strstr (zh, "residential"));
  g_assert_null (strstr (zh, "payment_habit"));
  /* the meter number (brand letters and a serial) is a code */
  around_meter = g_strsplit (zh, meter, -1);
  without_meter = g_strjoinv ("", around_meter);
  assert_chinese ("customer lookup", without_meter);

  en = ctl_in ("en", &status, args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (en, "(Residential, Normal)"));
  g_assert_nonnull (strstr (en, "Bills"));
  g_assert_nonnull (strstr (en, "Payment habit: "));
  g_assert_null (strstr (en, "residential"));

  /* the codes stay in JSON, for scripts */
  json = ctl_in ("zh_CN", &status, json_args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (json, "\"residential\""));
}

/* A report run for a month after the data says so (on stderr), in the user's language. */
static void
test_report_no_data (void)
{
  const char *args[] = { "report", "run", "billing_by_district", "--param", "month=2999-01",
                         NULL };
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  int status = -1;

  zh = ctl_in ("zh_CN", &status, args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (zh, "2999-01 还没有数据：数据仓库的数据截至 "));
  assert_chinese ("report run for a month without data", zh);
  en = ctl_in ("en", &status, args);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (en, "No data for 2999-01 yet: the warehouse's data ends with "));
}

/* The allow list is not a hole: prose words are caught, code and names are not. */
static void
test_detector (void)
{
  g_autofree char *a = aq_test_english_words ("共 3 户 Total rows written");
  g_autofree char *b = aq_test_english_words ("见 dw.fact_bill 与 --json，SMS 与 WeChat 发送");

  g_assert_cmpstr (a, ==, "Total written");
  g_assert_cmpstr (b, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  tmpdir = g_dir_make_tmp ("aq-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  db = aq_test_demo_db_new ("t_i18n", 300, 13);
  conninfo = g_strdup (aq_db_get_conninfo (db));

  g_test_add_func ("/i18n/detector", test_detector);
  g_test_add_func ("/i18n/help", test_help);
  g_test_add_func ("/i18n/errors", test_errors);
  g_test_add_func ("/i18n/output", test_output);
  g_test_add_func ("/i18n/exports", test_exports);
  g_test_add_func ("/i18n/customer-lookup", test_customer_lookup);
  g_test_add_func ("/i18n/report-no-data", test_report_no_data);

  status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  g_free (conninfo);
  g_clear_object (&db);
  aq_test_drop_database ("t_i18n");
  return status;
}
