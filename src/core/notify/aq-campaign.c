/* aq-campaign.c — an outage notice: template, review, quiet hours, the outbox, progress
 *
 * The outbox rows are written by one INSERT … SELECT in the same transaction as the campaign:
 * a notice is either wholly queued or not at all, and a 100,000-recipient notice costs one
 * statement, not 100,000 round trips. The body differs per recipient only by {community}, so
 * the template is rendered here once and split at {community}; the warehouse joins the pieces
 * with each recipient's community (array_to_string), which gives the same text as
 * aq_template_render() without a function call per row. The UNIQUE (campaign_id, channel,
 * recipient) makes a second enqueue a no-op; the idempotency key is the column's default, a
 * random one kept with the message (migration 011), never derived from the recipient.
 */
#define G_LOG_DOMAIN "aq-campaign"

#include "config.h"

#include "aq-campaign.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-outage.h"
#include "aq-phone.h"
#include "aq-template-private.h"


/* $2: the outage. One row per (channel, recipient): the first affected account by id. The
 * accounts are joined once and each customer gives one row per channel it has. The sort is
 * by bytes (COLLATE "C"): numbers and openids need no linguistic order, and it is the
 * biggest sort of a notice. (GROUP BY with min(account_id) avoids the sort but is estimated
 * at 2 groups, and the planner then joins 100,000 rows by index lookups.) */
#define RECIPIENTS_OF_OUTAGE \
  "SELECT DISTINCT ON (v.channel, v.recipient COLLATE \"C\") v.channel, v.recipient," \
  "       a.account_id," \
  "       coalesce(cm.name, d.name, '') AS community" \
  " FROM notify.outage_account oa" \
  " JOIN dw.dim_account a ON a.account_id = oa.account_id" \
  " JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  " CROSS JOIN LATERAL (VALUES ('sms'::text, c.mobile), ('wechat'::text, c.wechat_openid))" \
  "   AS v (channel, recipient)" \
  " LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code" \
  " LEFT JOIN dw.dim_district d ON d.district_code = a.district_code" \
  " WHERE oa.outage_id = $2::bigint AND v.recipient IS NOT NULL" \
  " ORDER BY v.channel, v.recipient COLLATE \"C\", a.account_id"

/* $2: the first notice's campaign: exactly its (channel, recipient) pairs. */
#define RECIPIENTS_OF_CAMPAIGN \
  "SELECT m.channel, m.recipient, m.account_id, coalesce(cm.name, d.name, '') AS community" \
  " FROM notify.message m" \
  " LEFT JOIN dw.dim_account a ON a.account_id = m.account_id" \
  " LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code" \
  " LEFT JOIN dw.dim_district d ON d.district_code = a.district_code" \
  " WHERE m.campaign_id = $2::bigint" \
  " ORDER BY m.channel, m.recipient"

/* $1 campaign, $2 source, $3 the body's pieces around {community}, $4 not before, $5 now
 * (aq_clock_now(), so a pinned clock decides when the messages are due, not the server's) */
#define ENQUEUE(recipients) \
  "INSERT INTO notify.message (campaign_id, account_id, channel, recipient, body," \
  "  next_attempt_at)" \
  " SELECT $1::bigint, r.account_id, r.channel, r.recipient," \
  "        array_to_string($3::text[], r.community)," \
  "        coalesce($4::timestamptz, $5::timestamptz)" \
  " FROM (" recipients ") r" \
  " ON CONFLICT DO NOTHING"

#define STATUS_SQL \
  "SELECT c.campaign_id, c.outage_id, c.kind, c.status, c.template, c.created_by," \
  "       c.reviewed_by, c.not_before," \
  "       count(m.message_id) FILTER (WHERE m.status = 'queued')," \
  "       count(m.message_id) FILTER (WHERE m.status = 'sending')," \
  "       count(m.message_id) FILTER (WHERE m.status = 'sent')," \
  "       count(m.message_id) FILTER (WHERE m.status = 'delivered')," \
  "       count(m.message_id) FILTER (WHERE m.status = 'failed')," \
  "       count(m.message_id)," \
  "       count(m.message_id) FILTER (WHERE m.channel = 'sms')," \
  "       count(m.message_id) FILTER (WHERE m.channel = 'wechat')," \
  "       count(m.message_id) FILTER (WHERE m.status = 'cancelled')" \
  " FROM notify.campaign c LEFT JOIN notify.message m ON m.campaign_id = c.campaign_id"

