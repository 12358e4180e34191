/* aq-pipeline-canvas.c — the pipeline editor's canvas: a view of an AqPipelineGraph
 *
 * Steps are cards (icon, id, type, the type's key setting, and during a run its rows and
 * time), edges are curves from a card's output port (right) to another's input port (left).
 * Everything is drawn in snapshot: the edges as cairo curves in one node, each visible card
 * as render nodes (colours, borders, text, icon) built once and kept until the graph, the
 * selection, the problems or its run figures change — a pan frame only translates them, and
 * cards outside the view are skipped (tests/bench/bench-pipeline-editor.c measures a pan of
 * 200 steps with the frame clock).
 *
 * Every edit goes to the graph (one undo step each: a whole drag is one move); the canvas only
 * keeps the view (zoom, pan), the selection and what a run reported per step. Drag a card to
 * move it (the selection with it), drag from an output port to another card to connect, drag
 * the background (or scroll) to pan, Ctrl+scroll to zoom; a step type dropped from the palette
 * becomes a step where it lands. Keys: Delete, Ctrl+D, arrows (nudge), Tab / Shift+Tab (the
 * steps in run order), +/−/0 (zoom).
 */
#define G_LOG_DOMAIN "aq-pipeline-canvas"

#include "config.h"

#include "aq-pipeline-canvas.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

#define PORT_RADIUS 6.0
#define NUDGE 10.0
#define MIN_ZOOM 0.25
#define MAX_ZOOM 2.5

typedef enum { DRAG_NONE, DRAG_PAN, DRAG_MOVE, DRAG_CONNECT } DragMode;

typedef struct
{
  AqPipelineStepState state;
  gint64              rows_in;
  gint64              rows_out;
  double              duration_ms;
  char               *error;
} StepStatus;

/* What a card shows, laid out once per graph change. */
typedef struct
{
  PangoLayout *title;
  PangoLayout *kind;
  PangoLayout *key;
  PangoLayout *status;
  const char  *icon_name;
  const char  *type;
  GtkIconPaintable *icon;
  GskRenderNode    *node;   /* the card at scale 1, built on first draw */
} Card;

struct _AqPipelineCanvas
{
  GtkWidget        parent_instance;

  AqPipelineGraph *graph;
  gulong           changed_id;
  GPtrArray       *problems;     /* (element-type AqPipelineProblem) */
  GHashTable      *status;       /* step id → StepStatus */
  GHashTable      *cards;        /* step id → Card */
  GPtrArray       *selection;    /* (element-type utf8) ids, the last one is the primary */

  double           zoom;
  double           pan_x;        /* widget = canvas × zoom + pan */
  double           pan_y;

  DragMode         drag;
  char            *drag_step;    /* the card (or port) the drag started on */
  double           drag_start_x; /* widget coordinates of the drag start */
  double           drag_start_y;
  double           drag_dx;      /* the offset so far, widget units */
  double           drag_dy;
  double           drag_pan_x;
  double           drag_pan_y;

  gboolean         read_only;    /* a stored version looked at: select and pan only */
  char            *edge_from;    /* the selected edge (clicked on its curve), or NULL */
  char            *edge_to;
};

G_DEFINE_FINAL_TYPE (AqPipelineCanvas, aq_pipeline_canvas, GTK_TYPE_WIDGET)

enum { SELECTION_CHANGED, EDIT_REFUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void
step_status_free (StepStatus *status)
{
  g_free (status->error);
  g_free (status);
}

static void
card_free (Card *card)
{
  g_clear_object (&card->title);
  g_clear_object (&card->kind);
  g_clear_object (&card->key);
  g_clear_object (&card->status);
  g_clear_object (&card->icon);
  g_clear_pointer (&card->node, gsk_render_node_unref);
  g_free (card);
}

static void
to_widget (AqPipelineCanvas *self,
           double            x,
           double            y,
           double           *wx,
           double           *wy)
{
  *wx = x * self->zoom + self->pan_x;
  *wy = y * self->zoom + self->pan_y;
}

static void
to_canvas (AqPipelineCanvas *self,
           double            wx,
           double            wy,
           double           *x,
           double           *y)
{
  *x = (wx - self->pan_x) / self->zoom;
  *y = (wy - self->pan_y) / self->zoom;
}

static gboolean
is_selected (AqPipelineCanvas *self,
             const char       *id)
{
  for (guint i = 0; i < self->selection->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->selection, i), id) == 0)
      return TRUE;
  return FALSE;
}

/* Where a step is drawn, canvas units: while a move is dragged, the selection is offset. */
static void
card_origin (AqPipelineCanvas *self,
             const char       *id,
             double           *x,
             double           *y)
{
  aq_pipeline_graph_get_position (self->graph, id, x, y);
  if (self->drag == DRAG_MOVE && is_selected (self, id))
    {
      *x += self->drag_dx / self->zoom;
      *y += self->drag_dy / self->zoom;
    }
}

