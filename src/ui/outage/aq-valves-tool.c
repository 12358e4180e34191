/* aq-valves-tool.c — the outage map's Valves tool: click a pipe, see the valves to close
 *
 * A layer over the map. While active, a click picks the nearest pipe as burst and core's
 * network isolation (aq-network) answers on a worker thread: the valves to close are marked,
 * the isolated pipes drawn red, the pipes cut off from supply orange, the affected area
 * shaded; the outage panel shows the same summary as for a drawn area. A click on a marked
 * valve says "this valve won't close": the isolation is recomputed with it stuck, and again
 * (a second click takes it back). Create Outage makes the emergency outage whose accounts are
 * exactly the affected ones. The segment graph is read once, on the first burst, and shared
 * (immutable, reference-counted) with the workers after that. A newer request cancels the
 * older; nothing blocks the main thread.
 */
#define G_LOG_DOMAIN "aq-valves-tool"

#include "config.h"

#include "aq-valves-tool.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-outage.h"

/* a click within this many pixels of a marked valve is on the valve */
#define VALVE_HIT_PX    12.0
/* a pipe farther than this from a click is not the one meant */
#define PICK_METRES     60.0
#define OUTAGE_HOURS    6

struct _AqValvesTool
{
  ShumateLayer   parent_instance;

  ShumateMap    *map;             /* (unowned) */
  char          *conninfo;
  gboolean       active;
  GtkWidget     *controls;
  GtkToggleButton *toggle;
  GtkButton     *create_button;

  AqNetwork    **network;         /* (nullable): a GRcBox holding the loaded graph */
  AqIsolation   *isolation;       /* (nullable) */
  GArray        *stuck;           /* gint64: valves said not to close */
  gint64         pipe_id;
  gint64         outage_id;
  GCancellable  *cancellable;
  guint          busy;
  double         press_x, press_y;
};

G_DEFINE_FINAL_TYPE (AqValvesTool, aq_valves_tool, SHUMATE_TYPE_LAYER)

enum
{
  PROP_0,
  PROP_ACTIVE,
  PROP_BUSY,
  N_PROPS
};

enum
{
  ISOLATED,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- the shared network ---- */

static void
network_box_clear (AqNetwork **box)
{
  g_clear_pointer (box, aq_network_free);
}

static AqNetwork **
network_box_new (AqNetwork *network)
{
  AqNetwork **box = g_rc_box_new0 (AqNetwork *);

  *box = network;
  return box;
}

static void
network_box_release (AqNetwork **box)
{
  if (box)
    g_rc_box_release_full (box, (GDestroyNotify) network_box_clear);
}

/* ---- worker jobs ---- */

typedef struct
{
  AqNetwork **network;            /* (nullable): loaded by the job when NULL */
  double      lon, lat;
  gint64      pipe_id;            /* 0: the pipe nearest to lon, lat */
  GArray     *stuck;
} IsolateData;

typedef struct
{
  AqNetwork   **network;          /* the graph the job used (a new one when it loaded it) */
  AqIsolation  *isolation;        /* NULL when no pipe is near the click */
} IsolateResult;

static void
isolate_data_free (IsolateData *d)
{
  network_box_release (d->network);
  g_clear_pointer (&d->stuck, g_array_unref);
  g_free (d);
}

static void
isolate_result_free (IsolateResult *r)
{
  network_box_release (r->network);
  aq_isolation_free (r->isolation);
  g_free (r);
}

static gpointer
isolate_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  IsolateData *d = data;
  g_autoptr(GError) local_error = NULL;
  IsolateResult *r = g_new0 (IsolateResult, 1);
  gint64 pipe = d->pipe_id;

  r->network = d->network ? g_rc_box_acquire (d->network) : NULL;
  if (r->network == NULL)
    {
      AqNetwork *network = aq_network_load (db, error);

      if (network == NULL)
        goto fail;
      r->network = network_box_new (network);
    }
  if (pipe == 0)
    {
      pipe = aq_network_pipe_at (db, d->lon, d->lat, PICK_METRES, error);
      if (pipe < 0)
        goto fail;
      if (pipe == 0)
        return r;
    }
  r->isolation = aq_network_isolate (*r->network, db, pipe, (const gint64 *) d->stuck->data,
                                     d->stuck->len, TRUE, cancellable, error);
  if (r->isolation == NULL || !aq_isolation_load_shapes (r->isolation, db, error))
    goto fail;
  return r;

fail:
  isolate_result_free (r);
  return NULL;
}