/* ---- auxiliary methods ---- */

/* A text[] literal: every element quoted, " and \ escaped. */
static char *
array_literal (GPtrArray *pieces)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < pieces->len; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *p = g_ptr_array_index (pieces, i); *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static char *
time_param (GDateTime *time)
{
  return time ? g_date_time_format_iso8601 (time) : NULL;
}

static GDateTime *
parse_time (const char *text)
{
  g_autofree char *iso = g_strdup (text);

  if (iso[0] && strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, NULL);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Names compared as typed, give or take surrounding blanks. */
static gboolean
same_person (const char *a,
             const char *b)
{
  g_autofree char *x = g_strstrip (g_strdup (a ? a : ""));
  g_autofree char *y = g_strstrip (g_strdup (b ? b : ""));

  return g_strcmp0 (x, y) == 0;
}

/* The not_before of a campaign for @outage enqueued at @now (aq_clock_now() or the spec's):
 * NULL when it may leave now. */
static GDateTime *
not_before_for (AqOutage            *outage,
                const AqQuietHours  *rule,
                GDateTime           *now)
{
  AqQuietHours defaults;
  g_autoptr(GDateTime) earliest = NULL;

  if (g_strcmp0 (outage->kind, "planned") != 0)
    return NULL;
  if (rule == NULL)
    {
      aq_quiet_hours_init_default (&defaults);
      rule = &defaults;
    }
  earliest = aq_quiet_hours_apply (rule, now);
  if (g_date_time_compare (earliest, now) <= 0)
    return NULL;
  return g_steal_pointer (&earliest);
}

/* In the caller's transaction: FALSE when the outage already has a queued notice of @kind
 * ("outage" and "restored" go out once per outage; "update" as often as needed). The outage's
 * row is locked first, so two people pressing Send at once cannot both pass. */
static gboolean
check_once (AqDb        *db,
            gint64       outage_id,
            gint64       campaign_id,
            const char  *kind,
            GError     **error)
{
  g_autofree char *oid = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  g_autofree char *cid = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  const char *params[] = { oid, kind, cid };
  g_autoptr(PGresult) lock = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_strcmp0 (kind, "update") == 0)
    return TRUE;
  lock = aq_db_query (db, "SELECT 1 FROM notify.outage WHERE outage_id = $1 FOR UPDATE",
                      1, params, error);
  if (lock == NULL)
    return FALSE;
  other = aq_db_query_string (db, "SELECT min(campaign_id) FROM notify.campaign"
                                  " WHERE outage_id = $1 AND kind = $2"
                                  "   AND status IN ('queued', 'done') AND campaign_id <> $3",
                              3, params, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (other != NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Outage %s already has this notice (campaign %s): send an update instead"),
                   oid, other);
      return FALSE;
    }
  return TRUE;
}

/* Writes the messages of a reviewed campaign; in the caller's transaction. Returns how many
 * rows were new, -1 on error. */