/* The step under a widget point, and whether the point is on its output port. */
static const char *
pick (AqPipelineCanvas *self,
      double            wx,
      double            wy,
      gboolean         *on_output)
{
  double x, y;

  if (on_output)
    *on_output = FALSE;
  if (self->graph == NULL)
    return NULL;
  to_canvas (self, wx, wy, &x, &y);
  /* the last drawn is on top */
  for (guint i = aq_pipeline_graph_get_n_steps (self->graph); i-- > 0;)
    {
      const char *id = aq_pipeline_graph_get_step_id (self->graph, i);
      double cx, cy;
      double port_r = (PORT_RADIUS + 4) / self->zoom;

      if (id == NULL)
        continue;
      card_origin (self, id, &cx, &cy);
      if (on_output && hypot (x - (cx + AQ_PIPELINE_CARD_WIDTH),
                              y - (cy + AQ_PIPELINE_CARD_HEIGHT / 2)) <= port_r)
        {
          *on_output = TRUE;
          return id;
        }
      if (x >= cx && x <= cx + AQ_PIPELINE_CARD_WIDTH && y >= cy
          && y <= cy + AQ_PIPELINE_CARD_HEIGHT)
        return id;
    }
  return NULL;
}

static void forget_cards (AqPipelineCanvas *self);

