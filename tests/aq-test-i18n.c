/* aq-test-i18n.c — what the language tests share: finding English words in text meant to be
 * Chinese. A word passes when it is code (an option, an identifier, a path, a key=value) or on
 * the allow list: proper names, units, formats and the codes printed on purpose. */
#include "aq-test-i18n.h"

#include <string.h>

/* Words that stay as they are in Chinese text: names, units, formats and printed codes. */
static const char *const allowed[] = {
  /* proper names and formats */
  "Aqueduct", "aqueduct", "aqueductctl", "aqueductd", "PostgreSQL", "PostGIS", "SQL", "JSON",
  "GeoJSON", "CSV", "UTF", "Excel", "XLSX", "xlsx", "csv", "json", "SMS", "WeChat", "SLA",
  "URL", "HTTP", "IP", "ID", "DMA", "OS", "Debian", "cron", "CRON", "Asia", "Shanghai", "GMT",
  "NULL", "ISO", "YYYY", "MM", "DD", "DDL", "Greenplum", "Cloudberry", "Citus", "Kettle",
  /* units */
  "kB", "MB", "GB", "TB", "ms", "km", "DN", "GIS",
  /* keys */
  "Esc", "Ctrl", "Enter",
  /* the warehouse's layers, named as such in messages */
  "dw", "dm", "ods", "src", "meta",
  /* codes the CLI prints as they are stored (scripts and --status filters use them) */
  "planned", "emergency", "active", "restored", "cancelled", "draft", "approved", "queued",
  "sending", "sent", "delivered", "failed", "succeeded", "running", "released", "lost",
  "pass", "warn", "fail", "error", "pipeline", "quality", "sql", "outage", "update",
  "agent", "supervisor", "analyst", "dispatcher", "operator", "api", "all", "off",
  "sum", "count", "ratio", "avg", "time", "geo", "attribute", "month", "year",
  "rows", "columns", "values", "filters", "mom", "yoy", "rank", "none",
  "text", "integer", "district", "member", "date", "list", "pivot",
  "indicator", "report", "table", "column", "view",
  /* the subcommands named in the command list and usage lines */
  "init", "start", "stop", "status", "migrate", "demo", "simulate", "validate", "run",
  "customer", "lookup", "reveal", "audit", "show", "catalog", "analyze", "create", "restore",
  "cancel", "activate", "prepare", "network", "isolate", "criticality", "notify", "send",
  "approve", "reject", "retry", "job", "add", "remove", "enable", "disable", "history", "kinds", "user",
  "search", "lineage", "lint", "rebuild", "set", "describe", "results", "profile", "warehouse",
  "zh", "CN", "en", "help",
  NULL
};

static gboolean
is_allowed (const char *word)
{
  for (guint i = 0; allowed[i]; i++)
    if (g_ascii_strcasecmp (word, allowed[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Options, identifiers, paths, URLs, key=value, placeholders: code, not prose. */
static gboolean
is_code (const char *token)
{
  return token[0] == '-' || strpbrk (token, "_./:@$=[]{}|<>*#%\\-+") != NULL;
}

/* The English words in @text that are neither code nor allowed, separated by spaces. */
char *
aq_test_english_words (const char *text)
{
  g_autoptr(GString) found = g_string_new (NULL);
  g_auto(GStrv) tokens = g_regex_split_simple ("[\\s,;()“”‘’\"'（），：；、。·…→×—]+", text,
                                              0, 0);

  for (guint i = 0; tokens[i]; i++)
    {
      const char *t = tokens[i];

      if (*t == '\0' || is_code (t))
        continue;
      for (const char *p = t; *p;)
        {
          const char *start = p;

          if (!g_ascii_isalpha (*p))
            {
              p++;
              continue;
            }
          while (*p && g_ascii_isalpha (*p))
            p++;
          if (p - start >= 2)
            {
              g_autofree char *word = g_strndup (start, p - start);

              if (!is_allowed (word) && !strstr (found->str, word))
                g_string_append_printf (found, "%s%s", found->len ? " " : "", word);
            }
        }
    }
  return g_string_free (g_steal_pointer (&found), FALSE);
}

