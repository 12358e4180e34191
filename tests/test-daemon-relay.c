/* test-daemon-relay.c — aqueductd relaying the outbox to a provider the test runs on loopback
 *
 * The provider is a loopback server (aq_test_http_server_new) that records every request's
 * idempotency key and misbehaves on cue, by the message's text: "FAIL2" answers 500 to the
 * first two attempts, "HANG1" answers the first one only after the daemon's timeout, "REJECT"
 * answers 400, "DOWN" answers 503 forever. Everything else is accepted with id "p-KEY".
 */
#include "aq-test-util.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* ---- the provider ---- */

typedef struct
{
  AqTestHttpServer *http;      /* records the requests */
  guint         port;

  GMutex        lock;
  GHashTable   *seen;          /* key → requests */
  GHashTable   *key_of_id;     /* message id → key it came with */
  guint         mismatches;    /* header and body keys differ, or a message changed keys */
  gboolean      authorized;    /* every request carried the configured header */
  guint         delay_ms;      /* answer every request this late */
} Provider;

/* What a request says, whichever kind of provider it was addressed to. */
typedef struct
{
  char *key;      /* the idempotency key in the body */
  char *text;
  char *id;       /* the message, as far as the body tells it */
  char *answer;   /* JSON to answer with a 200 */
} Request;

static void
request_clear (Request *r)
{
  g_free (r->key);
  g_free (r->text);
  g_free (r->id);
  g_free (r->answer);
}

/* The webhook: {id, idempotency_key, channel, to, body, campaign}. */
static gboolean
read_webhook (GBytes  *bytes,
              Request *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL))
    return FALSE;
  o = json_node_get_object (json_parser_get_root (parser));
  r->key = g_strdup (json_object_get_string_member (o, "idempotency_key"));
  r->text = g_strdup (json_object_get_string_member (o, "body"));
  r->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "id"));
  return json_object_has_member (o, "to") && json_object_has_member (o, "campaign")
         && json_object_has_member (o, "channel");
}

/* The SMS vendor: a form of phone, sign, template, content, out_id; answers {code, biz_id}. */
static gboolean
read_sms (GBytes  *bytes,
          Request *r,
          guint    n)
{
  g_autofree char *form = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) fields = soup_form_decode (form);
  gboolean ok = g_strcmp0 (g_hash_table_lookup (fields, "sign"), "市自来水") == 0
                && g_strcmp0 (g_hash_table_lookup (fields, "template"), "SMS_01") == 0
                && g_str_has_prefix (g_hash_table_lookup (fields, "phone"), "138");

  r->key = g_strdup (g_hash_table_lookup (fields, "out_id"));
  r->text = g_strdup (g_hash_table_lookup (fields, "content"));
  r->id = g_strdup (g_hash_table_lookup (fields, "phone"));
  if (strstr (r->text, "REJECT"))
    r->answer = g_strdup ("{\"code\":\"isv.MOBILE_NUMBER_ILLEGAL\",\"message\":\"bad number\"}");
  else if (strstr (r->text, "BUSY1") && n == 1)
    r->answer = g_strdup ("{\"code\":\"isv.BUSINESS_LIMIT_CONTROL\",\"message\":\"slow down\"}");
  else
    r->answer = g_strdup_printf ("{\"code\":\"OK\",\"biz_id\":\"b-%s\"}", r->key);
  return ok;
}

/* WeChat: {touser, template_id, data: {content: {value}}, client_msg_id}; answers
 * {errcode, errmsg, msgid}. */
static gboolean
read_wechat (GBytes  *bytes,
             Request *r,
             guint    n)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o, *data;
  gboolean ok;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL))
    return FALSE;
  o = json_node_get_object (json_parser_get_root (parser));
  data = json_object_get_object_member (o, "data");
  ok = g_strcmp0 (json_object_get_string_member (o, "template_id"), "TPL-OUTAGE") == 0
       && g_str_has_prefix (json_object_get_string_member (o, "touser"), "o");
  r->key = g_strdup (json_object_get_string_member (o, "client_msg_id"));
  r->text = g_strdup (json_object_get_string_member (json_object_get_object_member (data,
                                                                                   "content"),
                                                     "value"));
  r->id = g_strdup (json_object_get_string_member (o, "touser"));
  if (strstr (r->text, "REJECT"))
    r->answer = g_strdup ("{\"errcode\":43004,\"errmsg\":\"require subscribe\"}");
  else if (strstr (r->text, "BUSY1") && n == 1)
    r->answer = g_strdup ("{\"errcode\":-1,\"errmsg\":\"system error\"}");
  else
    r->answer = g_strdup_printf ("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":%s}",
                                 r->key + strlen ("w-"));
  return ok;
}

