/* aq-drop-zone.c — one zone of the report layout
 *
 * The fields live in a GListStore; the chips are rebuilt from it on every change (a zone holds a
 * handful). One GtkDropTarget for AqReportFieldItem takes drops from the catalog (COPY) and from
 * chips (MOVE): a chip of this zone is moved to where it was dropped, a chip of another zone or
 * a catalog row is copied in (the other zone drops its chip when the drag ends). The drop
 * position is the chip under the pointer. Keyboard: Delete removes the focused chip,
 * Alt+Left/Right moves it, Alt+Up/Down asks the panel to move it to the zone above or below.
 * "changed" is emitted once per user-visible change.
 */
#define G_LOG_DOMAIN "aq-drop-zone"

#include "config.h"

#include "aq-drop-zone.h"

#include <glib/gi18n.h>

#include "aq-report-chip.h"

struct _AqDropZone
{
  GtkWidget       parent_instance;

  GtkLabel       *title_label;
  GtkFlowBox     *flow;
  GtkLabel       *placeholder;

  GListStore     *fields;
  GtkDropTarget  *target;
  GMenuModel     *chip_menu;
  AqReportChipPopoverFunc chip_popover;
  gpointer        chip_popover_data;
  char           *zone;
  char           *title;
  gboolean        indicators;
  /* the chip last moved within the zone: its drag's end says "moved", but it stays */
  gpointer        moved_within;
};

G_DEFINE_FINAL_TYPE (AqDropZone, aq_drop_zone, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZONE,
  PROP_TITLE,
  PROP_INDICATORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  MOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void rebuild (AqDropZone *self);

static void
changed (AqDropZone *self)
{
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
find_field (AqDropZone    *self,
            AqReportFieldItem *field,
            guint         *position)
{
  return g_list_store_find (self->fields, field, position);
}

static void
chip_remove_cb (AqReportChip *chip,
                AqDropZone   *self)
{
  guint position;

  if (find_field (self, aq_report_chip_get_field (chip), &position))
    aq_drop_zone_remove (self, position);
}

static void
chip_moved_away_cb (AqReportChip *chip,
                    AqDropZone   *self)
{
  if (self->moved_within == (gpointer) aq_report_chip_get_field (chip))
    {
      self->moved_within = NULL;
      return;
    }
  chip_remove_cb (chip, self);
}

static void
chip_calculation_cb (AqReportFieldItem *field,
                     GParamSpec    *pspec,
                     AqDropZone    *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rebuild (AqDropZone *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow))) != NULL)
    gtk_flow_box_remove (self->flow, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqReportFieldItem) field = g_list_model_get_item (G_LIST_MODEL (self->fields), i);
      GtkWidget *chip = aq_report_chip_new (field, self->chip_menu);

      g_signal_connect_object (chip, "remove", G_CALLBACK (chip_remove_cb), self, 0);
      g_signal_connect_object (chip, "moved-away", G_CALLBACK (chip_moved_away_cb), self, 0);
      gtk_widget_set_name (chip, aq_report_field_item_get_id (field));
      if (self->chip_popover != NULL)
        aq_report_chip_set_popover_func (AQ_REPORT_CHIP (chip), self->chip_popover,
                                         self->chip_popover_data);
      gtk_flow_box_append (self->flow, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->flow), n > 0);
}

/* Where a drop at (x, y) goes: before the first chip whose middle is right of x on the row the
 * pointer is on; the end when none. */
static guint
position_at (AqDropZone *self,
             double      x,
             double      y)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->flow, i);
      graphene_rect_t bounds;

      if (child == NULL
          || !gtk_widget_compute_bounds (GTK_WIDGET (child), GTK_WIDGET (self), &bounds))
        continue;
      if (y > bounds.origin.y + bounds.size.height)
        continue;
      if (y < bounds.origin.y || x < bounds.origin.x + bounds.size.width / 2)
        return i;
    }
  return n;
}

static int
focused_position (AqDropZone *self)
{
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self->flow));

  if (focus == NULL || !GTK_IS_FLOW_BOX_CHILD (focus))
    return -1;
  return gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (focus));
}

static void
focus_position (AqDropZone *self,
                guint       position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->flow, position);

  if (child != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (child));
}

/* ---- callbacks ---- */