static gint64
enqueue_locked (AqDb        *db,
                gint64       campaign_id,
                const char  *kind,
                const char  *template_text,
                const char  *not_before,
                const char  *now,
                AqOutage    *outage,
                GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  g_autofree char *source = NULL;
  g_autofree char *start = aq_template_format_time (outage->start_time);
  g_autofree char *end = aq_template_format_time (outage->expected_end);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pieces_literal = NULL;
  AqTemplateValues values = { NULL, start, end, outage->reason };
  g_autoptr(PGresult) res = NULL;

  aq_template_render_pieces (template_text, &values, pieces);
  pieces_literal = array_literal (pieces);

  if (g_strcmp0 (kind, "restored") == 0)
    {
      g_autofree char *outage_id = g_strdup_printf ("%" G_GINT64_FORMAT, outage->outage_id);
      const char *params[] = { outage_id };
      g_autoptr(GError) local_error = NULL;

      source = aq_db_query_string (db,
                                   "SELECT min(campaign_id) FROM notify.campaign"
                                   " WHERE outage_id = $1 AND kind = 'outage'"
                                   "   AND status IN ('queued', 'done')",
                                   1, params, &local_error);
      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      if (source == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Outage %s has no first notice sent: a “water restored” notice goes "
                         "to its recipients"), outage_id);
          return -1;
        }
      {
        const char *qp[] = { id, source, pieces_literal, not_before, now };

        res = aq_db_query (db, ENQUEUE (RECIPIENTS_OF_CAMPAIGN), 5, qp, error);
      }
    }
  else
    {
      g_autofree char *outage_id = g_strdup_printf ("%" G_GINT64_FORMAT, outage->outage_id);
      const char *qp[] = { id, outage_id, pieces_literal, not_before, now };

      res = aq_db_query (db, ENQUEUE (RECIPIENTS_OF_OUTAGE), 5, qp, error);
    }
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
}

static AqCampaignStatus *
status_from_row (PGresult *res, int row)
{
  AqCampaignStatus *s = g_new0 (AqCampaignStatus, 1);
  gint64 *counts[] = { &s->queued, &s->sending, &s->sent, &s->delivered, &s->failed, &s->total,
                       &s->sms, &s->wechat, &s->cancelled };

  s->campaign_id = g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10);
  s->outage_id = g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10);
  s->kind = g_strdup (PQgetvalue (res, row, 2));
  s->status = g_strdup (PQgetvalue (res, row, 3));
  s->template_text = g_strdup (PQgetvalue (res, row, 4));
  s->created_by = g_strdup (PQgetvalue (res, row, 5));
  s->reviewed_by = PQgetisnull (res, row, 6) ? NULL : g_strdup (PQgetvalue (res, row, 6));
  s->not_before = PQgetisnull (res, row, 7) ? NULL : parse_time (PQgetvalue (res, row, 7));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    *counts[i] = g_ascii_strtoll (PQgetvalue (res, row, 8 + i), NULL, 10);
  return s;
}

static gpointer
status_job (AqDb          *db,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  return aq_campaign_get_status (db, *(gint64 *) task_data, error);
}

/* ---- public methods ---- */

void
aq_recipient_free (AqRecipient *recipient)
{
  if (recipient == NULL)
    return;
  g_free (recipient->channel);
  g_free (recipient->recipient_masked);
  g_free (recipient->account_id);
  g_free (recipient->community);
  g_free (recipient->body);
  g_free (recipient);
}

GPtrArray *
aq_campaign_preview (AqDb        *db,
                     gint64       outage_id,
                     const char  *template_text,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(AqOutage) outage = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  g_autofree char *lim = g_strdup_printf ("%u", limit);
  const char *params[] = { lim, id };
  g_autofree char *start = NULL, *end = NULL;
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  outage = aq_outage_get (db, outage_id, error);
  if (outage == NULL)
    return NULL;
  res = aq_db_query (db, "SELECT * FROM (" RECIPIENTS_OF_OUTAGE ") r LIMIT $1::int",
                     2, params, error);
  if (res == NULL)
    return NULL;

  start = aq_template_format_time (outage->start_time);
  end = aq_template_format_time (outage->expected_end);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_recipient_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqRecipient *r = g_new0 (AqRecipient, 1);
      const char *to = PQgetvalue (res, i, 1);
      AqTemplateValues values = { PQgetvalue (res, i, 3), start, end, outage->reason };

      r->channel = g_strdup (PQgetvalue (res, i, 0));
      r->recipient_masked = g_str_equal (r->channel, "sms")
                            ? aq_mask_phone (to, AQ_ROLE_AGENT)
                            : g_strdup_printf ("%.6s…", to);
      r->account_id = g_strdup (PQgetvalue (res, i, 2));
      r->community = g_strdup (PQgetvalue (res, i, 3));
      r->body = aq_template_render (template_text ? template_text : "", &values);
      g_ptr_array_add (list, r);
    }
  return list;
}

