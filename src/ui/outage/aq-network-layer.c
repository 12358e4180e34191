/* aq-network-layer.c — the water network on the outage map: pipes, valves, sources
 *
 * Pipes coloured and widened by diameter, valves by status (open, closed, broken: not
 * operable) and the sources (plants' outlets and tanks), from the network tables of
 * migration 012 through aq_network_features_load(). Like AqOverlayLayer, an AqMapDataLayer
 * (aq-map-data-layer.c): one drawing layer, fed by a worker thread for the viewport plus a
 * margin once the viewport has settled; a newer fetch cancels the older, a move within the
 * fetched box fetches nothing. Below street zoom only the mains (DN 300 and up) are fetched
 * and the valves not at all.
 *
 * A click on a pipe or a valve drawn here (when no map tool takes clicks) opens a card with
 * what it is — id, DN, material and year, or status — and "Isolate this pipe" or "Won't
 * close", which the panel hands to the Valves tool (aq-valves-tool.c).
 */
#define G_LOG_DOMAIN "aq-network-layer"

#include "config.h"

#include "aq-network-layer.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MAINS_DN 300
#define HIT_VALVE_PX 8.0   /* a click this close to a valve's mark is on it */
#define HIT_PIPE_PX 6.0

struct _AqNetworkLayer
{
  AqMapDataLayer parent_instance;

  gboolean      inspect;       /* clicks open the card */
  GtkWidget    *card;          /* (nullable): the GtkPopover */
  AqNetworkFeature *picked;    /* (nullable): a copy of what the card shows */
  double        press_x, press_y;
};

enum
{
  ISOLATE_PIPE,
  VALVE_WONT_CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The swatch is the colour the kind is drawn in: the layer list is the legend. */
static const struct
{
  AqNetworkFeatureKind  kind;
  const char           *title;
  const char           *swatch;
} toggles[] = {
  { AQ_NETWORK_FEATURE_PIPE, N_("Network pipes (by diameter)"), "#1a80e6" },
  { AQ_NETWORK_FEATURE_VALVE, N_("Network valves (open, closed, broken)"), "#1a994d" },
  { AQ_NETWORK_FEATURE_SOURCE, N_("Water sources (plants, tanks)"), "#0d1a73" },
};

G_DEFINE_FINAL_TYPE (AqNetworkLayer, aq_network_layer, AQ_TYPE_MAP_DATA_LAYER)

/* ---- auxiliary methods ---- */

static double
zoom (AqNetworkLayer *self)
{
  return aq_map_data_layer_get_zoom (AQ_MAP_DATA_LAYER (self));
}

static guint
wanted_kinds (AqNetworkLayer *self)
{
  guint kinds = aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self));

  if (zoom (self) < 15)
    kinds &= ~(1u << AQ_NETWORK_FEATURE_VALVE);
  return kinds;
}

static int
wanted_dn (AqNetworkLayer *self)
{
  return zoom (self) < 14 ? MAINS_DN : 0;
}

/* The kinds shown and, above them, the smallest DN; 0 when no kind is shown. */
static guint64
wanted (AqMapDataLayer *layer)
{
  AqNetworkLayer *self = AQ_NETWORK_LAYER (layer);
  guint kinds = wanted_kinds (self);

  return kinds ? kinds | ((guint64) wanted_dn (self) << 32) : 0;
}

typedef struct
{
  double  box[4];
  guint   kinds;
  int     min_dn;
  double  tolerance;
} FetchData;

/* Runs on a worker thread with a pooled connection (aq-db-job.c). */
static gpointer
fetch_job (AqDb          *db,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  FetchData *data = task_data;
  g_autoptr(GPtrArray) by_kind = NULL;

  by_kind = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint kind = 0; kind < AQ_NETWORK_FEATURE_N_KINDS; kind++)
    {
      GPtrArray *features;

      if ((data->kinds & (1u << kind)) == 0)
        features = g_ptr_array_new ();
      else
        features = aq_network_features_load (db, kind, data->box[0], data->box[1],
                                             data->box[2], data->box[3], data->min_dn,
                                             data->tolerance, 0, cancellable, error);
      if (features == NULL)
        return NULL;
      g_ptr_array_add (by_kind, features);
    }
  return g_steal_pointer (&by_kind);
}

static gpointer
request_new (AqMapDataLayer *layer,
             const double    box[4],
             double          tolerance,
             guint64         key)
{
  FetchData *data = g_new0 (FetchData, 1);

  memcpy (data->box, box, sizeof data->box);
  data->kinds = (guint) (key & G_MAXUINT32);
  data->min_dn = (int) (key >> 32);
  data->tolerance = tolerance;
  return data;
}

