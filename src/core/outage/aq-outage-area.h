/* aq-outage-area.h — what a shutoff area affects: communities, accounts, key customers, reach */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-geojson.h"

G_BEGIN_DECLS

/* A community needs a posted notice or a call to its property manager when fewer than this
 * share of its affected accounts can be reached by SMS or WeChat. */
#define AQ_OUTAGE_AREA_REACH_SHARE 0.8

/* Affected accounts: not closed, on a premise not demolished whose point lies in the area
 * (the boundary counts as inside). Kinds: "key" (the account is in dw.dim_key_customer),
 * "community" (the account has a community), "scattered" (no community). Reachable: the
 * customer has a registered mobile (dw.dim_customer.mobile) or a WeChat openid. */
typedef struct
{
  char     *community_code;
  char     *name;
  char     *property_company;     /* (nullable) */
  char     *property_phone;       /* (nullable) */
  gint64    accounts;             /* affected accounts in the area */
  gint64    accounts_total;       /* all open accounts of the community */
  gint64    reachable;
  gboolean  inside;               /* the community lies wholly inside the area (else cut) */
  gboolean  needs_notice;         /* reachable < AQ_OUTAGE_AREA_REACH_SHARE × accounts */
} AqAreaCommunity;

typedef struct
{
  gint     kc_id;
  char    *name;
  char    *kind;                  /* hospital, school, kindergarten, hotel, large_consumer */
  char    *account_id;
  gboolean reachable;
  double   lon, lat;
} AqAreaKeyCustomer;

typedef struct
{
  gint64     accounts;            /* total affected accounts */
  gint64     key_accounts;        /* 重点用户 */
  gint64     community_accounts;  /* 小区用户 */
  gint64     scattered_accounts;  /* 散户 */
  gint64     reachable;           /* accounts with a mobile or an openid */
  gint64     reachable_sms;       /* accounts with a mobile */
  gint64     reachable_wechat;    /* accounts with an openid */
  gint64     sms_recipients;      /* distinct mobiles: the SMS a notice sends */
  gint64     wechat_recipients;   /* distinct openids */
  GPtrArray *communities;         /* AqAreaCommunity*, most affected accounts first */
  GPtrArray *key_customers;       /* AqAreaKeyCustomer*, hospitals first, then by name */
  gint64     notice_communities;  /* how many need a posted notice or a call */
  double     elapsed_ms;          /* time the warehouse took */
} AqOutageArea;

void          aq_outage_area_free            (AqOutageArea        *area);
AqOutageArea *aq_outage_area_analyze         (AqDb                *db,
                                              const AqGeometry    *geometry,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* In a thread on its own connection (@conninfo as aq_connection_open() takes it). The UI
 * cancels the previous call when the polygon changes: G_IO_ERROR_CANCELLED then. */
void          aq_outage_area_analyze_async   (const char          *conninfo,
                                              const AqGeometry    *geometry,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
AqOutageArea *aq_outage_area_analyze_finish  (GAsyncResult        *result,
                                              GError             **error);
JsonNode     *aq_outage_area_to_json         (AqOutageArea        *area);

/* The affected accounts as CSV (UTF-8 with BOM, for Excel): account, kind, customer name
 * (masked), masked mobile, has WeChat, community, address, key customer. */
gboolean      aq_outage_area_write_csv       (AqDb                *db,
                                              const AqGeometry    *geometry,
                                              GOutputStream       *out,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* Brings notify.area_point up to date with dw now (it is otherwise rebuilt by the first
 * analysis after a pipeline run): for a scheduler after the nightly loads. FALSE when it
 * cannot be built; the analyses then count on dw directly. */
gboolean      aq_outage_area_prepare         (AqDb                *db,
                                              GError             **error);

/* "Select a zone as the area": a DMA zone of any level or a community, by code;
 * AQ_ERROR_NOT_FOUND when there is none. */
AqGeometry   *aq_outage_area_for_zone        (AqDb                *db,
                                              const char          *zone_code,
                                              GError             **error);
AqGeometry   *aq_outage_area_for_community   (AqDb                *db,
                                              const char          *community_code,
                                              GError             **error);
/* The zone or community (by code, either) containing a point: what a click selects.
 * @dma_level 0 means a community, 1–3 a DMA zone of that level. NULL (no error) when none. */
char         *aq_outage_area_code_at         (AqDb                *db,
                                              double               lon,
                                              double               lat,
                                              int                  dma_level,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOutageArea, aq_outage_area_free)

G_END_DECLS