typedef struct
{
  AqIsolation *isolation;         /* only the segments, pipe and polygon */
  char        *reason;
} CreateData;

static void
create_data_free (CreateData *d)
{
  aq_isolation_free (d->isolation);
  g_free (d->reason);
  g_free (d);
}

static gpointer
create_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CreateData *d = data;
  g_autoptr(GPtrArray) accounts = aq_isolation_account_ids (d->isolation, db, error);
  g_autoptr(GDateTime) start = aq_clock_now ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, OUTAGE_HOURS);
  AqOutageSpec spec = { 0 };
  gint64 id;

  if (accounts == NULL)
    return NULL;
  g_ptr_array_add (accounts, NULL);
  spec.kind = "emergency";
  spec.reason = d->reason;
  spec.start_time = start;
  spec.expected_end = end;
  spec.geometry = d->isolation->polygon;
  spec.account_ids = (const char * const *) accounts->pdata;
  id = aq_outage_create (db, &spec, error);
  if (id == 0)
    return NULL;
  return g_memdup2 (&id, sizeof id);
}

/* ---- auxiliary methods ---- */

static void
set_busy (AqValvesTool *self,
          gboolean      busy)
{
  guint before = self->busy;

  self->busy = busy ? self->busy + 1 : self->busy - 1;
  if ((before == 0) != (self->busy == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_controls (AqValvesTool *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            self->active && self->isolation != NULL && self->busy == 0
                            && self->isolation->area != NULL
                            && self->isolation->polygon != NULL);
}

static void
isolate_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  IsolateResult *r = aq_db_job_run_finish (result, isolate_job, &error);
  AqValvesTool *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_VALVES_TOOL (user_data);
  set_busy (self, FALSE);
  if (r == NULL)
    {
      g_signal_emit (self, signals[MESSAGE], 0, error ? error->message : "");
      update_controls (self);
      return;
    }
  if (self->network == NULL)
    self->network = g_rc_box_acquire (r->network);
  if (r->isolation == NULL)
    g_signal_emit (self, signals[MESSAGE], 0, _("No pipe there: click on a main"));
  else
    {
      g_clear_pointer (&self->isolation, aq_isolation_free);
      self->isolation = g_steal_pointer (&r->isolation);
      self->pipe_id = self->isolation->pipe_id;
      g_signal_emit (self, signals[ISOLATED], 0);
    }
  isolate_result_free (r);
  update_controls (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_isolation (AqValvesTool *self,
                 double        lon,
                 double        lat,
                 gint64        pipe_id)
{
  IsolateData *d = g_new0 (IsolateData, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->busy)
    set_busy (self, FALSE);
  self->cancellable = g_cancellable_new ();
  d->network = self->network ? g_rc_box_acquire (self->network) : NULL;
  d->lon = lon;
  d->lat = lat;
  d->pipe_id = pipe_id;
  d->stuck = g_array_copy (self->stuck);
  set_busy (self, TRUE);
  update_controls (self);
  aq_db_job_run_async (self->conninfo, isolate_job, isolate_job, d,
                       (GDestroyNotify) isolate_data_free, (GDestroyNotify) isolate_result_free,
                       self->cancellable, isolate_done_cb, self);
}

static void
create_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = aq_db_job_run_finish (result, create_job, &error);
  AqValvesTool *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_VALVES_TOOL (user_data);
  set_busy (self, FALSE);
  update_controls (self);
  if (id == NULL)
    {
      g_signal_emit (self, signals[MESSAGE], 0, error ? error->message : "");
      return;
    }
  self->outage_id = *id;
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, *id);
    g_autofree char *text = g_strdup_printf (_("Emergency outage %s created for the isolated "
                                               "accounts"), number);

    g_signal_emit (self, signals[MESSAGE], 0, text);
  }
}

static void
toggle_cb (AqValvesTool *self)
{
  aq_valves_tool_set_active (self, gtk_toggle_button_get_active (self->toggle));
}