static void
provider_cb (AqTestRequest *req,
             gpointer       user_data)
{
  Provider *p = user_data;
  const char *header = req->idempotency_key;
  const char *known;
  Request r = { 0 };
  gboolean well_formed;
  guint n, delay;

  if (!g_str_equal (req->path, "/send") && !g_str_equal (req->path, "/sms")
      && !g_str_equal (req->path, "/wechat"))
    {
      req->status = 404;
      return;
    }
  g_mutex_lock (&p->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (p->seen, header ? header : "")) + 1;
  if (g_str_equal (req->path, "/sms"))
    well_formed = read_sms (req->body, &r, n);
  else if (g_str_equal (req->path, "/wechat"))
    well_formed = read_wechat (req->body, &r, n);
  else
    well_formed = read_webhook (req->body, &r);
  if (!well_formed || g_strcmp0 (header, r.key) != 0)
    p->mismatches++;
  if (r.key == NULL || r.text == NULL || r.id == NULL)
    {
      g_mutex_unlock (&p->lock);
      request_clear (&r);
      req->status = 400;
      g_clear_pointer (&req->answer, g_free);
      return;
    }
  if (g_str_equal (req->path, "/send") && g_strcmp0 (req->authorization, "Bearer test-token") != 0)
    p->authorized = FALSE;
  known = g_hash_table_lookup (p->key_of_id, r.id);
  if (known && !g_str_equal (known, r.key))
    p->mismatches++;
  else if (!known)
    g_hash_table_insert (p->key_of_id, g_strdup (r.id), g_strdup (r.key));
  g_hash_table_insert (p->seen, g_strdup (r.key), GUINT_TO_POINTER (n));
  delay = p->delay_ms;
  g_mutex_unlock (&p->lock);

  if ((strstr (r.text, "FAIL2") && n <= 2) || strstr (r.text, "DOWN"))
    req->status = strstr (r.text, "DOWN") ? 503 : 500;
  else if (strstr (r.text, "REJECT") && r.answer == NULL)
    req->status = 400;
  else if (strstr (r.text, "HANG1") && n == 1)
    delay = 6000;   /* well past the daemon's 3 s timeout */
  g_free (req->answer);
  if (req->status != 200)
    req->answer = g_strdup ("{\"error\":\"on cue\"}");
  else if (r.answer)
    req->answer = g_strdup (r.answer);
  else
    req->answer = g_strdup_printf ("{\"id\":\"p-%s\"}", r.key);
  req->delay_ms = delay;
  request_clear (&r);
}

static Provider *
provider_start (void)
{
  Provider *p = g_new0 (Provider, 1);

  g_mutex_init (&p->lock);
  p->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->key_of_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->authorized = TRUE;
  p->http = aq_test_http_server_new (provider_cb, p);
  p->port = aq_test_http_server_get_port (p->http);
  return p;
}

static guint
provider_seen (Provider   *p,
               const char *key)
{
  guint n;

  g_mutex_lock (&p->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (p->seen, key));
  g_mutex_unlock (&p->lock);
  return n;
}

static guint
provider_requests (Provider *p)
{
  return aq_test_http_server_count (p->http);
}

static GHashTable *
provider_snapshot (Provider *p)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&p->lock);
  g_hash_table_iter_init (&iter, p->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), value);
  g_mutex_unlock (&p->lock);
  return copy;
}

static void
provider_stop (Provider *p)
{
  /* answers still scheduled (a HANG1 being late) go away with the server */
  aq_test_http_server_free (p->http);
  g_hash_table_unref (p->seen);
  g_hash_table_unref (p->key_of_id);
  g_mutex_clear (&p->lock);
  g_free (p);
}

/* ---- the daemon ---- */

/* What the tests' providers sign their receipts with (each provider has its own in real use) */
#define RECEIPT_SECRET "test-receipt-secret-0123"

typedef AqTestDaemon Daemon;

static char *
write_config (const char *name,
              Provider   *p,
              guint       daily_limit,
              const char *extra)   /* more keys of [provider.hook] */
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *text = g_strdup_printf (
    "[relay]\n"
    "batch-size=100\n"
    "lease-seconds=6\n"
    "max-attempts=3\n"
    "backoff-base-ms=50\n"
    "backoff-cap-ms=300\n"
    "poll-interval-ms=100\n"
    "[limits]\n"
    "recipient-daily-limit=%u\n"
    "[provider.hook]\n"
    "type=webhook\n"
    "url=http://127.0.0.1:%u/send\n"
    "timeout=3\n"
    "concurrency=8\n"
    "channels=sms;wechat\n"
    "headers=Authorization: Bearer test-token\n"
    "receipt-secret=" RECEIPT_SECRET "\n"
    "%s", daily_limit, p->port, extra ? extra : "");
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
daemon_start (Daemon     *d,
              const char *database_url,
              const char *config)
{
  aq_test_daemon_start (d, database_url, config, NULL, FALSE);
}

/* A request; @secret (nullable) signs the body as a provider signs a receipt, @bearer
 * (nullable) goes as "Authorization: Bearer …". */
static char *
http_with (Daemon     *d,
           const char *method,
           const char *path,
           const char *body,
           const char *secret,
           const char *bearer,
           guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (d->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (secret)
    {
      g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                         (const guchar *) secret,
                                                         strlen (secret), body ? body : "", -1);
      g_autofree char *signature = g_strconcat ("sha256=", hmac, NULL);

      soup_message_headers_replace (headers, "X-Aqueduct-Signature", signature);
    }
  if (bearer)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* Receipts signed with the tests' secret. */
static char *
http (Daemon     *d,
      const char *method,
      const char *path,
      const char *body,
      guint      *out_status)
{
  return http_with (d, method, path, body,
                    g_str_has_prefix (path, "/receipts/") ? RECEIPT_SECRET : NULL, NULL,
                    out_status);
}

/* Waits until nothing is queued or being sent; fails the test after @seconds. */
static void
wait_settled (AqDb *db,
              int   seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                  " WHERE status IN ('queued', 'sending')") > 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("messages still pending after %d s", seconds);
      g_usleep (100 * 1000);
    }
}