static void
selection_changed (AqPipelineCanvas *self)
{
  forget_cards (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drops ids that are gone (after an undo, a delete). */
static void
prune_selection (AqPipelineCanvas *self)
{
  gboolean changed = FALSE;

  for (guint i = self->selection->len; i-- > 0;)
    if (aq_pipeline_graph_find_step (self->graph, g_ptr_array_index (self->selection, i)) < 0)
      {
        g_ptr_array_remove_index (self->selection, i);
        changed = TRUE;
      }
  if (changed)
    selection_changed (self);
}

/* The key setting of a step in a few words: a SQL member's first line, a list's names. */
static char *
describe_member (JsonObject *step,
                 const char *member)
{
  JsonNode *node = step ? json_object_get_member (step, member) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      /* the first line that is not a comment */
      while (*s)
        {
          const char *end = strchr (s, '\n');
          g_autofree char *line = g_strndup (s, end ? (gsize) (end - s) : strlen (s));

          g_strstrip (line);
          if (*line && !g_str_has_prefix (line, "--"))
            return g_steal_pointer (&line);
          if (end == NULL)
            break;
          s = end + 1;
        }
      return g_strdup (json_node_get_string (node));
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *name = NULL;

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            name = json_node_get_string (item);
          else if (JSON_NODE_HOLDS_OBJECT (item))
            name = json_object_get_string_member_with_default (json_node_get_object (item),
                                                               "name", NULL);
          if (name == NULL)
            continue;
          if (text->len)
            g_string_append (text, ", ");
          g_string_append (text, name);
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  return json_to_string (node, FALSE);
}

static char *
format_count (gint64 n)
{
  if (n < 0)
    return g_strdup ("–");
  if (n >= 10000000)
    return g_strdup_printf ("%.1f M", n / 1e6);
  if (n >= 10000)
    return g_strdup_printf ("%.1f k", n / 1e3);
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static char *
status_text (StepStatus *status)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rate = NULL;

  if (status == NULL)
    return NULL;
  if (status->state == AQ_PIPELINE_STEP_STARTED)
    return g_strdup (_("running…"));
  if (status->state == AQ_PIPELINE_STEP_FAILED)
    return g_strdup (_("failed"));
  in = format_count (status->rows_in);
  out = format_count (status->rows_out);
  rate = format_count (status->duration_ms > 0 && status->rows_out >= 0
                       ? (gint64) (status->rows_out / (status->duration_ms / 1000.0)) : -1);
  /* TRANSLATORS: rows in → rows out · seconds · rows per second, on a step's card */
  return g_strdup_printf (_("%s → %s · %.2f s · %s/s"), in, out, status->duration_ms / 1000.0,
                          rate);
}

static PangoLayout *
make_layout (AqPipelineCanvas *self,
             const char       *text,
             double            width,
             gboolean          bold,
             double            scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

static Card *
get_card (AqPipelineCanvas *self,
          const char       *id)
{
  Card *card = g_hash_table_lookup (self->cards, id);
  JsonObject *step;
  const AqPipelineStepSchema *schema;
  g_autofree char *key = NULL;
  g_autofree char *status = NULL;

  if (card)
    return card;
  step = aq_pipeline_graph_get_step (self->graph, id);
  card = g_new0 (Card, 1);
  card->type = aq_pipeline_graph_get_step_type (self->graph, id);
  schema = aq_pipeline_schema_lookup (card->type);
  card->icon_name = schema ? schema->icon_name : "dialog-question-symbolic";
  key = schema ? describe_member (step, schema->key_member) : g_strdup ("");
  status = status_text (g_hash_table_lookup (self->status, id));
  card->title = make_layout (self, id, AQ_PIPELINE_CARD_WIDTH - 44, TRUE, 1.0);
  card->kind = make_layout (self, schema ? _(schema->label) : card->type ? card->type : "?",
                            AQ_PIPELINE_CARD_WIDTH - 44, FALSE, 0.85);
  card->key = make_layout (self, key, AQ_PIPELINE_CARD_WIDTH - 20, FALSE, 0.85);
  if (status)
    card->status = make_layout (self, status, AQ_PIPELINE_CARD_WIDTH - 20, FALSE, 0.8);
  card->icon = gtk_icon_theme_lookup_icon (
    gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
    card->icon_name, NULL, 16, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
    GTK_TEXT_DIR_NONE, 0);
  g_hash_table_insert (self->cards, g_strdup (id), card);
  return card;
}

static void
forget_cards (AqPipelineCanvas *self)
{
  g_hash_table_remove_all (self->cards);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The band of colour on a card's left says what kind of step it is. */
static void
kind_color (const char *type,
            GdkRGBA    *color)
{
  const AqPipelineStepSchema *schema = aq_pipeline_schema_lookup (type);

  if (schema == NULL)
    gdk_rgba_parse (color, "#9a9996");
  else if (schema->max_inputs == 0 && schema->passes_rows)
    gdk_rgba_parse (color, "#3584e4");       /* inputs */
  else if (g_strcmp0 (type, "table_output") == 0)
    gdk_rgba_parse (color, "#2ec27e");       /* outputs */
  else if (!schema->passes_rows)
    gdk_rgba_parse (color, "#9141ac");       /* sql, gates */
  else
    gdk_rgba_parse (color, "#e5a50a");       /* transforms */
}

static void
edge_path (cairo_t *cr,
           double   x1,
           double   y1,
           double   x2,
           double   y2)
{
  double bend = MAX (40.0, fabs (x2 - x1) / 2);

  cairo_move_to (cr, x1, y1);
  cairo_curve_to (cr, x1 + bend, y1, x2 - bend, y2, x2, y2);
}

/* An edge's ends in widget coordinates: @from's output port, @to's input. */
static void
edge_ends (AqPipelineCanvas *self,
           const char       *from,
           const char       *to,
           double           *fx,
           double           *fy,
           double           *tx,
           double           *ty)
{
  card_origin (self, from, fx, fy);
  card_origin (self, to, tx, ty);
  to_widget (self, *fx + AQ_PIPELINE_CARD_WIDTH, *fy + AQ_PIPELINE_CARD_HEIGHT / 2, fx, fy);
  to_widget (self, *tx, *ty + AQ_PIPELINE_CARD_HEIGHT / 2, tx, ty);
}

/* The point at @t (0…1) along the curve edge_path() draws. */
static void
edge_point (double  x1,
            double  y1,
            double  x2,
            double  y2,
            double  t,
            double *x,
            double *y)
{
  double bend = MAX (40.0, fabs (x2 - x1) / 2);
  double u = 1 - t;

  *x = u * u * u * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend)
       + t * t * t * x2;
  *y = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2;
}

/* The edge whose curve passes within a few pixels of a widget point: its index, or -1. */
static int
pick_edge (AqPipelineCanvas *self,
           double            wx,
           double            wy)
{
  for (guint i = 0; self->graph && i < aq_pipeline_graph_get_n_edges (self->graph); i++)
    {
      const char *from, *to;
      double fx, fy, tx, ty, px, py;

      aq_pipeline_graph_get_edge (self->graph, i, &from, &to);
      if (aq_pipeline_graph_find_step (self->graph, from) < 0
          || aq_pipeline_graph_find_step (self->graph, to) < 0)
        continue;
      edge_ends (self, from, to, &fx, &fy, &tx, &ty);
      for (int k = 0; k <= 48; k++)
        {
          edge_point (fx, fy, tx, ty, k / 48.0, &px, &py);
          if (hypot (px - wx, py - wy) <= 6.0)
            return i;
        }
    }
  return -1;
}

static gboolean
is_selected_edge (AqPipelineCanvas *self,
                  const char       *from,
                  const char       *to)
{
  return self->edge_from && g_strcmp0 (self->edge_from, from) == 0
         && g_strcmp0 (self->edge_to, to) == 0;
}

static void
clear_edge (AqPipelineCanvas *self)
{
  g_clear_pointer (&self->edge_from, g_free);
  g_clear_pointer (&self->edge_to, g_free);
}

static void
draw_edges (AqPipelineCanvas *self,
            cairo_t          *cr,
            GdkRGBA          *fg)
{
  double wx, wy;

  cairo_set_line_width (cr, 2.0);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.55);
  for (guint i = 0; i < aq_pipeline_graph_get_n_edges (self->graph); i++)
    {
      const char *from, *to;
      double fx, fy, tx, ty;

      aq_pipeline_graph_get_edge (self->graph, i, &from, &to);
      if (aq_pipeline_graph_find_step (self->graph, from) < 0
          || aq_pipeline_graph_find_step (self->graph, to) < 0)
        continue;
      edge_ends (self, from, to, &fx, &fy, &tx, &ty);
      edge_path (cr, fx, fy, tx, ty);
      if (is_selected_edge (self, from, to))
        {
          /* the selected edge: wider, in the selection's blue */
          cairo_save (cr);
          cairo_set_line_width (cr, 4.0);
          cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      else
        cairo_stroke (cr);
      /* an arrow head at the input */
      cairo_move_to (cr, tx, ty);
      cairo_line_to (cr, tx - 8, ty - 4);
      cairo_line_to (cr, tx - 8, ty + 4);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  if (self->drag == DRAG_CONNECT && self->drag_step)
    {
      double fx, fy;

      card_origin (self, self->drag_step, &fx, &fy);
      to_widget (self, fx + AQ_PIPELINE_CARD_WIDTH, fy + AQ_PIPELINE_CARD_HEIGHT / 2, &fx, &fy);
      wx = self->drag_start_x + self->drag_dx;
      wy = self->drag_start_y + self->drag_dy;
      cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
      edge_path (cr, fx, fy, wx, wy);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

static void
append_circle (GtkSnapshot   *snapshot,
               double         cx,
               double         cy,
               double         r,
               const GdkRGBA *fill,
               const GdkRGBA *ring,
               double         ring_width)
{
  GskRoundedRect circle;

  gsk_rounded_rect_init_from_rect (&circle, &GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r), r);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_color (snapshot, fill, &circle.bounds);
  gtk_snapshot_pop (snapshot);
  if (ring)
    gtk_snapshot_append_border (snapshot, &circle,
                                (float[4]) { ring_width, ring_width, ring_width, ring_width },
                                (GdkRGBA[4]) { *ring, *ring, *ring, *ring });
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* A card as render nodes at scale 1 with its corner at (0, 0): built once per change of the
 * graph, the selection, the problems or the step's run figures, then only translated and
 * scaled on each frame. Text and colours are nodes, not cairo: nothing is rasterized again
 * when the canvas pans. */
static GskRenderNode *
build_card_node (AqPipelineCanvas *self,
                 const char       *id,
                 Card             *card,
                 const GdkRGBA    *fg,
                 const GdkRGBA    *accent)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  guint n_problems = aq_pipeline_problems_count_for (self->problems, id, NULL);
  StepStatus *status = g_hash_table_lookup (self->status, id);
  gboolean selected = is_selected (self, id);
  gboolean failed = status && status->state == AQ_PIPELINE_STEP_FAILED;
  const AqPipelineStepSchema *schema = aq_pipeline_schema_lookup (card->type);
  double w = AQ_PIPELINE_CARD_WIDTH, h = AQ_PIPELINE_CARD_HEIGHT;
  GdkRGBA white = { 1, 1, 1, 1 }, red = { 0.88, 0.11, 0.14, 1 }, band, line, dim, faint;
  GskRoundedRect outline;
  double bw;

  kind_color (card->type, &band);
  dim = *fg;
  dim.alpha = 0.6;
  faint = *fg;
  faint.alpha = 0.85;
  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, w, h), 8);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &white, &outline.bounds);
  gtk_snapshot_append_color (snapshot, &band, &GRAPHENE_RECT_INIT (0, 0, 5, h));
  gtk_snapshot_pop (snapshot);
  if (n_problems > 0 || failed)
    {
      line = red;
      bw = selected ? 3.5 : 2.0;
    }
  else if (selected)
    {
      line = *accent;
      bw = 3.0;
    }
  else
    {
      line = *fg;
      line.alpha = 0.25;
      bw = 1.0;
    }
  gtk_snapshot_append_border (snapshot, &outline, (float[4]) { bw, bw, bw, bw },
                              (GdkRGBA[4]) { line, line, line, line });

  append_text (snapshot, card->title, 36, 6, fg);
  append_text (snapshot, card->kind, 36, 25, &dim);
  append_text (snapshot, card->key, 12, 44, &faint);
  if (card->status)
    append_text (snapshot, card->status, 12, 63, failed ? &red : accent);

  /* the ports: an input on the left when the type reads rows, an output on the right */
  line = *fg;
  line.alpha = 0.7;
  if (schema == NULL || schema->max_inputs > 0 || !schema->passes_rows)
    append_circle (snapshot, 0, h / 2, PORT_RADIUS - 1, &line, NULL, 0);
  append_circle (snapshot, w, h / 2, PORT_RADIUS, &white, accent, 2);

  /* the problems' badge */
  if (n_problems > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_problems);
      g_autoptr(PangoLayout) layout = make_layout (self, count, -1, TRUE, 0.75);
      int lw, lh;

      append_circle (snapshot, w - 12, 12, 9, &red, NULL, 0);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      append_text (snapshot, layout, w - 12 - lw / 2.0, 12 - lh / 2.0, &white);
    }

  /* the icon */
  if (card->icon)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (13, 9));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (card->icon), snapshot,
                                                16, 16, &band, 1);
      gtk_snapshot_restore (snapshot);
    }
  return gtk_snapshot_free_to_node (snapshot);
}

