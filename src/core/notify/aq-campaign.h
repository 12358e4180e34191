/* aq-campaign.h — an outage notice: template, review, quiet hours, the outbox, progress */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-template.h"

G_BEGIN_DECLS

typedef struct
{
  char *channel;            /* "sms" or "wechat" */
  char *recipient_masked;   /* 138****5678, or the openid's first 6 characters and … */
  char *account_id;
  char *community;          /* what {community} becomes for this recipient */
  char *body;               /* rendered with the template given to the preview */
} AqRecipient;

void       aq_recipient_free           (AqRecipient         *recipient);
/* The first @limit recipients of an outage's notice (sms first, then wechat, by recipient),
 * rendered with @template_text. */
GPtrArray *aq_campaign_preview         (AqDb                *db,
                                        gint64               outage_id,
                                        const char          *template_text,
                                        guint                limit,
                                        GError             **error);

/* How many messages a notice of @kind ("outage", "update", "restored") to the outage would
 * write per channel, without writing anything. */
gboolean   aq_campaign_count_recipients (AqDb               *db,
                                        gint64               outage_id,
                                        const char          *kind,
                                        gint64              *sms,
                                        gint64              *wechat,
                                        GError             **error);

typedef struct
{
  gint64               outage_id;
  const char          *kind;           /* "outage" (first notice), "update" or "restored" */
  const char          *template_text;
  const char          *created_by;     /* unused: the warehouse records the login */
  const char          *reviewed_by;    /* must be NULL: a second login approves the draft */
  const AqQuietHours  *quiet_hours;    /* (nullable): the default rule */
  GDateTime           *now;            /* (nullable): aq_clock_now() */
} AqCampaignSpec;

typedef struct
{
  gint64     campaign_id;
  gint64     outage_id;
  char      *kind;
  char      *status;         /* draft, queued, done, cancelled */
  char      *template_text;
  char      *created_by;
  char      *reviewed_by;    /* (nullable) */
  GDateTime *not_before;     /* (nullable) */
  gint64     queued, sending, sent, delivered, failed, total;
  gint64     sms, wechat;    /* messages per channel */
  gint64     cancelled;      /* messages withdrawn before they left */
} AqCampaignStatus;

void       aq_campaign_status_free     (AqCampaignStatus    *status);

/* With reviewed_by: the campaign (status queued, not_before from the quiet hours) and one
 * notify.message per recipient and channel, in one transaction. Recipients: the distinct
 * mobiles and openids of the customers holding the outage's accounts, once per channel; the
 * idempotency key is "c<campaign>-<channel>-<md5(recipient)>" so the same campaign enqueued
 * twice writes nothing the second time. "restored" goes to exactly the (channel, recipient)
 * pairs of the outage's first "outage" campaign. Without reviewed_by: a draft, no messages.
 * Returns the campaign id, 0 on error (nothing written). */
gint64     aq_campaign_create          (AqDb                *db,
                                        const AqCampaignSpec *spec,
                                        GError             **error);
/* A draft reviewed by the current login, a second person (AQ_ERROR_PERMISSION when it wrote
 * the draft: the warehouse refuses it too), optionally with an edited @template_text
 * (nullable), then enqueued as above. @reviewer is unused: the warehouse records the login. */
gboolean   aq_campaign_approve         (AqDb                *db,
                                        gint64               campaign_id,
                                        const char          *reviewer,
                                        const char          *template_text,
                                        const AqQuietHours  *quiet_hours,
                                        GDateTime           *now,
                                        GError             **error);
/* Enqueue (again) a reviewed campaign's messages; returns how many were new (0 on a
 * re-send), -1 on error. */
gint64     aq_campaign_enqueue         (AqDb                *db,
                                        gint64               campaign_id,
                                        GError             **error);
AqCampaignStatus *aq_campaign_get_status (AqDb              *db,
                                        gint64               campaign_id,
                                        GError             **error);
void       aq_campaign_get_status_async (const char         *conninfo,
                                        gint64               campaign_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
AqCampaignStatus *aq_campaign_get_status_finish (GAsyncResult *result,
                                        GError             **error);
/* AqCampaignStatus* of an outage's campaigns, oldest first. */
GPtrArray *aq_campaign_list            (AqDb                *db,
                                        gint64               outage_id,
                                        GError             **error);
/* failed → queued, next_attempt_at now, attempts back to 0 (a person decided to try again,
 * so the relay's give-up limit starts over); returns how many, -1 on error. */
gint64     aq_campaign_retry_failed    (AqDb                *db,
                                        gint64               campaign_id,
                                        GError             **error);
/* Withdraws a draft or queued campaign: every message not yet sent stays unsent (the
 * warehouse's trigger, in the same transaction). @withdrawn: how many will not go out; @sent:
 * how many had already left (sending, sent, delivered), for a correction notice. A campaign
 * already done, cancelled or rejected is AQ_ERROR_INVALID. */
gboolean   aq_campaign_cancel          (AqDb                *db,
                                        gint64               campaign_id,
                                        gint64              *withdrawn,
                                        gint64              *sent,
                                        GError             **error);
/* A reviewer refuses a draft: it becomes rejected, reviewed by the current login (the
 * warehouse refuses its author, as for an approval). */
gboolean   aq_campaign_reject          (AqDb                *db,
                                        gint64               campaign_id,
                                        GError             **error);
/* Queued campaigns with nothing left to send (no queued or sending message) become done;
 * returns how many, -1 on error. The relay calls it after each batch. */
gint64     aq_campaign_finish_done     (AqDb                *db,
                                        GError             **error);
JsonNode  *aq_campaign_status_to_json  (AqCampaignStatus    *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCampaignStatus, aq_campaign_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqRecipient, aq_recipient_free)

G_END_DECLS
