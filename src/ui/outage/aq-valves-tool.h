/* aq-valves-tool.h — the outage map's Valves tool: click a pipe, see the valves to close */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "aq-network.h"

G_BEGIN_DECLS

#define AQ_TYPE_VALVES_TOOL (aq_valves_tool_get_type ())
G_DECLARE_FINAL_TYPE (AqValvesTool, aq_valves_tool, AQ, VALVES_TOOL, ShumateLayer)

AqValvesTool      *aq_valves_tool_new             (ShumateMap   *map);
void               aq_valves_tool_set_conninfo    (AqValvesTool *self,
                                                   const char   *conninfo);
void               aq_valves_tool_set_active      (AqValvesTool *self,
                                                   gboolean      active);
gboolean           aq_valves_tool_get_active      (AqValvesTool *self);
/* The toolbar's part: the Valves toggle and Create Outage. */
GtkWidget         *aq_valves_tool_get_controls    (AqValvesTool *self);
/* What a click on the map does (widget coordinates of the map): a marked valve toggles
 * "won't close", anything else isolates the nearest pipe. */
void               aq_valves_tool_click           (AqValvesTool *self,
                                                   double        x,
                                                   double        y);
void               aq_valves_tool_burst_at        (AqValvesTool *self,
                                                   double        lon,
                                                   double        lat);
void               aq_valves_tool_toggle_stuck    (AqValvesTool *self,
                                                   gint64        valve_id);
/* Hand-overs from the network layer's "Isolate this pipe" and "Won't close". */
void               aq_valves_tool_isolate_pipe    (AqValvesTool *self,
                                                   gint64        pipe_id);
void               aq_valves_tool_valve_wont_close (AqValvesTool *self,
                                                    gint64        valve_id,
                                                    gint64        pipe_id);
void               aq_valves_tool_create_outage   (AqValvesTool *self);
gboolean           aq_valves_tool_get_busy        (AqValvesTool *self);
/* Returns: (nullable) (transfer none): the last isolation */
const AqIsolation *aq_valves_tool_get_isolation   (AqValvesTool *self);
gint64             aq_valves_tool_get_outage_id   (AqValvesTool *self);

G_END_DECLS