gboolean
aq_campaign_count_recipients (AqDb        *db,
                              gint64       outage_id,
                              const char  *kind,
                              gint64      *sms,
                              gint64      *wechat,
                              GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  g_autofree char *source = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  *sms = *wechat = 0;
  if (g_strcmp0 (kind, "restored") == 0)
    {
      const char *params[] = { id };

      source = aq_db_query_string (db, "SELECT min(campaign_id) FROM notify.campaign"
                                       " WHERE outage_id = $1 AND kind = 'outage'"
                                       "   AND status IN ('queued', 'done')",
                                   1, params, &local_error);
      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (source == NULL)
        return TRUE;
      {
        const char *qp[] = { NULL, source };

        res = aq_db_query (db, "SELECT channel, count(*) FROM (" RECIPIENTS_OF_CAMPAIGN ") r"
                               " WHERE $1::text IS NULL GROUP BY channel", 2, qp, error);
      }
    }
  else
    {
      const char *qp[] = { NULL, id };

      res = aq_db_query (db, "SELECT channel, count(*) FROM (" RECIPIENTS_OF_OUTAGE ") r"
                             " WHERE $1::text IS NULL GROUP BY channel", 2, qp, error);
    }
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 n = g_ascii_strtoll (PQgetvalue (res, i, 1), NULL, 10);

      if (g_str_equal (PQgetvalue (res, i, 0), "sms"))
        *sms = n;
      else
        *wechat = n;
    }
  return TRUE;
}

void
aq_campaign_status_free (AqCampaignStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->kind);
  g_free (status->status);
  g_free (status->template_text);
  g_free (status->created_by);
  g_free (status->reviewed_by);
  g_clear_pointer (&status->not_before, g_date_time_unref);
  g_free (status);
}

gint64
aq_campaign_create (AqDb                  *db,
                    const AqCampaignSpec  *spec,
                    GError               **error)
{
  g_autoptr(AqOutage) outage = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autofree char *not_before_text = NULL, *now_text = NULL, *outage_id = NULL, *id = NULL;
  gboolean reviewed;

  g_return_val_if_fail (AQ_IS_DB (db), 0);
  g_return_val_if_fail (spec != NULL, 0);

  if (g_strcmp0 (spec->kind, "outage") != 0 && g_strcmp0 (spec->kind, "update") != 0
      && g_strcmp0 (spec->kind, "restored") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("kind: “%s” is not outage, update or restored"), spec->kind ? spec->kind : "");
      return 0;
    }
  if (!aq_template_check (spec->template_text, error))
    return 0;
  /* the author is the login writing it (the warehouse records session_user); a reviewer is
   * a second login, who approves the draft with aq_campaign_approve() */
  reviewed = !is_blank (spec->reviewed_by);
  if (reviewed)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("reviewer: a second login approves the notice once it is written "
                     "(aqueductctl notify approve CAMPAIGN)"));
      return 0;
    }
  outage = aq_outage_get (db, spec->outage_id, error);
  if (outage == NULL)
    return 0;
  if (g_str_equal (spec->kind, "outage") && g_strcmp0 (outage->status, "cancelled") == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Outage %d was cancelled: there is nothing to announce"),
                   (int) spec->outage_id);
      return 0;
    }

  now = spec->now ? g_date_time_ref (spec->now) : aq_clock_now ();
  now_text = time_param (now);
  if (reviewed)
    {
      not_before = not_before_for (outage, spec->quiet_hours, now);
      not_before_text = time_param (not_before);
    }
  outage_id = g_strdup_printf ("%" G_GINT64_FORMAT, spec->outage_id);

  if (!aq_db_begin (db, error))
    return 0;
  {
    const char *params[] = { outage_id, spec->kind, spec->template_text, spec->created_by,
                             reviewed ? spec->reviewed_by : NULL, not_before_text, now_text };

    id = aq_db_query_string (db,
                             "INSERT INTO notify.campaign (outage_id, kind, template, status,"
                             "  created_by, reviewed_by, reviewed_at, not_before, queued_at)"
                             " VALUES ($1, $2, $3,"
                             "  CASE WHEN $5::text IS NULL THEN 'draft' ELSE 'queued' END,"
                             "  $4, $5,"
                             "  CASE WHEN $5::text IS NULL THEN NULL ELSE $7::timestamptz END,"
                             "  $6::timestamptz,"
                             "  CASE WHEN $5::text IS NULL THEN NULL ELSE $7::timestamptz END)"
                             " RETURNING campaign_id",
                             7, params, error);
  }
  if (id == NULL)
    goto fail;
  /* a second first notice is refused as it is written, not only when approved */
  if (!check_once (db, spec->outage_id, g_ascii_strtoll (id, NULL, 10), spec->kind, error))
    goto fail;
  if (reviewed
      && enqueue_locked (db, g_ascii_strtoll (id, NULL, 10), spec->kind, spec->template_text,
                         not_before_text, now_text, outage, error) < 0)
    goto fail;
  if (!aq_db_commit (db, error))
    goto fail;
  return g_ascii_strtoll (id, NULL, 10);

