/* aq-customer-timeline.h — every dated row of a customer 360, merged newest first */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One kind per 360 section, as bits so a filter is a mask. */
typedef enum
{
  AQ_TIMELINE_ACCOUNT      = 1 << 0,
  AQ_TIMELINE_BILL         = 1 << 1,
  AQ_TIMELINE_PAYMENT      = 1 << 2,
  AQ_TIMELINE_READING      = 1 << 3,
  AQ_TIMELINE_WORK_ORDER   = 1 << 4,
  AQ_TIMELINE_CALL         = 1 << 5,
  AQ_TIMELINE_SMS          = 1 << 6,
  AQ_TIMELINE_INSTALLATION = 1 << 7,
  AQ_TIMELINE_OUTAGE       = 1 << 8,
} AqTimelineKind;

#define AQ_TIMELINE_ALL 0x1ff
#define AQ_TIMELINE_N_KINDS 9

const char     *aq_timeline_kind_to_string  (AqTimelineKind  kind);
AqTimelineKind  aq_timeline_kind_from_string (const char     *name);
const char     *aq_timeline_kind_section    (AqTimelineKind  kind);
const char     *aq_timeline_kind_time_member (AqTimelineKind kind);
AqTimelineKind  aq_timeline_kind_nth        (guint           n);

JsonArray      *aq_customer_timeline_build  (JsonObject     *customer,
                                             guint           kinds);
guint           aq_customer_timeline_count  (JsonArray      *events,
                                             guint           kinds);

G_END_DECLS
