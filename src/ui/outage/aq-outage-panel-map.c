/* aq-outage-panel-map.c — the outage map's map: basemap, overlay layers and zone picking
 *
 * The layer switches (their swatches are the overlay's colours: the popover is the legend),
 * clicks on the map that pick a DMA zone or a community as the area, and where the map looks
 * first (the warehouse's city, once it has said where that is).
 */
#define G_LOG_DOMAIN "aq-outage-panel"

#include "config.h"

#include "aq-outage-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-area-editor.h"
#include "aq-area-outage-dialog.h"
#include "aq-area-summary.h"
#include "aq-geojson.h"
#include "aq-db-job.h"
#include "aq-map-source.h"
#include "aq-notice-dialog.h"
#include "aq-outage-area.h"
#include "aq-outage.h"
#include "aq-overlay-layer.h"
#include "aq-panel.h"

/* The swatch is the colour AqOverlayLayer draws the kind in: the popover is the legend. */
static const struct
{
  AqOverlayKind  kind;
  const char    *title;
  const char    *swatch;
} layer_toggles[] = {
  { AQ_OVERLAY_COMMUNITY, N_("Communities"), "#8c6130" },
  { AQ_OVERLAY_DMA_1, N_("DMA zones, level 1"), "#73339e" },
  { AQ_OVERLAY_DMA_2, N_("DMA zones, level 2"), "#73339e" },
  { AQ_OVERLAY_DMA_3, N_("DMA zones, level 3"), "#73339e" },
  { AQ_OVERLAY_MAIN, N_("Mains (DN 300 and up)"), "#0073d9" },
  { AQ_OVERLAY_VALVE, N_("Valves"), "#1a8c4d" },
  { AQ_OVERLAY_KEY_CUSTOMER, N_("Key customers"), "#db1a33" },
  { AQ_OVERLAY_OUTAGE_ACTIVE, N_("Active outages"), "#bf0d0d" },
  { AQ_OVERLAY_OUTAGE_PLANNED, N_("Planned outages"), "#d9730d" },
};

/* ---- the map ---- */

static void
layer_switch_cb (GtkSwitch     *toggle,
                 GParamSpec    *pspec,
                 AqOutagePanel *self)
{
  AqOverlayKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "kind"));

  aq_overlay_layer_set_kind_visible (self->overlay, kind, gtk_switch_get_active (toggle));
}

void
_aq_outage_panel_build_layer_toggles (AqOutagePanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (layer_toggles); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (_(layer_toggles[i].title));
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>",
                                                 layer_toggles[i].swatch);

      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_switch_set_active (GTK_SWITCH (toggle),
                             aq_overlay_layer_get_kind_visible (self->overlay,
                                                                layer_toggles[i].kind));
      g_object_set_data (G_OBJECT (toggle), "kind", GUINT_TO_POINTER (layer_toggles[i].kind));
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (layer_switch_cb), self, 0);
      gtk_widget_set_name (toggle, layer_toggles[i].title);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), toggle);
      gtk_box_append (self->layers_box, box);
    }
  aq_network_layer_add_toggles (self->network, self->layers_box);
}

void
_aq_outage_panel_set_map_source (AqOutagePanel *self)
{
  g_autofree char *online = g_settings_get_string (self->settings, "map-tile-url");
  g_autoptr(ShumateMapSource) source = NULL;

  /* a template without its placeholders would fetch the same picture for every tile */
  if (*online != '\0'
      && (strstr (online, "{x}") == NULL || strstr (online, "{y}") == NULL
          || strstr (online, "{z}") == NULL))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the URL from the preferences */
      text = g_strdup_printf (_("The tile URL “%s” lacks {x}, {y} or {z}: the map is drawn "
                                "from the warehouse instead."), online);
      _aq_outage_panel_toast (self, text);
      g_clear_pointer (&online, g_free);
    }

  g_clear_object (&self->source);
  source = aq_map_source_new_basemap (_aq_outage_panel_conninfo (self), online, &self->source);
  if (self->source != NULL)
    aq_map_source_set_scale (self->source, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  shumate_simple_map_set_map_source (self->simple_map, source);
}