static void
create_clicked_cb (AqValvesTool *self)
{
  aq_valves_tool_create_outage (self);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            AqValvesTool    *self)
{
  self->press_x = x;
  self->press_y = y;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             AqValvesTool    *self)
{
  /* a pan ends with a release too: only a click that did not move counts */
  if (!self->active || hypot (x - self->press_x, y - self->press_y) > 4.0)
    return;
  aq_valves_tool_click (self, x, y);
}

/* ---- drawing ---- */

static void
path_to (cairo_t         *cr,
         ShumateViewport *viewport,
         GtkWidget       *widget,
         GArray          *path)
{
  for (guint k = 0; k < path->len / 2; k++)
    {
      double x, y;

      shumate_viewport_location_to_widget_coords (viewport, widget,
                                                  g_array_index (path, double, 2 * k + 1),
                                                  g_array_index (path, double, 2 * k), &x, &y);
      if (k == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
}

/* The polygon's rings from its GeoJSON (a MultiPolygon). */
static void
polygon_to (cairo_t         *cr,
            ShumateViewport *viewport,
            GtkWidget       *widget,
            const char      *geojson)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *polygons;

  if (!json_parser_load_from_data (parser, geojson, -1, NULL))
    return;
  polygons = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "coordinates");
  for (guint p = 0; polygons && p < json_array_get_length (polygons); p++)
    {
      JsonArray *rings = json_array_get_array_element (polygons, p);

      for (guint r = 0; r < json_array_get_length (rings); r++)
        {
          JsonArray *ring = json_array_get_array_element (rings, r);

          for (guint k = 0; k < json_array_get_length (ring); k++)
            {
              JsonArray *pt = json_array_get_array_element (ring, k);
              double x, y;

              shumate_viewport_location_to_widget_coords (
                viewport, widget, json_array_get_double_element (pt, 1),
                json_array_get_double_element (pt, 0), &x, &y);
              if (k == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
          cairo_close_path (cr);
        }
    }
}

static void
draw_valves (cairo_t         *cr,
             ShumateViewport *viewport,
             GtkWidget       *widget,
             GArray          *points,
             gboolean         stuck)
{
  for (guint i = 0; points && i < points->len; i++)
    {
      AqNetworkPoint *p = &g_array_index (points, AqNetworkPoint, i);
      double x, y;

      shumate_viewport_location_to_widget_coords (viewport, widget, p->lat, p->lon, &x, &y);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
      if (stuck)
        cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      else
        cairo_set_source_rgb (cr, 0.1, 0.35, 0.85);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      if (stuck)
        {
          cairo_move_to (cr, x - 4, y - 4);
          cairo_line_to (cr, x + 4, y + 4);
          cairo_move_to (cr, x + 4, y - 4);
          cairo_line_to (cr, x - 4, y + 4);
          cairo_stroke (cr);
        }
    }
}

static void
aq_valves_tool_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  AqValvesTool *self = AQ_VALVES_TOOL (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  AqIsolation *iso = self->isolation;
  cairo_t *cr;

  if (!self->active || iso == NULL || w <= 0 || h <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (iso->polygon)
    {
      polygon_to (cr, viewport, widget, iso->polygon->geojson);
      cairo_set_source_rgba (cr, 0.85, 0.2, 0.15, 0.18);
      cairo_fill (cr);
    }
  cairo_set_line_width (cr, 4);
  cairo_set_source_rgb (cr, 0.95, 0.55, 0.1);
  for (guint i = 0; iso->dry_paths && i < iso->dry_paths->len; i++)
    {
      path_to (cr, viewport, widget, g_ptr_array_index (iso->dry_paths, i));
      cairo_stroke (cr);
    }
  cairo_set_line_width (cr, 6);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  for (guint i = 0; iso->isolated_paths && i < iso->isolated_paths->len; i++)
    {
      path_to (cr, viewport, widget, g_ptr_array_index (iso->isolated_paths, i));
      cairo_stroke (cr);
    }
  draw_valves (cr, viewport, widget, iso->stuck_points, TRUE);
  draw_valves (cr, viewport, widget, iso->close_points, FALSE);
  cairo_destroy (cr);
}

static void
viewport_changed_cb (AqValvesTool *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- GObject overrides ---- */

static void
aq_valves_tool_dispose (GObject *object)
{
  AqValvesTool *self = AQ_VALVES_TOOL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->controls);
  G_OBJECT_CLASS (aq_valves_tool_parent_class)->dispose (object);
}

static void
aq_valves_tool_finalize (GObject *object)
{
  AqValvesTool *self = AQ_VALVES_TOOL (object);

  g_free (self->conninfo);
  network_box_release (self->network);
  aq_isolation_free (self->isolation);
  g_array_unref (self->stuck);
  G_OBJECT_CLASS (aq_valves_tool_parent_class)->finalize (object);
}

static void
aq_valves_tool_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AqValvesTool *self = AQ_VALVES_TOOL (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_valves_tool_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ACTIVE:
      aq_valves_tool_set_active (AQ_VALVES_TOOL (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_valves_tool_class_init (AqValvesToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_valves_tool_dispose;
  object_class->finalize = aq_valves_tool_finalize;
  object_class->get_property = aq_valves_tool_get_property;
  object_class->set_property = aq_valves_tool_set_property;
  widget_class->snapshot = aq_valves_tool_snapshot;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ISOLATED] = g_signal_new ("isolated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
aq_valves_tool_init (AqValvesTool *self)
{
  GtkBox *box;

  self->stuck = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);

  box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  self->controls = g_object_ref_sink (GTK_WIDGET (box));
  self->toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Isolate Burst")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->toggle),
                               _("Click a burst pipe to see the valves to close and who loses "
                                 "water; click a marked valve if it won't close"));
  gtk_widget_set_name (GTK_WIDGET (self->toggle), "valves-toggle");
  self->create_button = GTK_BUTTON (gtk_button_new_with_label (_("Create Outage")));
  gtk_widget_set_name (GTK_WIDGET (self->create_button), "valves-create");
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), FALSE);
  gtk_box_append (box, GTK_WIDGET (self->toggle));
  gtk_box_append (box, GTK_WIDGET (self->create_button));
  g_signal_connect_object (self->toggle, "toggled", G_CALLBACK (toggle_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->create_button, "clicked", G_CALLBACK (create_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  update_controls (self);
}

/* ---- public API ---- */

AqValvesTool *
aq_valves_tool_new (ShumateMap *map)
{
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  AqValvesTool *self = g_object_new (AQ_TYPE_VALVES_TOOL, "viewport", viewport, NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  self->map = map;
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, 0);
  g_signal_connect_object (click, "released", G_CALLBACK (released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return self;
}

void
aq_valves_tool_set_conninfo (AqValvesTool *self,
                                const char   *conninfo)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  if (g_strcmp0 (self->conninfo, conninfo) == 0)
    return;
  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  /* another warehouse: another network */
  g_clear_pointer (&self->network, network_box_release);
}

void
aq_valves_tool_set_active (AqValvesTool *self,
                           gboolean      active)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  gtk_toggle_button_set_active (self->toggle, active);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), active);
  update_controls (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
aq_valves_tool_get_active (AqValvesTool *self)
{
  g_return_val_if_fail (AQ_IS_VALVES_TOOL (self), FALSE);
  return self->active;
}

GtkWidget *
aq_valves_tool_get_controls (AqValvesTool *self)
{
  g_return_val_if_fail (AQ_IS_VALVES_TOOL (self), NULL);
  return self->controls;
}

void
aq_valves_tool_click (AqValvesTool *self,
                      double        x,
                      double        y)
{
  ShumateViewport *viewport;
  double lat, lon;

  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  viewport = shumate_map_get_viewport (self->map);
  /* a marked valve first: "won't close" (or, stuck already, "closes after all") */
  if (self->isolation)
    for (guint k = 0; k < 2; k++)
      {
        GArray *points = k ? self->isolation->stuck_points : self->isolation->close_points;

        for (guint i = 0; points && i < points->len; i++)
          {
            AqNetworkPoint *p = &g_array_index (points, AqNetworkPoint, i);
            double vx, vy;

            shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self->map),
                                                        p->lat, p->lon, &vx, &vy);
            if (hypot (vx - x, vy - y) <= VALVE_HIT_PX)
              {
                aq_valves_tool_toggle_stuck (self, p->valve_id);
                return;
              }
          }
      }
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->map), x, y,
                                              &lat, &lon);
  aq_valves_tool_burst_at (self, lon, lat);
}

void
aq_valves_tool_burst_at (AqValvesTool *self,
                         double        lon,
                         double        lat)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  /* a new burst starts with every valve trusted again */
  g_array_set_size (self->stuck, 0);
  self->outage_id = 0;
  start_isolation (self, lon, lat, 0);
}

void
aq_valves_tool_toggle_stuck (AqValvesTool *self,
                             gint64        valve_id)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  if (self->pipe_id == 0)
    return;
  for (guint i = 0; i < self->stuck->len; i++)
    if (g_array_index (self->stuck, gint64, i) == valve_id)
      {
        g_array_remove_index (self->stuck, i);
        start_isolation (self, 0, 0, self->pipe_id);
        return;
      }
  g_array_append_val (self->stuck, valve_id);
  start_isolation (self, 0, 0, self->pipe_id);
}