static void
exec (AqDb       *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* ---- tests ---- */

static void
test_deliver_retry_fail (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_config ("aqueductd-relay.conf", p, 2, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;
  Daemon d = { 0 };
  guint status = 0;
  char *body;

  /* two notices to a recipient who already had one today (limit 2): one goes, one fails;
   * they come first so that the same claim takes both */
  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  SELECT g, 'outage', 't', 'queued' FROM generate_series(1, 4) g;"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key,"
        "                            status, sent_at)"
        "  VALUES (2, 'sms', '13900000000', 'earlier', 'lim-0', 'sent', now()),"
        "         (3, 'sms', '13900000000', 'limited a', 'lim-1', 'queued', NULL),"
        "         (4, 'sms', '13900000000', 'limited b', 'lim-2', 'queued', NULL);"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, CASE WHEN g % 5 = 0 THEN 'wechat' ELSE 'sms' END,"
        "         '1380000' || lpad(g::text, 4, '0'),"
        "         CASE WHEN g <= 5 THEN 'FAIL2' WHEN g <= 8 THEN 'HANG1'"
        "              WHEN g <= 10 THEN 'REJECT' WHEN g = 11 THEN 'DOWN' ELSE 'ok' END"
        "         || ' 停水通知 ' || g,"
        "         'k-' || g"
        "    FROM generate_series(1, 500) g;"
        /* a cancelled campaign and one in quiet hours are not relayed */
        "INSERT INTO notify.campaign (campaign_id, kind, template, status, not_before)"
        "  VALUES (5, 'outage', 't', 'cancelled', NULL),"
        "         (6, 'outage', 't', 'queued', now() + interval '1 hour');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  VALUES (5, 'sms', '13700000001', 'cancelled', 'c-1'),"
        "         (6, 'sms', '13700000002', 'quiet', 'q-1');"
        );

  daemon_start (&d, conninfo, config);
  /* everything but the two held-back messages settles */
  {
    gint64 deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;

    while (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                    " WHERE status IN ('queued', 'sending')"
                                    "   AND campaign_id NOT IN (5, 6)") > 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (100 * 1000);
      }
  }

  /* 500 − 2 REJECT − 1 DOWN, + one limited, + the earlier one */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent'"), ==, 499);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'failed'"), ==, 4);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE campaign_id IN (5, 6)"
                                            "   AND status = 'queued' AND attempts = 0"), ==, 2);
  /* a campaign whose messages have all left is done; one still held back is not (2 was never
   * relayed, 5 was cancelled) */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign"
                                            " WHERE campaign_id IN (1, 3, 4) AND status = 'done'"),
                   ==, 3);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign"
                                            " WHERE campaign_id IN (2, 6) AND status = 'queued'"),
                   ==, 2);
  g_assert_cmpuint (provider_seen (p, "c-1") + provider_seen (p, "q-1"), ==, 0);

  /* the provider's id is kept for the receipts; the provider name too */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent' AND campaign_id = 1"
                                            "   AND provider = 'hook' AND sent_at IS NOT NULL"
                                            "   AND provider_msg_id = 'p-' || idempotency_key"),
                   ==, 497);
  /* REJECT: refused for good at the first answer */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE body LIKE 'REJECT%' AND status = 'failed'"
                                            "   AND attempts = 1"
                                            "   AND last_error LIKE 'hook: HTTP 400%'"), ==, 2);
  /* DOWN: retried, then given up */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE body LIKE 'DOWN%' AND status = 'failed'"
                                            "   AND attempts = 3 AND last_error LIKE"
                                            "   'gave up after 3 attempts: hook: HTTP 503%'"),
                   ==, 1);
  g_assert_cmpuint (provider_seen (p, "k-11"), ==, 3);
  /* FAIL2: two 500s, then accepted; HANG1: one timeout, then accepted */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE body LIKE 'FAIL2%' AND status = 'sent'"
                                            "   AND attempts = 3"
                                            "   AND last_error LIKE 'hook: HTTP 500%'"), ==, 5);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE body LIKE 'HANG1%' AND status = 'sent'"
                                            "   AND attempts = 2"
                                            "   AND last_error LIKE '%no answer within 3 s'"),
                   ==, 3);
  /* the daily limit: exactly one of the two went */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key IN ('lim-1', 'lim-2')"
                                            "   AND status = 'failed'"
                                            "   AND last_error LIKE 'daily limit: 2 messages%'"),
                   ==, 1);
  g_assert_cmpuint (provider_seen (p, "lim-1") + provider_seen (p, "lim-2"), ==, 1);

  /* the provider saw every key of the campaign, once unless it was retried */
  res = aq_db_query (db, "SELECT idempotency_key, attempts FROM notify.message"
                         " WHERE campaign_id = 1", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), ==, 500);
  for (int i = 0; i < PQntuples (res); i++)
    g_assert_cmpuint (provider_seen (p, PQgetvalue (res, i, 0)), ==,
                      atoi (PQgetvalue (res, i, 1)));
  g_assert_cmpuint (p->mismatches, ==, 0);
  g_assert_true (p->authorized);

  /* receipts: by our key, twice; by the provider's id, twice */
  body = http (&d, "POST", "/receipts/hook",
               "{\"idempotency_key\": \"k-20\", \"status\": \"delivered\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  assert_contains (body, "\"recorded\"");
  g_free (body);
  body = http (&d, "POST", "/receipts/hook",
               "{\"idempotency_key\": \"k-20\", \"status\": \"delivered\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  assert_contains (body, "\"duplicate\"");
  g_free (body);
  for (int i = 0; i < 2; i++)
    {
      body = http (&d, "POST", "/receipts/hook",
                   "{\"id\": \"p-k-21\", \"receipt_id\": \"r-21\", \"report_status\": \"UNDELIV\","
                   " \"err_msg\": \"MK:0001 handset off\"}", &status);
      g_assert_cmpuint (status, ==, 200);
      g_free (body);
    }
  /* a late "failed" does not undo "delivered" */
  body = http (&d, "POST", "/receipts/hook",
               "{\"idempotency_key\": \"k-20\", \"status\": \"failed\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'k-20'"
                                            "   AND status = 'delivered'"
                                            "   AND delivered_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'k-21'"
                                            "   AND status = 'failed'"
                                            "   AND last_error = 'MK:0001 handset off'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery d"
                                            " JOIN notify.message m USING (message_id)"
                                            " WHERE m.idempotency_key = 'k-20'"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"
                                            " WHERE provider = 'hook' AND receipt_id = 'r-21'"),
                   ==, 1);
  /* bad receipts change nothing */
  body = http (&d, "POST", "/receipts/hook", "delivered", &status);
  g_assert_cmpuint (status, ==, 400);
  assert_contains (body, "not valid JSON");
  g_free (body);
  body = http (&d, "POST", "/receipts/hook", "{\"status\": \"delivered\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  assert_contains (body, "idempotency_key");
  g_free (body);
  body = http (&d, "POST", "/receipts/hook", "{\"idempotency_key\": \"k-22\", \"status\": \"x\"}",
               &status);
  g_assert_cmpuint (status, ==, 400);
  assert_contains (body, "status “x”");
  g_free (body);
  body = http (&d, "POST", "/receipts/hook",
               "{\"idempotency_key\": \"nope\", \"status\": \"delivered\"}", &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (body);
  body = http (&d, "POST", "/receipts/other",
               "{\"idempotency_key\": \"k-22\", \"status\": \"delivered\"}", &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (body);
  /* k-20 delivered, k-20 failed (recorded, status unchanged), r-21 */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"), ==, 3);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'delivered'"), ==, 1);

  body = http (&d, "GET", "/metrics", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  /* 500 + 2 limited + 2 FAIL2 retries × 5 + HANG1 × 3 + DOWN × 2 */
  assert_contains (body, "\naqueduct_notify_messages_claimed_total{provider=\"hook\"} 517\n");
  assert_contains (body, "\naqueduct_notify_messages_sent_total{provider=\"hook\"} 498\n");
  assert_contains (body, "\naqueduct_notify_messages_failed_total{provider=\"hook\"} 4\n");
  assert_contains (body, "\naqueduct_notify_messages_retried_total{provider=\"hook\"} 15\n");
  assert_contains (body, "\naqueduct_notify_receipts_received_total{provider=\"hook\"} 9\n");
  assert_contains (body, "\naqueduct_notify_receipts_duplicate_total{provider=\"hook\"} 2\n");
  assert_contains (body, "\naqueduct_notify_receipts_invalid_total{provider=\"hook\"} 3\n");
  assert_contains (body, "\naqueduct_notify_receipts_unknown_total{provider=\"hook\"} 1\n");
  assert_contains (body, "_bucket{provider=\"hook\",le=\"0.05\"} ");
  assert_contains (body, "\naqueduct_notify_relay_latency_seconds_count{provider=\"hook\"} 498\n");
  assert_contains (body, "\naqueduct_notify_relay_up 1\n");
  g_free (body);

  body = http (&d, "GET", "/healthz", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  assert_contains (body, "\"relay\":{\"state\":\"running\"");
  assert_contains (body, "\"warehouse_ok\":true");
  g_free (body);

  aq_test_daemon_end (&d, SIGTERM);
  provider_stop (p);
  g_unlink (config);
}

/* The daily limit per recipient counts the utility's day: from its midnight (Asia/Shanghai
 * here, whatever the server's zone), on the daemon's clock (pinned with AQUEDUCT_NOW). With a
 * limit of 2, a recipient sent to at 09:00 and 23:50 on the 10th and at 00:05 on the 11th gets
 * nothing more at 23:58 on the 10th (2 that day: a UTC day would count 3, the real clock 0),
 * and one more at 00:02 on the 11th (1 that day). */
static void
test_daily_limit_midnight (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_config ("aqueductd-relay-midnight.conf", p, 2, NULL);
  const char *before[] = { "AQUEDUCT_TIME_ZONE", "Asia/Shanghai",
                           "AQUEDUCT_NOW", "2026-03-10T23:58:00+08:00", NULL };
  const char *after[] = { "AQUEDUCT_TIME_ZONE", "Asia/Shanghai",
                          "AQUEDUCT_NOW", "2026-03-11T00:02:00+08:00", NULL };
  Daemon d = { 0 };

  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  SELECT g, 'outage', 't', 'queued' FROM generate_series(1, 5) g;"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key,"
        "                            status, sent_at)"
        "  VALUES (1, 'sms', '13900000009', 'morning', 'day-1', 'sent',"
        "          '2026-03-10 09:00+08'),"
        "         (2, 'sms', '13900000009', 'late evening', 'day-2', 'delivered',"
        "          '2026-03-10 23:50+08'),"
        "         (3, 'sms', '13900000009', 'after midnight', 'day-3', 'sent',"
        "          '2026-03-11 00:05+08'),"
        "         (4, 'sms', '13900000009', 'at 23:58', 'mid-a', 'queued', NULL);");

  aq_test_daemon_start (&d, conninfo, config, before, FALSE);
  wait_settled (db, 40);
  aq_test_daemon_end (&d, SIGTERM);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'mid-a'"
                                            "   AND status = 'failed'"
                                            "   AND last_error LIKE 'daily limit: 2 messages%'"),
                   ==, 1);
  g_assert_cmpuint (provider_seen (p, "mid-a"), ==, 0);

  exec (db,
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  VALUES (5, 'sms', '13900000009', 'at 00:02', 'mid-b');");
  aq_test_daemon_start (&d, conninfo, config, after, FALSE);
  wait_settled (db, 40);
  aq_test_daemon_end (&d, SIGTERM);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'mid-b'"
                                            "   AND status = 'sent'"), ==, 1);
  g_assert_cmpuint (provider_seen (p, "mid-b"), ==, 1);

  provider_stop (p);
  g_unlink (config);
}