static gpointer
extent_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  double *box = g_new (double, 4);

  if (!aq_tile_renderer_query_extent (db, box, error))
    {
      g_free (box);
      return NULL;
    }
  return box;
}

static void
extent_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *box = aq_db_job_run_finish (result, _aq_outage_panel_run_job, &error);
  AqOutagePanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OUTAGE_PANEL (user_data);
  _aq_outage_panel_set_loading (self, self->cancellable != NULL);
  /* no districts, or no warehouse: the map stays where it is and the pane or the banner says
   * why when it matters */
  if (box == NULL)
    {
      g_debug ("The map cannot open on the city: %s", error->message);
      return;
    }
  /* the user may have started drawing meanwhile: the view is theirs then */
  if (aq_area_model_get_n_vertices (self->model) == 0)
    _aq_outage_panel_show_box (self, box[0], box[1], box[2], box[3]);
}

void
_aq_outage_panel_scale_factor_cb (AqOutagePanel *self)
{
  if (self->source != NULL)
    aq_map_source_set_scale (self->source, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

/* "AQUEDUCT_OUTAGE_AREA": the area shown at start (screenshots): a GeoJSON file, or
 * "community:CODE" / "zone:CODE". */
static gpointer
startup_area_job (AqDb          *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char *spec = data;

  if (g_str_has_prefix (spec, "community:"))
    return aq_outage_area_for_community (db, spec + strlen ("community:"), error);
  if (g_str_has_prefix (spec, "zone:"))
    return aq_outage_area_for_zone (db, spec + strlen ("zone:"), error);
  {
    g_autofree char *contents = NULL;

    if (!g_file_get_contents (spec, &contents, NULL, error))
      return NULL;
    return aq_geometry_new_from_geojson (contents, error);
  }
}

static void
startup_area_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* cancelled: the panel is gone */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  _aq_outage_panel_geometry_job_cb (object, result, user_data);
  _aq_outage_panel_center_on_geometry (AQ_OUTAGE_PANEL (user_data));
}

static gboolean
settled_cb (gpointer user_data)
{
  AqOutagePanel *self = user_data;

  self->settle_id = 0;
  return G_SOURCE_REMOVE;
}

/* The basemap asks for the tiles of a new view only at its next layout: until the view has
 * rested a moment, a screenshot or a test would see the old tiles or none. */
void
_aq_outage_panel_viewport_moved_cb (AqOutagePanel *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (500, settled_cb, self);
}

void
_aq_outage_panel_map_vfunc (GtkWidget *widget)
{
  AqOutagePanel *self = AQ_OUTAGE_PANEL (widget);

  GTK_WIDGET_CLASS (g_type_class_peek_parent (g_type_class_peek (AQ_TYPE_OUTAGE_PANEL)))
    ->map (widget);

  /* the profile is known once the panel is in its window */
  if (!self->map_ready)
    {
      const char *startup = g_getenv ("AQUEDUCT_OUTAGE_AREA");

      self->map_ready = TRUE;
      _aq_outage_panel_viewport_moved_cb (self);
      if (g_strcmp0 (_aq_outage_panel_conninfo (self), NULL) != 0)
        _aq_outage_panel_set_map_source (self);
      aq_overlay_layer_set_conninfo (self->overlay, _aq_outage_panel_conninfo (self));
      aq_network_layer_set_conninfo (self->network, _aq_outage_panel_conninfo (self));
      aq_valves_tool_set_conninfo (self->valves, _aq_outage_panel_conninfo (self));
      _aq_outage_panel_reload_current (self);
      if (startup != NULL && *startup != '\0')
        {
          _aq_outage_panel_set_loading (self, TRUE);
          _aq_outage_panel_run_job (self, startup_area_job, g_strdup (startup), g_free,
                                    (GDestroyNotify) aq_geometry_free, startup_area_cb);
        }
      else
        {
          _aq_outage_panel_set_loading (self, TRUE);
          _aq_outage_panel_run_job (self, extent_job, NULL, NULL, g_free, extent_cb);
        }
    }
}