static void
draw_card (AqPipelineCanvas *self,
           GtkSnapshot      *snapshot,
           const char       *id,
           const GdkRGBA    *fg,
           const GdkRGBA    *accent)
{
  Card *card = get_card (self, id);
  double x, y;

  if (card->node == NULL)
    card->node = build_card_node (self, id, card, fg, accent);
  card_origin (self, id, &x, &y);
  to_widget (self, x, y, &x, &y);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_scale (snapshot, self->zoom, self->zoom);
  gtk_snapshot_append_node (snapshot, card->node);
  gtk_snapshot_restore (snapshot);
}

/* ---- callbacks ---- */

static void
graph_changed_cb (AqPipelineCanvas *self)
{
  forget_cards (self);
  prune_selection (self);
  if (self->edge_from && !aq_pipeline_graph_has_edge (self->graph, self->edge_from,
                                                      self->edge_to))
    clear_edge (self);
}

static void
drag_begin_cb (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               AqPipelineCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (gesture));
  gboolean add = (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  gboolean on_output;
  const char *id = pick (self, x, y, &on_output);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_dx = self->drag_dy = 0;
  g_clear_pointer (&self->drag_step, g_free);
  if (id && self->read_only)
    {
      self->drag = DRAG_NONE;
      aq_pipeline_canvas_select (self, id, add);
    }
  else if (id && on_output)
    {
      self->drag = DRAG_CONNECT;
      self->drag_step = g_strdup (id);
    }
  else if (id)
    {
      self->drag = DRAG_MOVE;
      self->drag_step = g_strdup (id);
      if (!is_selected (self, id))
        aq_pipeline_canvas_select (self, id, add);
      else if (add)
        {
          for (guint i = 0; i < self->selection->len; i++)
            if (g_strcmp0 (g_ptr_array_index (self->selection, i), id) == 0)
              g_ptr_array_remove_index (self->selection, i);
          self->drag = DRAG_NONE;
          selection_changed (self);
        }
    }
  else if (pick_edge (self, x, y) >= 0)
    {
      const char *from, *to;

      /* a click on an edge selects it alone: Delete removes it */
      aq_pipeline_graph_get_edge (self->graph, pick_edge (self, x, y), &from, &to);
      self->drag = DRAG_NONE;
      g_ptr_array_set_size (self->selection, 0);
      clear_edge (self);
      self->edge_from = g_strdup (from);
      self->edge_to = g_strdup (to);
      selection_changed (self);
    }
  else
    {
      self->drag = DRAG_PAN;
      self->drag_pan_x = self->pan_x;
      self->drag_pan_y = self->pan_y;
    }
}