/**
 * aq_valves_tool_isolate_pipe:
 *
 * What "Isolate this pipe" on the network layer hands over: the tool turns on and isolates a
 * burst on @pipe_id, every valve trusted.
 */
void
aq_valves_tool_isolate_pipe (AqValvesTool *self,
                             gint64        pipe_id)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  aq_valves_tool_set_active (self, TRUE);
  g_array_set_size (self->stuck, 0);
  self->outage_id = 0;
  start_isolation (self, 0, 0, pipe_id);
}

/**
 * aq_valves_tool_valve_wont_close:
 *
 * What "Won't close" on the network layer hands over: when the burst shown closes
 * @valve_id, it is recomputed with that valve stuck (as a click on the marked valve does);
 * otherwise the tool turns on for a burst on the valve's own pipe (@pipe_id) with it stuck.
 */
void
aq_valves_tool_valve_wont_close (AqValvesTool *self,
                                 gint64        valve_id,
                                 gint64        pipe_id)
{
  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  aq_valves_tool_set_active (self, TRUE);
  if (self->isolation != NULL && self->pipe_id != 0)
    for (guint i = 0; i < self->isolation->close_valves->len; i++)
      if (g_array_index (self->isolation->close_valves, gint64, i) == valve_id)
        {
          aq_valves_tool_toggle_stuck (self, valve_id);
          return;
        }
  g_array_set_size (self->stuck, 0);
  g_array_append_val (self->stuck, valve_id);
  self->outage_id = 0;
  start_isolation (self, 0, 0, pipe_id);
}