/* ---- drawing ---- */

static void
to_xy (AqNetworkLayer   *self,
       AqNetworkFeature *feature,
       guint             i,
       double           *x,
       double           *y)
{
  shumate_viewport_location_to_widget_coords (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                                              GTK_WIDGET (self),
                                              g_array_index (feature->coords, double, 2 * i + 1),
                                              g_array_index (feature->coords, double, 2 * i),
                                              x, y);
}

/* Small pipes light blue and thin, trunk mains dark blue and wide. */
static void
pipe_style (cairo_t *cr,
            int      dn)
{
  if (dn >= 800)
    cairo_set_source_rgba (cr, 0.05, 0.15, 0.55, 0.95), cairo_set_line_width (cr, 5.0);
  else if (dn >= 500)
    cairo_set_source_rgba (cr, 0.05, 0.30, 0.75, 0.95), cairo_set_line_width (cr, 4.0);
  else if (dn >= 300)
    cairo_set_source_rgba (cr, 0.10, 0.50, 0.90, 0.9), cairo_set_line_width (cr, 3.0);
  else if (dn >= 150)
    cairo_set_source_rgba (cr, 0.25, 0.70, 0.95, 0.9), cairo_set_line_width (cr, 2.0);
  else
    cairo_set_source_rgba (cr, 0.45, 0.80, 0.95, 0.9), cairo_set_line_width (cr, 1.2);
}