static void
drag_update_cb (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                AqPipelineCanvas *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  if (self->drag == DRAG_PAN)
    {
      self->pan_x = self->drag_pan_x + dx;
      self->pan_y = self->drag_pan_y + dy;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             AqPipelineCanvas *self)
{
  DragMode mode = self->drag;
  g_autofree char *from = g_steal_pointer (&self->drag_step);

  self->drag = DRAG_NONE;
  if (mode == DRAG_MOVE && (fabs (dx) > 2 || fabs (dy) > 2))
    {
      g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);

      aq_pipeline_graph_move_steps (self->graph, (const char * const *) ids,
                                    round (dx / self->zoom), round (dy / self->zoom));
    }
  else if (mode == DRAG_CONNECT)
    {
      const char *to = pick (self, self->drag_start_x + dx, self->drag_start_y + dy, NULL);
      g_autoptr(GError) error = NULL;

      if (to && g_strcmp0 (to, from) != 0
          && !aq_pipeline_graph_connect (self->graph, from, to, &error))
        g_signal_emit (self, signals[EDIT_REFUSED], 0, error->message);
    }
  else if (mode == DRAG_PAN && fabs (dx) <= 2 && fabs (dy) <= 2
           && (self->selection->len > 0 || self->edge_from))
    {
      /* a click on the background */
      g_ptr_array_set_size (self->selection, 0);
      clear_edge (self);
      selection_changed (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AqPipelineCanvas         *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    aq_pipeline_canvas_set_zoom (self, self->zoom * (dy < 0 ? 1.1 : 1 / 1.1));
  else
    aq_pipeline_canvas_pan (self, -dx * 40, -dy * 40);
  return TRUE;
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         AqPipelineCanvas *self)
{
  g_autofree char *id = NULL;

  if (self->read_only)
    return FALSE;
  if (!G_VALUE_HOLDS_STRING (value) || aq_pipeline_schema_lookup (g_value_get_string (value)) == NULL)
    return FALSE;
  id = aq_pipeline_canvas_add_step (self, g_value_get_string (value), x, y);
  return id != NULL;
}

static gboolean
query_tooltip_cb (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  AqPipelineCanvas *self)
{
  const char *id = pick (self, x, y, NULL);
  g_autoptr(GString) text = NULL;
  StepStatus *status;

  if (id == NULL)
    return FALSE;
  text = g_string_new (NULL);
  for (guint i = 0; self->problems && i < self->problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (self->problems, i);

      if (g_strcmp0 (problem->step_id, id) == 0)
        g_string_append_printf (text, "%s• %s", text->len ? "\n" : "", problem->message);
    }
  status = g_hash_table_lookup (self->status, id);
  if (status && status->error)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", status->error);
  if (text->len == 0)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* ---- actions ---- */

static void
delete_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);

  if (self->graph && !self->read_only && ids[0] == NULL && self->edge_from)
    {
      g_autofree char *from = g_strdup (self->edge_from);
      g_autofree char *to = g_strdup (self->edge_to);

      /* one edit, undoable like any other */
      clear_edge (self);
      aq_pipeline_graph_disconnect (self->graph, from, to);
      return;
    }
  if (self->graph && !self->read_only)
    aq_pipeline_graph_remove_steps (self->graph, (const char * const *) ids);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);
  g_auto(GStrv) copies = NULL;

  if (self->graph == NULL || ids[0] == NULL || self->read_only)
    return;
  copies = aq_pipeline_graph_duplicate_steps (self->graph, (const char * const *) ids);
  g_ptr_array_set_size (self->selection, 0);
  for (guint i = 0; copies[i]; i++)
    g_ptr_array_add (self->selection, g_strdup (copies[i]));
  selection_changed (self);
}