fail:
  aq_db_rollback (db);
  return 0;
}

gboolean
aq_campaign_approve (AqDb                *db,
                     gint64               campaign_id,
                     const char          *reviewer,
                     const char          *template_text,
                     const AqQuietHours  *quiet_hours,
                     GDateTime           *now,
                     GError             **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(AqOutage) outage = NULL;
  g_autoptr(GDateTime) at = now ? g_date_time_ref (now) : aq_clock_now ();
  g_autoptr(GDateTime) not_before = NULL;
  g_autofree char *not_before_text = NULL, *text = NULL, *kind = NULL, *now_text = NULL;
  gint64 outage_id;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (template_text && !aq_template_check (template_text, error))
    return FALSE;
  if (!aq_db_begin (db, error))
    return FALSE;
  {
    const char *params[] = { id };

    /* FOR UPDATE: two reviewers pressing Send at once queue it once */
    res = aq_db_query (db, "SELECT outage_id, kind, template, status, created_by,"
                           "       session_user"
                           " FROM notify.campaign WHERE campaign_id = $1 FOR UPDATE",
                       1, params, error);
  }
  if (res == NULL)
    goto fail;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No campaign %s"), id);
      goto fail;
    }
  if (!g_str_equal (PQgetvalue (res, 0, 3), "draft"))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Campaign %s is %s, not a draft"), id,
                   PQgetvalue (res, 0, 3));
      goto fail;
    }
  /* the reviewer is the login (the warehouse's trigger refuses the author too) */
  reviewer = PQgetvalue (res, 0, 5);
  if (same_person (reviewer, PQgetvalue (res, 0, 4)))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("reviewer: %s wrote this notice; a second person must review it"), reviewer);
      goto fail;
    }
  outage_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  kind = g_strdup (PQgetvalue (res, 0, 1));
  text = g_strdup (template_text ? template_text : PQgetvalue (res, 0, 2));
  outage = aq_outage_get (db, outage_id, error);
  if (outage == NULL)
    goto fail;
  if (!check_once (db, outage_id, campaign_id, kind, error))
    goto fail;
  not_before = not_before_for (outage, quiet_hours, at);
  not_before_text = time_param (not_before);
  now_text = time_param (at);
  {
    const char *params[] = { id, reviewer, text, not_before_text, now_text };
    g_autoptr(PGresult) upd =
      aq_db_query (db, "UPDATE notify.campaign SET status = 'queued', reviewed_by = $2,"
                       "  reviewed_at = $5::timestamptz, template = $3,"
                       "  not_before = $4::timestamptz, queued_at = $5::timestamptz"
                       " WHERE campaign_id = $1",
                   5, params, error);

    if (upd == NULL)
      goto fail;
  }
  if (enqueue_locked (db, campaign_id, kind, text, not_before_text, now_text, outage,
                      error) < 0)
    goto fail;
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