/* SIGKILL in the middle, restart as two relays side by side: nothing lost, and a message
 * posted twice is one the first relay held leased ('sending') when it died, posted once more
 * at most, with its key. How many that is depends on the load (the requests in flight and the
 * outcomes not yet written when the kill lands: 15 to 24 have been seen), so the test checks
 * which messages they are, never a count. */
static void
test_sigkill_restart (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_config ("aqueductd-relay-kill.conf", p, 0, NULL);
  g_autoptr(GHashTable) at_kill = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) leased = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  Daemon a = { 0 }, b = { 0 }, c = { 0 };
  guint twice = 0;

  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  VALUES (1, 'outage', 't', 'queued');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, 'sms', '1380000' || lpad(g::text, 4, '0'), 'notice ' || g, 'k-' || g"
        "    FROM generate_series(1, 400) g;");
  p->delay_ms = 30;

  daemon_start (&a, conninfo, config);
  aq_test_http_server_wait (p->http, 60, 60, "before the SIGKILL");
  aq_test_daemon_end (&a, SIGKILL);
  at_kill = provider_snapshot (p);
  /* something was leased and unfinished when it died: what the relay may post again.
   * Read after the kill, so it can only be too wide (a commit still landing), never too narrow:
   * a message is leased before it is posted. */
  res = aq_db_query (db, "SELECT idempotency_key FROM notify.message WHERE status = 'sending'",
                     0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_add (leased, g_strdup (PQgetvalue (res, i, 0)));
  g_assert_cmpuint (g_hash_table_size (leased), >, 0);

  p->delay_ms = 5;
  daemon_start (&b, conninfo, config);
  daemon_start (&c, conninfo, config);
  wait_settled (db, 40);

  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent'"), ==, 400);
  after = provider_snapshot (p);
  g_assert_cmpuint (g_hash_table_size (after), ==, 400);
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (GPOINTER_TO_UINT (value) == 1)
        continue;
      /* only a message leased by the dead relay goes twice, and only once more (a request
       * still on its way when the relay died may reach the provider after the snapshot, so
       * "seen before the kill" is not asked) */
      if (!g_hash_table_contains (leased, key))
        g_error ("%s was posted %u times but was not leased when the relay died",
                 (char *) key, GPOINTER_TO_UINT (value));
      g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 2);
      twice++;
    }
  g_test_message ("%u of the %u messages leased at the kill (%u requests seen by then) were "
                  "posted again", twice, g_hash_table_size (leased), g_hash_table_size (at_kill));
  g_assert_cmpuint (twice, <=, g_hash_table_size (leased));
  /* … and with the key the message had the first time */
  g_assert_cmpuint (p->mismatches, ==, 0);

  /* both relays worked */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(DISTINCT lease_owner)"
                                            " FROM notify.message"
                                            " WHERE lease_owner IS NOT NULL"), >=, 2);

  aq_test_daemon_end (&b, SIGTERM);
  aq_test_daemon_end (&c, SIGTERM);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sending'"), ==, 0);
  provider_stop (p);
  g_unlink (config);
}