static gboolean
drop_accept_cb (GtkDropTarget *target,
                GdkDrop       *drop,
                AqDropZone    *self)
{
  return gdk_content_formats_contain_gtype (gdk_drop_get_formats (drop), AQ_TYPE_REPORT_FIELD_ITEM);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AqDropZone    *self)
{
  AqReportFieldItem *field;
  guint position;
  guint from;

  if (!G_VALUE_HOLDS (value, AQ_TYPE_REPORT_FIELD_ITEM))
    return FALSE;
  field = g_value_get_object (value);
  if (field == NULL || !aq_drop_zone_accepts (self, field))
    return FALSE;

  position = position_at (self, x, y);
  if (find_field (self, field, &from))
    {
      /* a chip of this zone: a move within it (the chip's drag-end must not remove it) */
      if (position > from)
        position--;
      self->moved_within = field;
      aq_drop_zone_move (self, from, position);
      return TRUE;
    }
  return aq_drop_zone_insert (self, field, position);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AqDropZone            *self)
{
  int position = focused_position (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));

  if (position < 0)
    return FALSE;
  if ((keyval == GDK_KEY_Delete || keyval == GDK_KEY_KP_Delete || keyval == GDK_KEY_BackSpace)
      && (state & GDK_MODIFIER_MASK) == 0)
    {
      aq_drop_zone_remove (self, position);
      focus_position (self, MIN ((guint) position, n > 1 ? n - 2 : 0));
      return TRUE;
    }
  /* to the zone above or below: the panel knows the zones */
  if ((state & GDK_ALT_MASK) && (keyval == GDK_KEY_Up || keyval == GDK_KEY_Down))
    {
      g_signal_emit (self, signals[MOVE_REQUESTED], 0, (guint) position,
                     keyval == GDK_KEY_Up ? -1 : 1);
      return TRUE;
    }
  if ((state & GDK_ALT_MASK) && (keyval == GDK_KEY_Left || keyval == GDK_KEY_Right))
    {
      int to = position + (keyval == GDK_KEY_Left ? -1 : 1);

      if (to < 0 || (guint) to >= n)
        return TRUE;
      aq_drop_zone_move (self, position, to);
      focus_position (self, to);
      return TRUE;
    }
  return FALSE;
}

/* ---- GObject overrides ---- */

static void
aq_drop_zone_dispose (GObject *object)
{
  AqDropZone *self = AQ_DROP_ZONE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_DROP_ZONE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->fields);
  g_clear_object (&self->chip_menu);

  G_OBJECT_CLASS (aq_drop_zone_parent_class)->dispose (object);
}

static void
aq_drop_zone_finalize (GObject *object)
{
  AqDropZone *self = AQ_DROP_ZONE (object);

  g_free (self->zone);
  g_free (self->title);

  G_OBJECT_CLASS (aq_drop_zone_parent_class)->finalize (object);
}

static void
aq_drop_zone_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AqDropZone *self = AQ_DROP_ZONE (object);

  switch (prop_id)
    {
    case PROP_ZONE:
      g_value_set_string (value, self->zone);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_INDICATORS:
      g_value_set_boolean (value, self->indicators);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_drop_zone_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AqDropZone *self = AQ_DROP_ZONE (object);

  switch (prop_id)
    {
    case PROP_ZONE:
      g_free (self->zone);
      self->zone = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      gtk_label_set_label (self->title_label, self->title);
      break;
    case PROP_INDICATORS:
      self->indicators = g_value_get_boolean (value);
      gtk_label_set_label (self->placeholder, self->indicators
                           ? _("Drop indicators here")
                           : _("Drop dimensions here"));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_drop_zone_class_init (AqDropZoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_drop_zone_dispose;
  object_class->finalize = aq_drop_zone_finalize;
  object_class->get_property = aq_drop_zone_get_property;
  object_class->set_property = aq_drop_zone_set_property;

  properties[PROP_ZONE] =
    g_param_spec_string ("zone", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_INDICATORS] =
    g_param_spec_boolean ("indicators", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (position, direction): Alt+Up (-1) or Alt+Down (+1) on a chip */
  signals[MOVE_REQUESTED] = g_signal_new ("move-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          2, G_TYPE_UINT, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-drop-zone.ui");
  gtk_widget_class_bind_template_child (widget_class, AqDropZone, title_label);
  gtk_widget_class_bind_template_child (widget_class, AqDropZone, flow);
  gtk_widget_class_bind_template_child (widget_class, AqDropZone, placeholder);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "drop-zone");
}

static void
aq_drop_zone_init (AqDropZone *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = g_list_store_new (AQ_TYPE_REPORT_FIELD_ITEM);
  gtk_label_set_label (self->placeholder, _("Drop dimensions here"));

  self->target = gtk_drop_target_new (AQ_TYPE_REPORT_FIELD_ITEM, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  g_signal_connect (self->target, "accept", G_CALLBACK (drop_accept_cb), self);
  g_signal_connect (self->target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->target));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->flow), keys);
  rebuild (self);
}

/* ---- public API ---- */

GListModel *
aq_drop_zone_get_fields (AqDropZone *self)
{
  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), NULL);
  return G_LIST_MODEL (self->fields);
}