static void
nudge_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) ids = aq_pipeline_canvas_get_selection (self);
  int dx, dy;

  g_variant_get (param, "(ii)", &dx, &dy);
  if (self->graph && ids[0] && !self->read_only)
    aq_pipeline_graph_move_steps (self->graph, (const char * const *) ids, dx * NUDGE,
                                  dy * NUDGE);
  else
    aq_pipeline_canvas_pan (self, -dx * 4 * NUDGE, -dy * 4 * NUDGE);
}

/* Tab and Shift+Tab walk the steps in run order. */
static void
walk_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  g_auto(GStrv) order = NULL;
  const char *current = aq_pipeline_canvas_get_selected (self);
  int step = g_variant_get_int32 (param);
  int n, at = -1;

  if (self->graph == NULL)
    return;
  order = aq_pipeline_graph_get_run_order (self->graph);
  n = g_strv_length (order);
  if (n == 0)
    return;
  for (int i = 0; current && i < n; i++)
    if (strcmp (order[i], current) == 0)
      at = i;
  at = at < 0 ? (step > 0 ? 0 : n - 1) : (at + step + n) % n;
  aq_pipeline_canvas_select (self, order[at], FALSE);
  aq_pipeline_canvas_reveal (self, order[at]);
}

static void
zoom_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  int direction = g_variant_get_int32 (param);

  aq_pipeline_canvas_set_zoom (self, direction == 0 ? 1.0
                                     : self->zoom * (direction > 0 ? 1.2 : 1 / 1.2));
}

static void
select_all_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);

  if (self->graph == NULL)
    return;
  g_ptr_array_set_size (self->selection, 0);
  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (self->graph); i++)
    if (aq_pipeline_graph_get_step_id (self->graph, i))
      g_ptr_array_add (self->selection, g_strdup (aq_pipeline_graph_get_step_id (self->graph, i)));
  selection_changed (self);
}

/* ---- GtkWidget overrides ---- */

static void
aq_pipeline_canvas_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent, background;
  cairo_t *cr;

  gdk_rgba_parse (&background, "#f6f5f4");
  gdk_rgba_parse (&accent, "#3584e4");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->graph == NULL)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_edges (self, cr, &fg);
  cairo_destroy (cr);

  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (self->graph); i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (self->graph, i);
      double x, y;

      if (id == NULL)
        continue;
      card_origin (self, id, &x, &y);
      to_widget (self, x, y, &x, &y);
      /* only what can be seen */
      if (x > width || y > height || x + AQ_PIPELINE_CARD_WIDTH * self->zoom + 20 < 0
          || y + AQ_PIPELINE_CARD_HEIGHT * self->zoom + 20 < 0)
        continue;
      draw_card (self, snapshot, id, &fg, &accent);
    }
  gtk_snapshot_pop (snapshot);
}

static void
aq_pipeline_canvas_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 900 : 500;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_canvas_dispose (GObject *object)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (object);

  if (self->graph)
    g_clear_signal_handler (&self->changed_id, self->graph);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->cards, g_hash_table_unref);

  G_OBJECT_CLASS (aq_pipeline_canvas_parent_class)->dispose (object);
}