gint64
aq_campaign_enqueue (AqDb     *db,
                     gint64    campaign_id,
                     GError  **error)
{
  g_autoptr(AqCampaignStatus) status = NULL;
  g_autoptr(AqOutage) outage = NULL;
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autofree char *not_before = NULL, *now_text = time_param (now);
  gint64 added;

  g_return_val_if_fail (AQ_IS_DB (db), -1);
  status = aq_campaign_get_status (db, campaign_id, error);
  if (status == NULL)
    return -1;
  if (status->reviewed_by == NULL || g_str_equal (status->status, "draft"))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Campaign %d has not been reviewed"), (int) campaign_id);
      return -1;
    }
  outage = aq_outage_get (db, status->outage_id, error);
  if (outage == NULL)
    return -1;
  not_before = time_param (status->not_before);
  if (!aq_db_begin (db, error))
    return -1;
  added = enqueue_locked (db, campaign_id, status->kind, status->template_text, not_before,
                          now_text, outage, error);
  if (added < 0 || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return -1;
    }
  return added;
}

AqCampaignStatus *
aq_campaign_get_status (AqDb     *db,
                        gint64    campaign_id,
                        GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  res = aq_db_query_prepared (db, STATUS_SQL " WHERE c.campaign_id = $1::bigint"
                                  " GROUP BY c.campaign_id",
                              1, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No campaign %s"), id);
      return NULL;
    }
  return status_from_row (res, 0);
}

void
aq_campaign_get_status_async (const char          *conninfo,
                              gint64               campaign_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_campaign_get_status_async, status_job,
                       g_memdup2 (&campaign_id, sizeof campaign_id), g_free,
                       (GDestroyNotify) aq_campaign_status_free, cancellable, callback, user_data);
}

AqCampaignStatus *
aq_campaign_get_status_finish (GAsyncResult  *result,
                               GError       **error)
{
  return aq_db_job_run_finish (result, aq_campaign_get_status_async, error);
}

GPtrArray *
aq_campaign_list (AqDb     *db,
                  gint64    outage_id,
                  GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  res = aq_db_query (db, STATUS_SQL " WHERE c.outage_id = $1::bigint"
                         " GROUP BY c.campaign_id ORDER BY c.campaign_id",
                     1, params, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_campaign_status_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, status_from_row (res, i));
  return list;
}

gint64
aq_campaign_retry_failed (AqDb     *db,
                          gint64    campaign_id,
                          GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autofree char *now_text = time_param (now);
  const char *params[] = { id, now_text };
  g_autoptr(PGresult) res = NULL;
  gint64 exists = 0;

  g_return_val_if_fail (AQ_IS_DB (db), -1);
  if (!aq_db_query_int64 (db, "SELECT count(*) FROM notify.campaign WHERE campaign_id = $1",
                          1, params, &exists, error))
    return -1;
  if (exists == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No campaign %s"), id);
      return -1;
    }
  /* a withdrawn campaign stays withdrawn; a done one is queued again with its failures */
  res = aq_db_query (db, "WITH c AS (UPDATE notify.campaign SET status = 'queued'"
                         "           WHERE campaign_id = $1 AND status IN ('queued', 'done')"
                         "           RETURNING campaign_id)"
                         " UPDATE notify.message SET status = 'queued', attempts = 0,"
                         "  next_attempt_at = $2::timestamptz, lease_owner = NULL,"
                         "  lease_until = NULL"
                         " WHERE campaign_id IN (SELECT campaign_id FROM c) AND status = 'failed'",
                     2, params, error);
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
}

/* Runs @sql, an UPDATE … RETURNING of one campaign ($1); no row: NOT_FOUND for a missing
 * campaign, INVALID for one in another state. */
static gboolean
move_campaign (AqDb        *db,
               gint64       campaign_id,
               const char  *sql,
               GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = aq_db_query (db, sql, 1, params, error);
  g_autofree char *status = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    return TRUE;
  status = aq_db_query_string (db, "SELECT status FROM notify.campaign WHERE campaign_id = $1",
                               1, params, error);
  if (status == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No campaign %s"), id);
      return FALSE;
    }
  /* Translators: the first %s is a campaign's number, the second its state (done, …) */
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Campaign %s is %s: it cannot change so"),
               id, status);
  return FALSE;
}

