/* aq-pipeline-canvas-draw.c — how the pipeline canvas draws
 *
 * Each visible card is render nodes (colours, borders, text, icon) built once and kept until
 * the graph, the selection, the problems or its run figures change — a pan frame only
 * translates them, and cards outside the view are skipped; the edges are cairo curves in one
 * node (tests/bench/bench-pipeline-editor.c measures a pan of 200 steps).
 */
#define G_LOG_DOMAIN "aq-pipeline-canvas"

#include "config.h"

#include "aq-pipeline-canvas-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "aq-pipeline-schema.h"
#include "aq-pipeline-validate.h"

void
canvas_step_status_free (StepStatus *status)
{
  g_free (status->error);
  g_free (status);
}

void
canvas_card_free (Card *card)
{
  g_clear_object (&card->title);
  g_clear_object (&card->kind);
  g_clear_object (&card->key);
  g_clear_object (&card->status);
  g_clear_object (&card->icon);
  g_clear_pointer (&card->node, gsk_render_node_unref);
  g_free (card);
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

void
canvas_forget_cards (AqPipelineCanvas *self)
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

static gboolean
is_selected_edge (AqPipelineCanvas *self,
                  const char       *from,
                  const char       *to)
{
  return self->edge_from && g_strcmp0 (self->edge_from, from) == 0
         && g_strcmp0 (self->edge_to, to) == 0;
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
      canvas_edge_ends (self, from, to, &fx, &fy, &tx, &ty);
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

      canvas_card_origin (self, self->drag_step, &fx, &fy);
      canvas_to_widget (self, fx + AQ_PIPELINE_CARD_WIDTH, fy + AQ_PIPELINE_CARD_HEIGHT / 2,
                        &fx, &fy);
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
  gboolean selected = canvas_is_selected (self, id);
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
  canvas_card_origin (self, id, &x, &y);
  canvas_to_widget (self, x, y, &x, &y);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_scale (snapshot, self->zoom, self->zoom);
  gtk_snapshot_append_node (snapshot, card->node);
  gtk_snapshot_restore (snapshot);
}

void
canvas_snapshot (GtkWidget   *widget,
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
      canvas_card_origin (self, id, &x, &y);
      canvas_to_widget (self, x, y, &x, &y);
      /* only what can be seen */
      if (x > width || y > height || x + AQ_PIPELINE_CARD_WIDTH * self->zoom + 20 < 0
          || y + AQ_PIPELINE_CARD_HEIGHT * self->zoom + 20 < 0)
        continue;
      draw_card (self, snapshot, id, &fg, &accent);
    }
  if (self->drag == DRAG_BAND)
    {
      GdkRGBA fill = accent, ring = accent;
      graphene_rect_t band;
      GskRoundedRect outline;

      /* the rubber band: the accent, translucent, with a thin border */
      canvas_band_rect (self, &band);
      fill.alpha = 0.15;
      gtk_snapshot_append_color (snapshot, &fill, &band);
      gsk_rounded_rect_init_from_rect (&outline, &band, 0);
      gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 1, 1, 1, 1 },
                                  (GdkRGBA[4]) { ring, ring, ring, ring });
    }
  gtk_snapshot_pop (snapshot);
}