/* The warehouse drops the relay's connection mid-run: the statement that failed is retried on
 * a new connection, the results waiting to be written are kept, nothing is lost. */
static void
test_warehouse_connection_lost (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_config ("aqueductd-relay-lost.conf", p, 0, NULL);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  Daemon d = { 0 };
  gint64 terminated = 0;
  guint status = 0;
  char *body;

  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  VALUES (1, 'outage', 't', 'queued');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, 'sms', '1380000' || lpad(g::text, 4, '0'), 'notice ' || g, 'k-' || g"
        "    FROM generate_series(1, 300) g;");
  p->delay_ms = 20;

  daemon_start (&d, conninfo, config);
  aq_test_http_server_wait (p->http, 50, 60, "before the connections are cut");
  aq_db_query_int64 (db, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                         " WHERE datname = 't_relay' AND pid <> pg_backend_pid()", 0, NULL,
                     &terminated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (terminated, >=, 1);
  wait_settled (db, 30);

  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent'"), ==, 300);
  seen = provider_snapshot (p);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 300);
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value), <=, 2);
  g_assert_cmpuint (p->mismatches, ==, 0);

  body = http (&d, "GET", "/metrics", NULL, &status);
  g_assert_null (strstr (body, "\naqueduct_notify_warehouse_errors_total 0\n"));
  assert_contains (body, "\naqueduct_notify_messages_sent_total{provider=\"hook\"} ");
  g_free (body);
  body = http (&d, "GET", "/healthz", NULL, &status);
  assert_contains (body, "\"warehouse_ok\":true");
  assert_contains (body, "\"last_error\":");
  g_free (body);

  aq_test_daemon_end (&d, SIGTERM);
  provider_stop (p);
  g_unlink (config);
}

/* A rate-limited provider keeps messages waiting; SIGTERM gives their leases back at once
 * (their attempt not counted) and lets the requests in flight finish. */
static void
test_rate_limit_and_graceful_stop (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  /* rate 20/s: the bucket lets 20 go at once, then one every 50 ms */
  g_autofree char *config = write_config ("aqueductd-relay-stop.conf", p, 2, "rate=20\n");
  Daemon d = { 0 };
  gint64 first;
  double seconds;
  guint posted;

  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  VALUES (1, 'outage', 't', 'queued');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, 'sms', '1380000' || lpad(g::text, 4, '0'), 'notice ' || g, 'k-' || g"
        "    FROM generate_series(1, 200) g;");
  p->delay_ms = 100;

  daemon_start (&d, conninfo, config);
  aq_test_http_server_wait (p->http, 1, 60, "the first request");
  first = g_get_monotonic_time ();
  g_usleep (G_USEC_PER_SEC);
  aq_test_daemon_end (&d, SIGTERM);
  posted = provider_requests (p);
  seconds = (g_get_monotonic_time () - first) / 1e6;

  /* 20 at once, then 20 a second, and a few for the test's own timing */
  g_test_message ("%u posted in %.2f s", posted, seconds);
  g_assert_cmpuint (posted, >=, 20);
  g_assert_cmpuint (posted, <=, 20 + 20 * seconds + 5);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sending'"), ==, 0);
  /* every request that went out got its answer recorded */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent'"), ==, posted);
  /* the rest is queued again as if never touched */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'queued' AND attempts = 0"
                                            "   AND lease_owner IS NULL"), ==, 200 - posted);
  provider_stop (p);
  g_unlink (config);
}