void
aq_valves_tool_create_outage (AqValvesTool *self)
{
  CreateData *d;
  AqIsolation *iso;

  g_return_if_fail (AQ_IS_VALVES_TOOL (self));
  if (self->isolation == NULL || self->isolation->polygon == NULL || self->busy)
    return;
  iso = g_new0 (AqIsolation, 1);
  iso->pipe_id = self->isolation->pipe_id;
  iso->isolated_segments = g_array_copy (self->isolation->isolated_segments);
  iso->dry_segments = g_array_copy (self->isolation->dry_segments);
  iso->polygon = aq_geometry_copy (self->isolation->polygon);
  d = g_new0 (CreateData, 1);
  d->isolation = iso;
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, self->isolation->pipe_id);

    d->reason = g_strdup_printf (_("Burst main repair (pipe %s)"), number);
  }
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  update_controls (self);
  aq_db_job_run_async (self->conninfo, create_job, create_job, d,
                       (GDestroyNotify) create_data_free, g_free, self->cancellable,
                       create_done_cb, self);
}

gboolean
aq_valves_tool_get_busy (AqValvesTool *self)
{
  g_return_val_if_fail (AQ_IS_VALVES_TOOL (self), FALSE);
  return self->busy > 0;
}

const AqIsolation *
aq_valves_tool_get_isolation (AqValvesTool *self)
{
  g_return_val_if_fail (AQ_IS_VALVES_TOOL (self), NULL);
  return self->isolation;
}

gint64
aq_valves_tool_get_outage_id (AqValvesTool *self)
{
  g_return_val_if_fail (AQ_IS_VALVES_TOOL (self), 0);
  return self->outage_id;
}