/**
 * aq_campaign_cancel:
 *
 * Withdraws a draft or queued campaign. The queued messages become cancelled in the
 * warehouse (016's trigger) in this transaction; what is already being sent or was sent is
 * counted in @sent.
 */
gboolean
aq_campaign_cancel (AqDb     *db,
                    gint64    campaign_id,
                    gint64   *withdrawn,
                    gint64   *sent,
                    GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!move_campaign (db, campaign_id,
                      "UPDATE notify.campaign SET status = 'cancelled'"
                      " WHERE campaign_id = $1 AND status IN ('draft', 'queued')"
                      " RETURNING campaign_id", error))
    goto fail;
  res = aq_db_query (db, "SELECT count(*) FILTER (WHERE status = 'cancelled'),"
                         "       count(*) FILTER (WHERE status IN ('sending', 'sent',"
                         "                                         'delivered'))"
                         " FROM notify.message WHERE campaign_id = $1", 1, params, error);
  if (res == NULL)
    goto fail;
  if (withdrawn)
    *withdrawn = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  if (sent)
    *sent = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

gboolean
aq_campaign_reject (AqDb     *db,
                    gint64    campaign_id,
                    GError  **error)
{
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autofree char *now_text = time_param (now);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  g_autofree char *author = NULL;
  g_autofree char *login = NULL;
  const char *params[] = { id, now_text };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  author = aq_db_query_string (db, "SELECT created_by FROM notify.campaign"
                                   " WHERE campaign_id = $1", 1, params, error);
  if (author == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No campaign %s"), id);
      return FALSE;
    }
  login = aq_db_query_string (db, "SELECT session_user::text", 0, NULL, error);
  if (login == NULL)
    return FALSE;
  if (same_person (login, author))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("reviewer: %s wrote this notice; a second person must review it"), login);
      return FALSE;
    }
  res = aq_db_query (db, "UPDATE notify.campaign SET status = 'rejected',"
                         "  reviewed_by = session_user, reviewed_at = $2::timestamptz"
                         " WHERE campaign_id = $1 AND status = 'draft' RETURNING campaign_id",
                     2, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_autofree char *status = aq_db_query_string (db, "SELECT status FROM notify.campaign"
                                                        " WHERE campaign_id = $1",
                                                    1, params, error);

      if (status != NULL)
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Campaign %s is %s, not a draft"),
                     id, status);
      return FALSE;
    }
  return TRUE;
}

gint64
aq_campaign_finish_done (AqDb     *db,
                         GError  **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), -1);
  res = aq_db_query (db, "UPDATE notify.campaign c SET status = 'done'"
                         " WHERE c.status = 'queued'"
                         "   AND NOT EXISTS (SELECT 1 FROM notify.message m"
                         "                   WHERE m.campaign_id = c.campaign_id"
                         "                     AND m.status IN ('queued', 'sending'))",
                     0, NULL, error);
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
}

JsonNode *
aq_campaign_status_to_json (AqCampaignStatus *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *names[] = { "queued", "sending", "sent", "delivered", "failed", "total", "sms",
                          "wechat", "cancelled" };
  gint64 values[] = { s->queued, s->sending, s->sent, s->delivered, s->failed, s->total,
                      s->sms, s->wechat, s->cancelled };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "campaign_id");
  json_builder_add_int_value (b, s->campaign_id);
  json_builder_set_member_name (b, "outage_id");
  json_builder_add_int_value (b, s->outage_id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, s->kind);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, s->status);
  json_builder_set_member_name (b, "created_by");
  json_builder_add_string_value (b, s->created_by);
  json_builder_set_member_name (b, "reviewed_by");
  json_builder_add_string_value (b, s->reviewed_by);
  json_builder_set_member_name (b, "not_before");
  if (s->not_before)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (s->not_before);
      json_builder_add_string_value (b, iso);
    }
  else
    json_builder_add_null_value (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_int_value (b, values[i]);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