/* The SMS-vendor and WeChat adapters: their request formats, their refusal codes (for good,
 * or worth another attempt), their ids for the receipts. */
static void
test_sms_and_wechat (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  g_autofree char *config = g_build_filename (g_get_tmp_dir (), "aqueductd-adapters.conf",
                                              NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Provider *p = provider_start ();
  Daemon d = { 0 };
  guint status = 0;
  char *body;

  text = g_strdup_printf ("[relay]\nlease-seconds=6\nmax-attempts=3\nbackoff-base-ms=50\n"
                          "backoff-cap-ms=100\npoll-interval-ms=100\n"
                          "[provider.sms]\ntype=sms\nurl=http://127.0.0.1:%u/sms\ntimeout=3\n"
                          "sign=市自来水\ntemplate=SMS_01\nreceipt-secret=" RECEIPT_SECRET "\n"
                          "[provider.wx]\ntype=wechat\nurl=http://127.0.0.1:%u/wechat\n"
                          "timeout=3\ntemplate-id=TPL-OUTAGE\nreceipt-secret=" RECEIPT_SECRET
                          "\n", p->port, p->port);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
        "  VALUES (1, 'outage', 't', 'queued');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, 'sms', '1380000' || lpad(g::text, 4, '0'),"
        "         CASE g WHEN 1 THEN 'REJECT' WHEN 2 THEN 'BUSY1' ELSE 'ok' END || ' 停水',"
        "         's-' || g"
        "    FROM generate_series(1, 20) g;"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  SELECT 1, 'wechat', 'oWx' || g,"
        "         CASE g WHEN 1 THEN 'REJECT' WHEN 2 THEN 'BUSY1' ELSE 'ok' END || ' 停水',"
        "         'w-' || (900000 + g)"
        "    FROM generate_series(1, 20) g;");

  daemon_start (&d, conninfo, config);
  wait_settled (db, 30);

  g_assert_cmpuint (p->mismatches, ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent' AND channel = 'sms'"
                                            "   AND provider = 'sms'"
                                            "   AND provider_msg_id = 'b-' || idempotency_key"),
                   ==, 19);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE status = 'sent' AND channel = 'wechat'"
                                            "   AND provider = 'wx' AND provider_msg_id"
                                            "       = substr(idempotency_key, 3)"), ==, 19);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 's-1' AND status = 'failed'"
                                            "   AND attempts = 1 AND last_error"
                                            "   = 'sms: SMS vendor refused: "
                                            "isv.MOBILE_NUMBER_ILLEGAL bad number'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'w-900001'"
                                            "   AND status = 'failed' AND attempts = 1"
                                            "   AND last_error = 'wx: WeChat refused: "
                                            "errcode 43004 require subscribe'"), ==, 1);
  /* flow control and "system error" are worth a second attempt */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key IN ('s-2', 'w-900002')"
                                            "   AND status = 'sent' AND attempts = 2"), ==, 2);
  g_assert_cmpuint (provider_seen (p, "s-2"), ==, 2);
  g_assert_cmpuint (provider_seen (p, "w-900002"), ==, 2);
  g_assert_cmpuint (provider_seen (p, "s-3"), ==, 1);

  /* receipts in the vendors' own words, matched by their ids */
  body = http (&d, "POST", "/receipts/wx", "{\"MsgID\": 900003, \"Status\": \"success\"}",
               &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  body = http (&d, "POST", "/receipts/sms",
               "{\"biz_id\": \"b-s-4\", \"report_status\": \"DELIVRD\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  body = http (&d, "POST", "/receipts/sms",
               "{\"out_id\": \"s-5\", \"report_status\": \"FAIL\", \"err_code\": \"MK:0004\"}",
               &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE (idempotency_key IN ('w-900003', 's-4')"
                                            "        AND status = 'delivered')"
                                            "    OR (idempotency_key = 's-5'"
                                            "        AND status = 'failed'"
                                            "        AND last_error = 'MK:0004')"), ==, 3);

  aq_test_daemon_end (&d, SIGTERM);
  provider_stop (p);
  g_unlink (config);
}

/* ---- receipts that cannot be forged, crash the daemon or get lost ---- */

#define HOOK_SECRET "hook-receipt-secret-aaaa"
#define WX_SECRET "wx-receipt-secret-bbbbbb"

static gint64
status_is (AqDb       *db,
           const char *key,
           const char *status)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM notify.message"
                                          " WHERE idempotency_key = '%s' AND status = '%s'",
                                          key, status);

  return aq_test_query_int64 (db, sql);
}

/* A message's status, waiting (up to @seconds) until it is @status. */
static void
wait_status (AqDb       *db,
             const char *key,
             const char *status,
             int         seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (status_is (db, key, status) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("message %s not %s after %d s", key, status, seconds);
      g_usleep (50 * 1000);
    }
}

/* Two providers, each with its own secret: hook carries sms, wx (a webhook too) wechat. */
static char *
write_trust_config (Provider *p)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "aqueductd-trust.conf", NULL);
  g_autofree char *text = g_strdup_printf (
    "[relay]\nbatch-size=100\nlease-seconds=6\nmax-attempts=3\nbackoff-base-ms=50\n"
    "backoff-cap-ms=300\npoll-interval-ms=100\n"
    "[provider.hook]\ntype=webhook\nurl=http://127.0.0.1:%u/send\ntimeout=3\nchannels=sms\n"
    "receipt-secret=" HOOK_SECRET "\n"
    "[provider.wx]\ntype=webhook\nurl=http://127.0.0.1:%u/send\ntimeout=3\nchannels=wechat\n"
    "receipt-secret=" WX_SECRET "\n", p->port, p->port);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