guint
aq_drop_zone_get_n_fields (AqDropZone *self)
{
  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->fields));
}

/* Returns: (transfer none) (nullable) */
AqReportFieldItem *
aq_drop_zone_get_field (AqDropZone *self,
                        guint       position)
{
  g_autoptr(AqReportFieldItem) field = NULL;

  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), NULL);
  field = g_list_model_get_item (G_LIST_MODEL (self->fields), position);
  /* the store keeps its own reference */
  return field;
}

gboolean
aq_drop_zone_accepts (AqDropZone    *self,
                      AqReportFieldItem *field)
{
  AqReportFieldItemKind kind;

  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), FALSE);
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (field), FALSE);

  kind = aq_report_field_item_get_kind (field);
  if (kind == AQ_REPORT_FIELD_ITEM_CATEGORY)
    return FALSE;
  return self->indicators == (kind == AQ_REPORT_FIELD_ITEM_INDICATOR);
}

/* Adds a copy of @field at @position (-1: at the end). A dimension already in the zone is not
 * added twice; an indicator may be (with another calculation). */
gboolean
aq_drop_zone_insert (AqDropZone    *self,
                     AqReportFieldItem *field,
                     int            position)
{
  g_autoptr(AqReportFieldItem) copy = NULL;
  guint n;

  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), FALSE);
  g_return_val_if_fail (AQ_IS_REPORT_FIELD_ITEM (field), FALSE);

  if (!aq_drop_zone_accepts (self, field))
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  if (!self->indicators)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(AqReportFieldItem) other = g_list_model_get_item (G_LIST_MODEL (self->fields), i);

        if (g_str_equal (aq_report_field_item_get_id (other), aq_report_field_item_get_id (field)))
          return FALSE;
      }
  if (position < 0 || (guint) position > n)
    position = n;
  copy = aq_report_field_item_copy (field);
  g_signal_connect_object (copy, "notify::calculation", G_CALLBACK (chip_calculation_cb),
                           self, 0);
  g_list_store_insert (self->fields, position, copy);
  changed (self);
  return TRUE;
}

void
aq_drop_zone_remove (AqDropZone *self,
                     guint       position)
{
  g_return_if_fail (AQ_IS_DROP_ZONE (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->fields)));

  g_list_store_remove (self->fields, position);
  changed (self);
}

void
aq_drop_zone_move (AqDropZone *self,
                   guint       from,
                   guint       to)
{
  g_autoptr(AqReportFieldItem) field = NULL;
  guint n;

  g_return_if_fail (AQ_IS_DROP_ZONE (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->fields));
  g_return_if_fail (from < n);

  to = MIN (to, n - 1);
  if (from == to)
    return;
  field = g_list_model_get_item (G_LIST_MODEL (self->fields), from);
  g_list_store_remove (self->fields, from);
  g_list_store_insert (self->fields, to, field);
  changed (self);
}

/* Replaces the zone's fields (undo, opening a report) without emitting "changed". */
void
aq_drop_zone_set_fields (AqDropZone *self,
                         GPtrArray  *fields)
{
  g_return_if_fail (AQ_IS_DROP_ZONE (self));

  g_list_store_remove_all (self->fields);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      AqReportFieldItem *field = g_ptr_array_index (fields, i);

      g_signal_connect_object (field, "notify::calculation", G_CALLBACK (chip_calculation_cb),
                               self, 0);
      g_list_store_append (self->fields, field);
    }
  rebuild (self);
}

void
aq_drop_zone_set_chip_menu (AqDropZone *self,
                            GMenuModel *menu)
{
  g_return_if_fail (AQ_IS_DROP_ZONE (self));

  g_set_object (&self->chip_menu, menu);
  rebuild (self);
}

/* Chips whose ▾ opens a popover built by @func (the filters' member lists). */
void
aq_drop_zone_set_chip_popover (AqDropZone              *self,
                               AqReportChipPopoverFunc  func,
                               gpointer                 user_data)
{
  g_return_if_fail (AQ_IS_DROP_ZONE (self));

  self->chip_popover = func;
  self->chip_popover_data = user_data;
  rebuild (self);
}

/* A field of the zone was edited in place (a filter's values): relabel, then "changed". */
void
aq_drop_zone_field_changed (AqDropZone *self)
{
  g_return_if_fail (AQ_IS_DROP_ZONE (self));
  changed (self);
}

GtkDropTarget *
aq_drop_zone_get_drop_target (AqDropZone *self)
{
  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), NULL);
  return self->target;
}

const char *
aq_drop_zone_get_zone (AqDropZone *self)
{
  g_return_val_if_fail (AQ_IS_DROP_ZONE (self), NULL);
  return self->zone;
}