static void
draw_feature (AqNetworkLayer   *self,
              cairo_t          *cr,
              AqNetworkFeature *feature)
{
  double x, y;
  guint n = feature->coords->len / 2;

  if (n == 0)
    return;
  cairo_new_path (cr);
  switch (feature->kind)
    {
    case AQ_NETWORK_FEATURE_PIPE:
      for (guint i = 0; i < n; i++)
        {
          to_xy (self, feature, i, &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      pipe_style (cr, feature->dn);
      cairo_stroke (cr);
      break;

    case AQ_NETWORK_FEATURE_VALVE:
      /* a bow-tie-less square: green open, red closed, black with a cross broken */
      to_xy (self, feature, 0, &x, &y);
      cairo_rectangle (cr, x - 4, y - 4, 8, 8);
      if (g_strcmp0 (feature->status, "broken") == 0)
        cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      else if (g_strcmp0 (feature->status, "closed") == 0)
        cairo_set_source_rgb (cr, 0.85, 0.15, 0.15);
      else
        cairo_set_source_rgb (cr, 0.10, 0.60, 0.30);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      if (g_strcmp0 (feature->status, "broken") == 0)
        {
          cairo_move_to (cr, x - 3, y - 3);
          cairo_line_to (cr, x + 3, y + 3);
          cairo_move_to (cr, x + 3, y - 3);
          cairo_line_to (cr, x - 3, y + 3);
          cairo_set_source_rgb (cr, 1, 0.8, 0.1);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
      break;

    case AQ_NETWORK_FEATURE_SOURCE:
      /* a triangle: navy for a plant, teal for a tank */
      to_xy (self, feature, 0, &x, &y);
      cairo_move_to (cr, x, y - 9);
      cairo_line_to (cr, x + 8, y + 6);
      cairo_line_to (cr, x - 8, y + 6);
      cairo_close_path (cr);
      if (g_strcmp0 (feature->status, "plant") == 0)
        cairo_set_source_rgb (cr, 0.05, 0.10, 0.45);
      else
        cairo_set_source_rgb (cr, 0.0, 0.55, 0.55);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      break;

    default:
      break;
    }
}

static void
aq_network_layer_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AqNetworkLayer *self = AQ_NETWORK_LAYER (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GPtrArray *by_kind = aq_map_data_layer_get_features (AQ_MAP_DATA_LAYER (self));
  guint visible = aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self));
  cairo_t *cr;

  if (by_kind == NULL || w <= 0 || h <= 0 || visible == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* pipes (small under large: the query orders by DN) under valves under sources */
  for (guint kind = 0; kind < AQ_NETWORK_FEATURE_N_KINDS && kind < by_kind->len; kind++)
    {
      GPtrArray *features = g_ptr_array_index (by_kind, kind);

      if ((visible & (1u << kind)) == 0)
        continue;
      for (guint i = 0; i < features->len; i++)
        draw_feature (self, cr, g_ptr_array_index (features, i));
    }
  cairo_destroy (cr);
}

/* ---- the card a click opens ---- */

static double
segment_distance (double px,
                  double py,
                  double ax,
                  double ay,
                  double bx,
                  double by)
{
  double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / l2, 0.0, 1.0) : 0.0;

  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

static const char *
material_name (const char *code)
{
  static const struct { const char *code, *name; } names[] = {
    { "DI", N_("ductile iron") }, { "PE", N_("polyethylene") }, { "STEEL", N_("steel") },
    { "PCCP", N_("prestressed concrete") }, { "CI", N_("cast iron") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (code, names[i].code) == 0)
      return _(names[i].name);
  return code ? code : "";
}

static const char *
valve_status_name (const char *status)
{
  if (g_strcmp0 (status, "broken") == 0)
    return _("broken: won't turn");
  if (g_strcmp0 (status, "closed") == 0)
    return _("closed (normal position)");
  return _("open");
}

static AqNetworkFeature *
feature_copy (const AqNetworkFeature *f)
{
  AqNetworkFeature *copy = g_new0 (AqNetworkFeature, 1);

  *copy = *f;
  copy->status = g_strdup (f->status);
  copy->name = g_strdup (f->name);
  copy->coords = g_array_copy (f->coords);
  return copy;
}

static void
card_isolate_cb (AqNetworkLayer *self)
{
  gint64 pipe = self->picked ? self->picked->id : 0;

  gtk_popover_popdown (GTK_POPOVER (self->card));
  if (pipe != 0)
    g_signal_emit (self, signals[ISOLATE_PIPE], 0, pipe);
}

static void
card_wont_close_cb (AqNetworkLayer *self)
{
  gint64 valve = self->picked ? self->picked->id : 0;
  gint64 pipe = self->picked ? self->picked->pipe_id : 0;

  gtk_popover_popdown (GTK_POPOVER (self->card));
  if (valve != 0)
    g_signal_emit (self, signals[VALVE_WONT_CLOSE], 0, valve, pipe);
}

static void
show_card (AqNetworkLayer   *self,
           AqNetworkFeature *feature,
           double            x,
           double            y)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (NULL), *details = gtk_label_new (NULL), *button;
  g_autofree char *title_text = NULL, *details_text = NULL, *markup = NULL;
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, feature->id);
  gboolean pipe = feature->kind == AQ_NETWORK_FEATURE_PIPE;

  g_clear_pointer (&self->picked, aq_network_feature_free);
  self->picked = feature_copy (feature);
  if (self->card == NULL)
    {
      self->card = gtk_popover_new ();
      gtk_widget_set_name (self->card, "network-card");
      gtk_widget_set_parent (self->card, GTK_WIDGET (self));
    }

  if (pipe)
    {
      title_text = g_strdup_printf (_("Pipe %s"), id_text);
      details_text = feature->year > 0
        ? g_strdup_printf (_("DN %d · %s · laid %d · in service"), feature->dn,
                           material_name (feature->status), feature->year)
        : g_strdup_printf (_("DN %d · %s · in service"), feature->dn,
                           material_name (feature->status));
      button = gtk_button_new_with_label (_("Isolate This Pipe"));
      gtk_widget_set_name (button, "network-isolate-pipe");
      gtk_widget_set_tooltip_text (button, _("The valves to close for a burst on this pipe, "
                                             "and who loses water"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (card_isolate_cb), self,
                               G_CONNECT_SWAPPED);
    }
  else
    {
      g_autofree char *pipe_text = g_strdup_printf ("%" G_GINT64_FORMAT, feature->pipe_id);

      title_text = g_strdup_printf (_("Valve %s"), id_text);
      details_text = g_strdup_printf (_("DN %d · %s · on pipe %s"), feature->dn,
                                      valve_status_name (feature->status), pipe_text);
      button = gtk_button_new_with_label (_("Won't Close"));
      gtk_widget_set_name (button, "network-wont-close");
      gtk_widget_set_tooltip_text (button, _("Isolate a burst next to this valve with it "
                                             "stuck open, or recompute the burst shown"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (card_wont_close_cb), self,
                               G_CONNECT_SWAPPED);
    }
  markup = g_markup_printf_escaped ("<b>%s</b>", title_text);
  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_text (GTK_LABEL (details), details_text);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_widget_set_name (details, "network-card-details");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_sensitive (button, pipe || feature->pipe_id != 0);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), details);
  gtk_box_append (GTK_BOX (box), button);
  gtk_popover_set_child (GTK_POPOVER (self->card), box);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->card),
                               &(GdkRectangle) { (int) x - 1, (int) y - 1, 2, 2 });
  gtk_popover_popup (GTK_POPOVER (self->card));
}