expect (Daemon     *d,
        const char *path,
        const char *body,
        const char *secret,
        const char *bearer,
        guint       status,
        const char *says)
{
  guint got = 0;
  g_autofree char *answer = http_with (d, "POST", path, body, secret, bearer, &got);

  g_test_message ("%s → %u %s", path, got, answer);
  g_assert_cmpuint (got, ==, status);
  if (says)
    assert_contains (answer, says);
}

static void
test_receipts_trust (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_trust_config (p);
  g_autofree char *open = g_strnfill (100000, '[');
  g_autofree char *close = g_strnfill (100000, ']');
  g_autofree char *deep = g_strconcat (open, close, NULL);
  g_autofree char *long_id = g_strnfill (2800, 'r');
  g_autofree char *long_receipt = g_strdup_printf ("{\"idempotency_key\": \"k-1\","
                                                   " \"status\": \"delivered\","
                                                   " \"receipt_id\": \"%s\"}", long_id);
  g_autoptr(GString) big = g_string_new ("{\"idempotency_key\": \"k-1\", \"detail\": \"");
  g_autofree char *body = NULL;
  Daemon d = { 0 };
  guint status = 0;

  exec (db,
        "INSERT INTO notify.campaign (campaign_id, kind, template, status, not_before)"
        "  VALUES (1, 'outage', 't', 'queued', NULL),"
        "         (2, 'outage', 't', 'queued', now() + interval '1 hour');"
        "INSERT INTO notify.message (campaign_id, channel, recipient, body, idempotency_key)"
        "  VALUES (1, 'sms', '13800000001', 'ok 1', 'k-1'),"
        "         (1, 'wechat', 'oWx2', 'ok 2', 'k-2'),"
        "         (2, 'sms', '13800000003', 'ok 3', 'k-3');");
  daemon_start (&d, conninfo, config);
  wait_status (db, "k-1", "sent", 30);
  wait_status (db, "k-2", "sent", 30);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'k-1'"
                                            "   AND provider = 'hook'"), ==, 1);

  /* forged: wx's own secret, but k-1 went out through hook */
  expect (&d, "/receipts/wx", "{\"idempotency_key\": \"k-1\", \"status\": \"failed\"}",
          WX_SECRET, NULL, 403, "not this provider's");
  /* unsigned, signed with another provider's secret, a wrong bearer */
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-1\", \"status\": \"failed\"}",
          NULL, NULL, 401, "not signed");
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-1\", \"status\": \"failed\"}",
          WX_SECRET, NULL, 401, "not signed");
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-1\", \"status\": \"failed\"}",
          NULL, WX_SECRET, 401, "not signed");
  /* bad bodies, signed: 4xx with a plain message, never a warehouse error */
  expect (&d, "/receipts/hook", long_receipt, HOOK_SECRET, NULL, 400,
          "receipt_id is longer than 256 bytes");
  expect (&d, "/receipts/hook", deep, HOOK_SECRET, NULL, 400, "nests deeper than 128");
  for (guint i = 0; i < 110; i++)
    g_string_append (big, long_id);   /* 308 KB */
  g_string_append (big, "\", \"status\": \"failed\"}");
  expect (&d, "/receipts/hook", big->str, HOOK_SECRET, NULL, 413, "at most 256 KiB");
  /* …and the daemon is still there */
  body = http (&d, "GET", "/healthz", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, g_free);
  /* nothing of it was recorded or changed */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"), ==, 0);
  g_assert_cmpint (status_is (db, "k-1", "sent") + status_is (db, "k-2", "sent"), ==, 2);

  /* early: k-3 waits for its quiet hours; its receipt is kept, not applied; one posted to
   * the provider that does not carry its channel is refused */
  expect (&d, "/receipts/wx", "{\"idempotency_key\": \"k-3\", \"status\": \"delivered\"}",
          WX_SECRET, NULL, 403, "not this provider's");
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-3\", \"status\": \"delivered\"}",
          HOOK_SECRET, NULL, 202, "kept");
  g_assert_cmpint (status_is (db, "k-3", "queued"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"
                                            " WHERE applied_at IS NULL"), ==, 1);
  /* the quiet hours end: it is sent, and the receipt that waited for it is applied */
  exec (db, "UPDATE notify.campaign SET not_before = NULL WHERE campaign_id = 2");
  wait_status (db, "k-3", "delivered", 30);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"
                                            " WHERE idempotency_key = 'k-3'"
                                            "   AND provider = 'hook' AND sent_at IS NOT NULL"
                                            "   AND delivered_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"
                                            " WHERE applied_at IS NULL"), ==, 0);
  /* the provider pushes it again: a duplicate, not a second delivery */
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-3\", \"status\": \"delivered\"}",
          HOOK_SECRET, NULL, 200, "duplicate");

  /* the right secret as a bearer works too */
  expect (&d, "/receipts/hook", "{\"idempotency_key\": \"k-1\", \"status\": \"delivered\"}",
          NULL, HOOK_SECRET, 200, "recorded");
  g_assert_cmpint (status_is (db, "k-1", "delivered"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"), ==, 2);

  body = http (&d, "GET", "/metrics", NULL, &status);
  assert_contains (body, "\naqueduct_notify_receipts_refused_total{provider=\"hook\"} 3\n");
  assert_contains (body, "\naqueduct_notify_receipts_refused_total{provider=\"wx\"} 2\n");
  assert_contains (body, "\naqueduct_notify_receipts_invalid_total{provider=\"hook\"} 3\n");
  assert_contains (body, "\naqueduct_notify_receipts_pending_total{provider=\"hook\"} 1\n");
  g_clear_pointer (&body, g_free);

  aq_test_daemon_end (&d, SIGTERM);
  provider_stop (p);
  g_unlink (config);
}

/* A 50 MB receipt, streamed (no Content-Length): /healthz answers while it is still coming,
 * and the receipt gets 413 without the daemon keeping it. */
typedef struct
{
  const char   *base;
  GInputStream *in;
  guint         status;
  gboolean      done;
} Upload;

static gpointer
upload_thread (gpointer user_data)
{
  Upload *u = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *uri = g_strconcat (u->base, "/receipts/hook", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", 120, NULL);
  soup_message_set_request_body (msg, "application/json", u->in, -1);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (error)
    g_test_message ("upload: %s", error->message);
  u->status = soup_message_get_status (msg);
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&u->done, TRUE);
  return NULL;
}

static void
test_receipt_huge_body (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_relay");
  Provider *p = provider_start ();
  g_autofree char *config = write_config ("aqueductd-huge.conf", p, 0, NULL);
  g_autofree char *chunk = g_strnfill (1024 * 1024, ' ');
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  Upload u = { 0 };
  GThread *thread;
  Daemon d = { 0 };
  guint status = 0;
  char *body;
  int fds[2];

  daemon_start (&d, conninfo, config);
  g_assert_cmpint (pipe (fds), ==, 0);
  u.base = d.base;
  u.in = g_unix_input_stream_new (fds[0], TRUE);
  out = g_unix_output_stream_new (fds[1], TRUE);
  thread = g_thread_new ("upload", upload_thread, &u);

  /* the first of 50 MB is on its way… */
  g_output_stream_write_all (out, "{\"detail\": \"", 12, NULL, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 2; i++)
    {
      g_output_stream_write_all (out, chunk, strlen (chunk), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  /* …and the daemon answers others meanwhile */
  body = http (&d, "GET", "/healthz", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  assert_contains (body, "\"status\":\"ok\"");
  g_free (body);
  g_assert_false (g_atomic_int_get (&u.done));
  for (int i = 2; i < 50; i++)
    {
      g_output_stream_write_all (out, chunk, strlen (chunk), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_write_all (out, "\"}", 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  g_thread_join (thread);
  g_object_unref (u.in);
  g_assert_cmpuint (u.status, ==, 413);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.delivery"), ==, 0);

  body = http (&d, "GET", "/healthz", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  aq_test_daemon_end (&d, SIGTERM);
  provider_stop (p);
  g_unlink (config);
}

static void
test_bad_relay_config (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "aqueductd-bad-relay.conf", NULL);
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--config", path, NULL };
  const struct { const char *text, *message; } cases[] = {
    { "[provider.fax]\ntype=fax\nurl=http://127.0.0.1/\n", "[provider.fax] type must be" },
    { "[provider.hook]\ntype=webhook\n", "[provider.hook] url must be an http(s) URL" },
    { "[provider.hook]\ntype=webhook\nurl=http://x/\nchannels=sms;fax\n", "“fax” is not" },
    { "[relay]\nbatch-size=0\n", "[relay] batch-size=0 is out of range" },
    { "[relay]\nlease-seconds=5\n[provider.hook]\ntype=webhook\nurl=http://x/\ntimeout=10\n",
      "lease-seconds=5 must be at least twice" },
    /* 500 messages at 10 a second take 50 s: a 30 s lease would expire under the relay */
    { "[relay]\nbatch-size=500\nlease-seconds=30\n"
      "[provider.hook]\ntype=webhook\nurl=http://x/\ntimeout=3\nrate=10\n",
      "lease-seconds=30 is shorter than batch-size=500 at [provider.hook] rate=10 (50 s)" },
    { "[provider.wx]\ntype=wechat\nurl=https://x/\n", "needs template-id" },
    { "[provider.a b]\ntype=webhook\nurl=http://x/\n", "[provider.a b] needs a name of letters" },
    { "[limits]\nrecipient-daily-limit=-1\n", "[limits] recipient-daily-limit=-1 is out of range" },
    { "[provider.hook]\ntype=webhook\nurl=http://x/\nreceipt-secret=short\n",
      "[provider.hook] receipt-secret must be at least 16 characters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      g_file_set_contents (path, cases[i].text, -1, &error);
      g_assert_no_error (error);
      g_free (aq_test_run_command (argv, NULL, &status, &err));
      g_assert_cmpint (status, ==, 2);
      assert_contains (err, cases[i].message);
    }
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *admin_info = NULL;
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/daemon-relay/deliver-retry-fail", test_deliver_retry_fail);
  g_test_add_func ("/daemon-relay/sigkill-restart", test_sigkill_restart);
  g_test_add_func ("/daemon-relay/warehouse-connection-lost", test_warehouse_connection_lost);
  g_test_add_func ("/daemon-relay/rate-limit-graceful-stop", test_rate_limit_and_graceful_stop);
  g_test_add_func ("/daemon-relay/sms-wechat", test_sms_and_wechat);
  g_test_add_func ("/daemon-relay/bad-config", test_bad_relay_config);
  g_test_add_func ("/daemon-relay/receipts-trust", test_receipts_trust);
  g_test_add_func ("/daemon-relay/receipt-huge-body", test_receipt_huge_body);
  g_test_add_func ("/daemon-relay/daily-limit-midnight", test_daily_limit_midnight);
  status = g_test_run ();

  /* the tests share one database, made afresh by each; it goes when they are done, so the
   * run's cluster has that many fewer files to delete */
  admin_info = aq_test_conninfo ("postgres");
  admin = aq_db_connect (admin_info, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, "DROP DATABASE IF EXISTS t_relay WITH (FORCE)", &error);
  g_assert_no_error (error);
  return status;
}