static void
aq_pipeline_canvas_finalize (GObject *object)
{
  AqPipelineCanvas *self = AQ_PIPELINE_CANVAS (object);

  g_clear_pointer (&self->status, g_hash_table_unref);
  g_clear_pointer (&self->selection, g_ptr_array_unref);
  g_clear_pointer (&self->drag_step, g_free);
  clear_edge (self);

  G_OBJECT_CLASS (aq_pipeline_canvas_parent_class)->finalize (object);
}

static void
add_nudge (GtkWidgetClass *widget_class,
           guint           key,
           int             dx,
           int             dy)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "canvas.nudge", "(ii)", dx, dy);
}

static void
aq_pipeline_canvas_class_init (AqPipelineCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_pipeline_canvas_dispose;
  object_class->finalize = aq_pipeline_canvas_finalize;
  widget_class->snapshot = aq_pipeline_canvas_snapshot;
  widget_class->measure = aq_pipeline_canvas_measure;

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  /* an edit the graph refused (a cycle, a duplicate edge): the message says why */
  signals[EDIT_REFUSED] = g_signal_new ("edit-refused", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "canvas.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", nudge_action);
  gtk_widget_class_install_action (widget_class, "canvas.walk", "i", walk_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom", "i", zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-all", NULL, select_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, 0, "canvas.walk", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK,
                                       "canvas.walk", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, GDK_SHIFT_MASK,
                                       "canvas.walk", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "canvas.zoom", "i", 0);
  add_nudge (widget_class, GDK_KEY_Left, -1, 0);
  add_nudge (widget_class, GDK_KEY_Right, 1, 0);
  add_nudge (widget_class, GDK_KEY_Up, 0, -1);
  add_nudge (widget_class, GDK_KEY_Down, 0, 1);

  gtk_widget_class_set_css_name (widget_class, "pipeline-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
aq_pipeline_canvas_init (AqPipelineCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  self->zoom = 1.0;
  self->pan_x = 40;
  self->pan_y = 30;
  self->status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) step_status_free);
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) card_free);
  self->selection = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
}

/* ---- public API ---- */

GtkWidget *
aq_pipeline_canvas_new (void)
{
  return g_object_new (AQ_TYPE_PIPELINE_CANVAS, NULL);
}

void
aq_pipeline_canvas_set_graph (AqPipelineCanvas *self,
                              AqPipelineGraph  *graph)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (self->graph)
    g_clear_signal_handler (&self->changed_id, self->graph);
  g_set_object (&self->graph, graph);
  if (graph)
    self->changed_id = g_signal_connect_swapped (graph, "changed",
                                                 G_CALLBACK (graph_changed_cb), self);
  g_hash_table_remove_all (self->status);
  g_ptr_array_set_size (self->selection, 0);
  self->pan_x = 40;
  self->pan_y = 30;
  forget_cards (self);
  selection_changed (self);
}

AqPipelineGraph *
aq_pipeline_canvas_get_graph (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);
  return self->graph;
}

/* @problems: (element-type AqPipelineProblem): what validation found, marked on the cards */
void
aq_pipeline_canvas_set_problems (AqPipelineCanvas *self,
                                 GPtrArray        *problems)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = problems ? g_ptr_array_ref (problems) : NULL;
  forget_cards (self);
}

/* A run's report on one step: its card shows rows in and out, time and rows/s. */
void
aq_pipeline_canvas_set_step_report (AqPipelineCanvas           *self,
                                    const AqPipelineStepReport *report)
{
  StepStatus *status;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  status = g_new0 (StepStatus, 1);
  status->state = report->state;
  status->rows_in = report->rows_in;
  status->rows_out = report->rows_out;
  status->duration_ms = report->duration_ms;
  status->error = g_strdup (report->error);
  g_hash_table_insert (self->status, g_strdup (report->step_id), status);
  g_hash_table_remove (self->cards, report->step_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What the card of @id shows from a run: FALSE when it shows none. */
gboolean
aq_pipeline_canvas_get_step_report (AqPipelineCanvas *self,
                                    const char       *id,
                                    gint64           *rows_in,
                                    gint64           *rows_out)
{
  StepStatus *status;

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);

  status = g_hash_table_lookup (self->status, id);
  if (status == NULL)
    return FALSE;
  *rows_in = status->rows_in;
  *rows_out = status->rows_out;
  return TRUE;
}

void
aq_pipeline_canvas_clear_reports (AqPipelineCanvas *self)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  g_hash_table_remove_all (self->status);
  forget_cards (self);
}

/* Returns: (transfer full): the selected ids, the primary one last */
char **
aq_pipeline_canvas_get_selection (AqPipelineCanvas *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  for (guint i = 0; i < self->selection->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->selection, i));
  return g_strv_builder_end (builder);
}