/* The valve (first) or pipe drawn under (@x, @y), or NULL. */
static AqNetworkFeature *
pick (AqNetworkLayer *self,
      double          x,
      double          y)
{
  static const struct { AqNetworkFeatureKind kind; double px; } order[] = {
    { AQ_NETWORK_FEATURE_VALVE, HIT_VALVE_PX }, { AQ_NETWORK_FEATURE_PIPE, HIT_PIPE_PX },
  };
  guint visible = aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self));

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      GPtrArray *features = aq_map_data_layer_get_kind (AQ_MAP_DATA_LAYER (self),
                                                        order[o].kind);
      AqNetworkFeature *best = NULL;
      double best_d = order[o].px;

      if ((visible & (1u << order[o].kind)) == 0 || features == NULL)
        continue;
      for (guint i = 0; i < features->len; i++)
        {
          AqNetworkFeature *f = g_ptr_array_index (features, i);
          guint n = f->coords->len / 2;
          double ax, ay, bx, by, d = G_MAXDOUBLE;

          if (n == 0)
            continue;
          to_xy (self, f, 0, &ax, &ay);
          if (n == 1)
            d = hypot (x - ax, y - ay);
          for (guint k = 1; k < n; k++, ax = bx, ay = by)
            {
              to_xy (self, f, k, &bx, &by);
              d = MIN (d, segment_distance (x, y, ax, ay, bx, by));
            }
          if (d <= best_d)
            {
              best_d = d;
              best = f;
            }
        }
      if (best != NULL)
        return best;
    }
  return NULL;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            AqNetworkLayer  *self)
{
  self->press_x = x;
  self->press_y = y;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             AqNetworkLayer  *self)
{
  GtkWidget *map = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  graphene_point_t p;

  /* a pan ends with a release too: only a click that did not move counts */
  if (hypot (x - self->press_x, y - self->press_y) > 4.0)
    return;
  if (!gtk_widget_compute_point (map, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &p))
    return;
  aq_network_layer_click (self, p.x, p.y);
}

/* ---- GObject overrides ---- */

static void
aq_network_layer_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AqNetworkLayer *self = AQ_NETWORK_LAYER (widget);

  GTK_WIDGET_CLASS (aq_network_layer_parent_class)->size_allocate (widget, width, height,
                                                                   baseline);
  if (self->card != NULL)
    gtk_popover_present (GTK_POPOVER (self->card));
}

static void
aq_network_layer_dispose (GObject *object)
{
  AqNetworkLayer *self = AQ_NETWORK_LAYER (object);

  g_clear_pointer (&self->picked, aq_network_feature_free);
  g_clear_pointer (&self->card, gtk_widget_unparent);

  G_OBJECT_CLASS (aq_network_layer_parent_class)->dispose (object);
}

static void
aq_network_layer_class_init (AqNetworkLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AqMapDataLayerClass *data_class = AQ_MAP_DATA_LAYER_CLASS (klass);

  object_class->dispose = aq_network_layer_dispose;
  widget_class->snapshot = aq_network_layer_snapshot;
  widget_class->size_allocate = aq_network_layer_size_allocate;
  data_class->wanted = wanted;
  data_class->request_new = request_new;
  data_class->fetch_job = fetch_job;
  data_class->what = "the network layers";

  /* "Isolate this pipe" on a pipe's card */
  signals[ISOLATE_PIPE] = g_signal_new ("isolate-pipe", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  /* "Won't close" on a valve's card: the valve and its pipe */
  signals[VALVE_WONT_CLOSE] = g_signal_new ("valve-wont-close", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
aq_network_layer_init (AqNetworkLayer *self)
{
  /* no kind shown until switched on: the Mains overlay already shows the big picture */
  self->inspect = TRUE;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* ---- public API ---- */

AqNetworkLayer *
aq_network_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);
  return g_object_new (AQ_TYPE_NETWORK_LAYER, "viewport", viewport, NULL);
}

void
aq_network_layer_set_conninfo (AqNetworkLayer *self,
                               const char     *conninfo)
{
  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  aq_map_data_layer_set_conninfo (AQ_MAP_DATA_LAYER (self), conninfo);
}

void
aq_network_layer_set_kind_visible (AqNetworkLayer       *self,
                                   AqNetworkFeatureKind  kind,
                                   gboolean              visible)
{
  AqMapDataLayer *layer = (AqMapDataLayer *) self;
  guint kinds;

  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  g_return_if_fail (kind < AQ_NETWORK_FEATURE_N_KINDS);
  kinds = aq_map_data_layer_get_visible_kinds (layer);
  aq_map_data_layer_set_visible_kinds (layer, visible ? kinds | 1u << kind : kinds & ~(1u << kind));
}

gboolean
aq_network_layer_get_kind_visible (AqNetworkLayer       *self,
                                   AqNetworkFeatureKind  kind)
{
  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), FALSE);
  return (aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self)) & (1u << kind)) != 0;
}

