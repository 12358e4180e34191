/* aq-outage-cancel.c — what cancelling an outage would withdraw, asked before it is done
 *
 * The outage panel asks a dispatcher to confirm a cancellation with the figures that matter:
 * how many of its notices' messages will be withdrawn (still queued) and how many already
 * left (which may need a correction notice). The cancellation itself is aq_outage_cancel_counted()
 * and the withdrawal is the warehouse's trigger (016), so these figures are a preview read in
 * one read-only snapshot. Whether the login may cancel is the warehouse's grant (UPDATE on
 * notify.outage), asked with has_table_privilege(), never a role name the client assumes.
 */
#define G_LOG_DOMAIN "aq-outage"

#include "config.h"

#include "aq-outage-cancel.h"

#include <glib/gi18n.h>

#include "aq-error.h"

void
aq_outage_cancel_preview_free (AqOutageCancelPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->status);
  g_free (preview);
}

/**
 * aq_outage_cancel_preview:
 *
 * Returns: (transfer full) (nullable): the outage's status, whether this login may cancel it,
 * and its notices' messages that would be withdrawn or are already gone; %NULL with
 * AQ_ERROR_NOT_FOUND for no such outage
 */
AqOutageCancelPreview *
aq_outage_cancel_preview (AqDb    *db,
                          gint64   outage_id,
                          GError **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(AqOutageCancelPreview) preview = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    return NULL;
  /* the messages are read only by a login that may read them (an agent may not): the
   * privileges are asked first, since a query naming the table is refused as a whole */
  res = aq_db_query (db,
                     "SELECT o.status,"
                     "       has_table_privilege('notify.outage', 'UPDATE')"
                     "         AND o.status IN ('planned', 'active'),"
                     "       has_table_privilege('notify.message', 'SELECT')"
                     "         AND has_table_privilege('notify.campaign', 'SELECT')"
                     "  FROM notify.outage o WHERE o.outage_id = $1", 1, params, error);
  if (res != NULL && PQntuples (res) == 0)
    {
      aq_db_rollback (db);
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No outage %s"), id);
      return NULL;
    }
  if (res != NULL)
    {
      preview = g_new0 (AqOutageCancelPreview, 1);
      preview->outage_id = outage_id;
      preview->status = g_strdup (PQgetvalue (res, 0, 0));
      preview->allowed = g_str_equal (PQgetvalue (res, 0, 1), "t");
      if (g_str_equal (PQgetvalue (res, 0, 2), "t"))
        {
          g_clear_pointer (&res, PQclear);
          res = aq_db_query (db,
                             "SELECT count(*) FILTER (WHERE c.status IN ('draft', 'queued')"
                             "                          AND m.status = 'queued'),"
                             "       count(*) FILTER (WHERE m.status IN ('sending', 'sent',"
                             "                                           'delivered'))"
                             "  FROM notify.campaign c JOIN notify.message m USING (campaign_id)"
                             " WHERE c.outage_id = $1", 1, params, error);
          if (res != NULL)
            {
              preview->to_withdraw = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
              preview->sent = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
            }
        }
    }
  aq_db_rollback (db);
  if (res == NULL)
    return NULL;
  return g_steal_pointer (&preview);
}
