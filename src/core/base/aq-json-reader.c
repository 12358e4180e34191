/* aq-json-reader.c — every JSON that comes from outside, read with limits first
 *
 * json-glib's parser recurses once per nesting level, so a 200 KB body of 100,000 “[” ends
 * the process with SIGSEGV before any error can be returned, and it reads whatever size it is
 * given. Every reader of outside JSON (receipts, report and pipeline files, GeoJSON, pipeline
 * data files) therefore comes through here: the size is checked first, then one linear scan
 * counts the depth of [ and { outside strings (escapes followed), and only text within both
 * limits reaches json-glib. The scan does not validate JSON — json-glib still does that — it
 * only guarantees that json-glib never sees a nesting it could die of. Errors are
 * AQ_ERROR_INVALID, translated, say which limit and where, and are valid UTF-8 (json-glib's
 * own message quotes the bad token cut through a character: the fuzzers found it).
 */
#define G_LOG_DOMAIN "aq-json-reader"

#include "config.h"

#include "aq-json-reader.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"

/* ---- public API ---- */

/* FALSE with AQ_ERROR_INVALID when @data is over @max_bytes or nests deeper than @max_depth. */
gboolean
aq_json_check_limits (const char  *data,
                      gsize        length,
                      gsize        max_bytes,
                      guint        max_depth,
                      GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  if (length > max_bytes)
    {
      g_autofree char *size = g_format_size (length);
      g_autofree char *limit = g_format_size (max_bytes);

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The JSON is %s; at most %s is read"), size, limit);
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("The JSON nests deeper than %u levels (at byte %lu); it is "
                             "refused unread"), max_depth, (gulong) (i + 1));
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/**
 * aq_json_read_full:
 * @length: bytes of @data, or -1 when it ends with a NUL
 *
 * Returns: (transfer full): the root, or %NULL with AQ_ERROR_INVALID (limits, or not JSON)
 */
JsonNode *
aq_json_read_full (const char  *data,
                   gssize       length,
                   gsize        max_bytes,
                   guint        max_depth,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (!aq_json_check_limits (data, len, max_bytes, max_depth, error))
    return NULL;
  /* json-glib reads up to a NUL even when given a length: one inside is not JSON anyway */
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("not valid JSON: it holds a NUL byte"));
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("not valid JSON: it is not UTF-8 text"));
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, len ? data : "", len, &local_error))
    {
      /* json-glib quotes the token it stopped at cut at a byte count, through a character:
       * the message goes on to a terminal, a JSON answer, the warehouse — valid UTF-8 only */
      g_autofree char *detail = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("not valid JSON: %s"), detail);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("not valid JSON: it is empty"));
      return NULL;
    }
  return root;
}

/* aq_json_read_full() at AQ_JSON_MAX_DEPTH. */
JsonNode *
aq_json_read (const char  *data,
              gssize       length,
              gsize        max_bytes,
              GError     **error)
{
  return aq_json_read_full (data, length, max_bytes, AQ_JSON_MAX_DEPTH, error);
}