/* The step the form shows: the one selected last, or NULL. */
const char *
aq_pipeline_canvas_get_selected (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  return self->selection->len ? g_ptr_array_index (self->selection, self->selection->len - 1)
                              : NULL;
}

/* @id: (nullable): NULL clears the selection; @add keeps what was selected. */
void
aq_pipeline_canvas_select (AqPipelineCanvas *self,
                           const char       *id,
                           gboolean          add)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (!add)
    g_ptr_array_set_size (self->selection, 0);
  clear_edge (self);
  if (id && self->graph && aq_pipeline_graph_find_step (self->graph, id) >= 0
      && !is_selected (self, id))
    g_ptr_array_add (self->selection, g_strdup (id));
  selection_changed (self);
}

/**
 * aq_pipeline_canvas_add_step:
 *
 * Adds a step of @type with its card centred on the widget point, selects it.
 *
 * Returns: (transfer full) (nullable): its id
 */
char *
aq_pipeline_canvas_add_step (AqPipelineCanvas *self,
                             const char       *type,
                             double            widget_x,
                             double            widget_y)
{
  double x, y;
  char *id;

  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), NULL);

  if (self->graph == NULL || self->read_only)
    return NULL;
  to_canvas (self, widget_x, widget_y, &x, &y);
  id = aq_pipeline_graph_add_step (self->graph, type, round (x - AQ_PIPELINE_CARD_WIDTH / 2),
                                   round (y - AQ_PIPELINE_CARD_HEIGHT / 2));
  aq_pipeline_canvas_select (self, id, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return id;
}

void
aq_pipeline_canvas_pan (AqPipelineCanvas *self,
                        double            dx,
                        double            dy)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  self->pan_x += dx;
  self->pan_y += dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms around the middle of the view. */
void
aq_pipeline_canvas_set_zoom (AqPipelineCanvas *self,
                             double            zoom)
{
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double x, y;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  to_canvas (self, cx, cy, &x, &y);
  self->zoom = zoom;
  self->pan_x = cx - x * zoom;
  self->pan_y = cy - y * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
aq_pipeline_canvas_get_zoom (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), 1.0);
  return self->zoom;
}

/* Where a step's input port (or output port) is, in widget coordinates. */
void
aq_pipeline_canvas_step_to_widget (AqPipelineCanvas *self,
                                   const char       *id,
                                   gboolean          output_port,
                                   double           *x,
                                   double           *y)
{
  double cx, cy;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  aq_pipeline_graph_get_position (self->graph, id, &cx, &cy);
  to_widget (self, cx + (output_port ? AQ_PIPELINE_CARD_WIDTH : 0),
             cy + AQ_PIPELINE_CARD_HEIGHT / 2, x, y);
}

/* Pans so that the step's card is in view (Tab, Find). */
void
aq_pipeline_canvas_reveal (AqPipelineCanvas *self,
                           const char       *id)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, y;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));

  if (self->graph == NULL || aq_pipeline_graph_find_step (self->graph, id) < 0)
    return;
  aq_pipeline_graph_get_position (self->graph, id, &x, &y);
  to_widget (self, x, y, &x, &y);
  if (x < 0 || y < 0 || x + AQ_PIPELINE_CARD_WIDTH * self->zoom > width
      || y + AQ_PIPELINE_CARD_HEIGHT * self->zoom > height)
    aq_pipeline_canvas_pan (self, width / 2.0 - x - AQ_PIPELINE_CARD_WIDTH * self->zoom / 2,
                            height / 2.0 - y - AQ_PIPELINE_CARD_HEIGHT * self->zoom / 2);
}

/* A read-only canvas selects, pans and zooms, and refuses every edit (a stored version shown
 * as it was saved). */
void
aq_pipeline_canvas_set_read_only (AqPipelineCanvas *self,
                                  gboolean          read_only)
{
  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));
  self->read_only = read_only;
}

gboolean
aq_pipeline_canvas_get_read_only (AqPipelineCanvas *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);
  return self->read_only;
}

/* The selected edge (a click on its curve): FALSE when none is. */
gboolean
aq_pipeline_canvas_get_selected_edge (AqPipelineCanvas  *self,
                                      const char       **from,
                                      const char       **to)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_CANVAS (self), FALSE);
  *from = self->edge_from;
  *to = self->edge_to;
  return self->edge_from != NULL;
}

/* The widget point at @t (0…1) along the edge @from → @to as drawn. */
void
aq_pipeline_canvas_edge_to_widget (AqPipelineCanvas *self,
                                   const char       *from,
                                   const char       *to,
                                   double            t,
                                   double           *x,
                                   double           *y)
{
  double fx, fy, tx, ty;

  g_return_if_fail (AQ_IS_PIPELINE_CANVAS (self));
  edge_ends (self, from, to, &fx, &fy, &tx, &ty);
  edge_point (fx, fy, tx, ty, t, x, y);
}