void
aq_network_layer_reload (AqNetworkLayer *self)
{
  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  aq_map_data_layer_reload (AQ_MAP_DATA_LAYER (self));
}

gboolean
aq_network_layer_get_loading (AqNetworkLayer *self)
{
  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), FALSE);
  return aq_map_data_layer_is_fetching (AQ_MAP_DATA_LAYER (self))
         || aq_map_data_layer_is_settling (AQ_MAP_DATA_LAYER (self));
}

guint
aq_network_layer_get_n_features (AqNetworkLayer       *self,
                                 AqNetworkFeatureKind  kind)
{
  GPtrArray *features;

  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), 0);
  features = aq_map_data_layer_get_kind (AQ_MAP_DATA_LAYER (self), kind);
  return features ? features->len : 0;
}

gboolean
aq_network_layer_get_fetched_box (AqNetworkLayer *self,
                                  double          box[4],
                                  int            *min_dn)
{
  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), FALSE);

  if (!aq_map_data_layer_get_fetched_box (AQ_MAP_DATA_LAYER (self), box))
    return FALSE;
  if (min_dn != NULL)
    *min_dn = (int) (aq_map_data_layer_get_fetched (AQ_MAP_DATA_LAYER (self)) >> 32);
  return TRUE;
}

static void
switch_cb (GtkSwitch      *toggle,
           GParamSpec     *pspec,
           AqNetworkLayer *self)
{
  AqNetworkFeatureKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "kind"));

  aq_network_layer_set_kind_visible (self, kind, gtk_switch_get_active (toggle));
}

void
aq_network_layer_add_toggles (AqNetworkLayer *self,
                              GtkBox         *box)
{
  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  g_return_if_fail (GTK_IS_BOX (box));

  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (_(toggles[i].title));
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>",
                                                 toggles[i].swatch);

      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_switch_set_active (GTK_SWITCH (toggle),
                             aq_network_layer_get_kind_visible (self, toggles[i].kind));
      g_object_set_data (G_OBJECT (toggle), "kind", GUINT_TO_POINTER (toggles[i].kind));
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (switch_cb), self, 0);
      gtk_widget_set_name (toggle, toggles[i].title);
      gtk_box_append (GTK_BOX (row), swatch);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), toggle);
      gtk_box_append (box, row);
    }
}

/**
 * aq_network_layer_attach_clicks:
 *
 * Clicks on @map (that do not move it) open the card of the pipe or valve under them while
 * inspecting is on.
 */
void
aq_network_layer_attach_clicks (AqNetworkLayer *self,
                                ShumateMap     *map)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, 0);
  g_signal_connect_object (click, "released", G_CALLBACK (released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (click));
}

void
aq_network_layer_set_inspect (AqNetworkLayer *self,
                              gboolean        inspect)
{
  g_return_if_fail (AQ_IS_NETWORK_LAYER (self));
  self->inspect = !!inspect;
  if (!self->inspect && self->card != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->card));
}

/**
 * aq_network_layer_click:
 *
 * A click at (@x, @y), widget coordinates of the layer: the card of the valve or pipe drawn
 * there, while inspecting is on. Returns: whether a card opened.
 */
gboolean
aq_network_layer_click (AqNetworkLayer *self,
                        double          x,
                        double          y)
{
  AqNetworkFeature *feature;

  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), FALSE);
  if (!self->inspect)
    return FALSE;
  feature = pick (self, x, y);
  if (feature == NULL)
    return FALSE;
  show_card (self, feature, x, y);
  return TRUE;
}

GtkWidget *
aq_network_layer_get_card (AqNetworkLayer *self)
{
  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), NULL);
  return self->card;
}

const AqNetworkFeature *
aq_network_layer_get_picked (AqNetworkLayer *self)
{
  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), NULL);
  return self->picked;
}

const AqNetworkFeature *
aq_network_layer_get_feature (AqNetworkLayer       *self,
                              AqNetworkFeatureKind  kind,
                              guint                 index)
{
  GPtrArray *features;

  g_return_val_if_fail (AQ_IS_NETWORK_LAYER (self), NULL);
  features = aq_map_data_layer_get_kind (AQ_MAP_DATA_LAYER (self), kind);
  return features && index < features->len ? g_ptr_array_index (features, index) : NULL;
}
