/* aq-timeline-view.c — a customer's events newest first, filtered by kind
 *
 * The merging is core's (aq_customer_timeline_build()); this draws one row per event (time,
 * kind, a one-line summary) and a toggle button per kind. Toggling filters the rows already
 * built rather than rebuilding them, so a filter answers at once. What the rows show (the
 * visible ones) is also what the panel copies and exports.
 */
#define G_LOG_DOMAIN "aq-timeline-view"

#include "config.h"

#include "aq-timeline-view.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-customer-timeline.h"
#include "aq-labels.h"

struct _AqTimelineView
{
  GtkWidget        parent_instance;

  GtkFlowBox      *filters;
  GtkListBox      *list;
  GtkLabel        *empty_label;

  GtkToggleButton *toggles[AQ_TIMELINE_N_KINDS];
  JsonArray       *events;
  guint            kinds;
  gboolean         syncing;
};

G_DEFINE_FINAL_TYPE (AqTimelineView, aq_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KINDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a row says about an event: a few columns of its section's row, in this order. */
static const struct
{
  const char *kind;
  const char *columns[4];
} summaries[] = {
  { "account", { "account_id", "status", "meter_no", NULL } },
  { "bill", { "period", "qty", "amount", "read_status" } },
  { "payment", { "amount", "channel", "period", NULL } },
  { "reading", { "curr_read", "qty", "read_status", NULL } },
  { "work_order", { "wo_no", "category", "status", NULL } },
  { "call", { "category", "talk_seconds", "wo_no", NULL } },
  { "sms", { "template", "status", NULL } },
  { "installation", { "app_no", "app_type", "status", NULL } },
  { "outage", { "kind", "reason", "status", NULL } },
};

/* ---- auxiliary methods ---- */

static char *
summarize (JsonObject *event)
{
  const char *kind = json_object_get_string_member (event, "kind");
  const char *section = json_object_get_string_member (event, "section");
  JsonObject *row = json_object_get_object_member (event, "row");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (summaries); i++)
    {
      if (!g_str_equal (summaries[i].kind, kind))
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (summaries[i].columns) && summaries[i].columns[c]; c++)
        {
          const char *column = summaries[i].columns[c];
          g_autofree char *value = aq_label_cell (section, row, column);

          if (*value == '\0')
            continue;
          if (text->len > 0)
            g_string_append (text, " · ");
          if (g_str_equal (column, "qty"))
            /* Translators: a volume of water in cubic metres */
            g_string_append_printf (text, _("%s m³"), value);
          else if (g_str_equal (column, "amount"))
            /* Translators: an amount of money in yuan */
            g_string_append_printf (text, _("¥%s"), value);
          else if (g_str_equal (column, "talk_seconds"))
            /* Translators: how long a call lasted, in seconds */
            g_string_append_printf (text, _("%s s"), value);
          else if (g_str_equal (column, "period"))
            g_string_append_len (text, value, MIN (strlen (value), 7));
          else
            g_string_append (text, value);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
event_time (JsonObject *event)
{
  if (json_object_get_null_member (event, "time"))
    return g_strdup ("");
  /* to the minute: seconds say nothing to a caller */
  return g_strndup (json_object_get_string_member (event, "time"), 16);
}

static GtkWidget *
row_new (JsonObject *event)
{
  const char *kind = json_object_get_string_member (event, "kind");
  g_autofree char *time = event_time (event);
  g_autofree char *summary = summarize (event);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *kind_label = gtk_label_new (aq_label_kind (kind));
  GtkWidget *summary_label = gtk_label_new (summary);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_width_chars (GTK_LABEL (time_label), 16);
  gtk_label_set_xalign (GTK_LABEL (time_label), 0);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (kind_label, "customer-pill");
  gtk_widget_add_css_class (kind_label, kind);
  gtk_widget_set_valign (kind_label, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (summary_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (summary_label, TRUE);
  gtk_box_append (GTK_BOX (box), time_label);
  gtk_box_append (GTK_BOX (box), kind_label);
  gtk_box_append (GTK_BOX (box), summary_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "kind",
                     GUINT_TO_POINTER (aq_timeline_kind_from_string (kind)));
  return row;
}

static gboolean
filter_cb (GtkListBoxRow *row,
           gpointer       user_data)
{
  AqTimelineView *self = user_data;

  return (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "kind")) & self->kinds) != 0;
}

static void
update_empty (AqTimelineView *self)
{
  gboolean empty = aq_timeline_view_get_n_visible (self) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), empty);
  gtk_widget_set_visible (GTK_WIDGET (self->list), !empty);
}

/* ---- callbacks ---- */

static void
toggle_cb (GtkToggleButton *button,
           AqTimelineView  *self)
{
  guint kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "kind"));
  guint kinds = gtk_toggle_button_get_active (button) ? self->kinds | kind : self->kinds & ~kind;

  if (!self->syncing)
    aq_timeline_view_set_kinds (self, kinds);
}

/* ---- GObject overrides ---- */

static void
aq_timeline_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_TIMELINE_VIEW);
  G_OBJECT_CLASS (aq_timeline_view_parent_class)->dispose (object);
}

static void
aq_timeline_view_finalize (GObject *object)
{
  AqTimelineView *self = AQ_TIMELINE_VIEW (object);

  g_clear_pointer (&self->events, json_array_unref);
  G_OBJECT_CLASS (aq_timeline_view_parent_class)->finalize (object);
}

static void
aq_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AqTimelineView *self = AQ_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_KINDS:
      g_value_set_uint (value, self->kinds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AqTimelineView *self = AQ_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_KINDS:
      aq_timeline_view_set_kinds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_timeline_view_class_init (AqTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_timeline_view_dispose;
  object_class->finalize = aq_timeline_view_finalize;
  object_class->get_property = aq_timeline_view_get_property;
  object_class->set_property = aq_timeline_view_set_property;

  properties[PROP_KINDS] =
    g_param_spec_uint ("kinds", NULL, NULL, 0, AQ_TIMELINE_ALL, AQ_TIMELINE_ALL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-timeline-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "timeline-view");
  gtk_widget_class_bind_template_child (widget_class, AqTimelineView, filters);
  gtk_widget_class_bind_template_child (widget_class, AqTimelineView, list);
  gtk_widget_class_bind_template_child (widget_class, AqTimelineView, empty_label);
}

static void
aq_timeline_view_init (AqTimelineView *self)
{
  GtkBoxLayout *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (layout, 12);

  self->kinds = AQ_TIMELINE_ALL;
  for (guint k = 0; k < AQ_TIMELINE_N_KINDS; k++)
    {
      AqTimelineKind kind = aq_timeline_kind_nth (k);
      const char *name = aq_timeline_kind_to_string (kind);
      GtkWidget *button = gtk_toggle_button_new_with_label (aq_label_kind (name));

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      gtk_widget_add_css_class (button, "timeline-filter");
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (button, _("Show or hide this kind of event"));
      gtk_widget_set_name (button, name);
      g_object_set_data (G_OBJECT (button), "kind", GUINT_TO_POINTER (kind));
      g_signal_connect (button, "toggled", G_CALLBACK (toggle_cb), self);
      gtk_flow_box_append (self->filters, button);
      self->toggles[k] = GTK_TOGGLE_BUTTON (button);
    }
  gtk_list_box_set_filter_func (self->list, filter_cb, self, NULL);
}

/* ---- public API ---- */

GtkWidget *
aq_timeline_view_new (void)
{
  return g_object_new (AQ_TYPE_TIMELINE_VIEW, NULL);
}

/**
 * aq_timeline_view_set_customer:
 * @customer: (nullable): a 360 as aq_customer_360_to_json() makes it
 *
 * Shows every event of @customer; the kinds chosen stay chosen.
 */
void
aq_timeline_view_set_customer (AqTimelineView *self,
                               JsonObject     *customer)
{
  GtkWidget *child;

  g_return_if_fail (AQ_IS_TIMELINE_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_clear_pointer (&self->events, json_array_unref);
  if (customer != NULL)
    self->events = aq_customer_timeline_build (customer, AQ_TIMELINE_ALL);
  for (guint i = 0; self->events && i < json_array_get_length (self->events); i++)
    gtk_list_box_append (self->list, row_new (json_array_get_object_element (self->events, i)));
  update_empty (self);
}

/* Returns: the #AqTimelineKind mask of what is shown */
guint
aq_timeline_view_get_kinds (AqTimelineView *self)
{
  g_return_val_if_fail (AQ_IS_TIMELINE_VIEW (self), 0);
  return self->kinds;
}

void
aq_timeline_view_set_kinds (AqTimelineView *self,
                            guint           kinds)
{
  g_return_if_fail (AQ_IS_TIMELINE_VIEW (self));

  kinds &= AQ_TIMELINE_ALL;
  if (self->kinds == kinds)
    return;
  self->kinds = kinds;
  self->syncing = TRUE;
  for (guint k = 0; k < AQ_TIMELINE_N_KINDS; k++)
    gtk_toggle_button_set_active (self->toggles[k], (kinds & aq_timeline_kind_nth (k)) != 0);
  self->syncing = FALSE;
  gtk_list_box_invalidate_filter (self->list);
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KINDS]);
}

/* Returns: (transfer none): the toggle button of @kind ("bill", "call"…) */
GtkToggleButton *
aq_timeline_view_get_toggle (AqTimelineView *self,
                             const char     *kind)
{
  AqTimelineKind k = aq_timeline_kind_from_string (kind);

  g_return_val_if_fail (AQ_IS_TIMELINE_VIEW (self), NULL);

  for (guint i = 0; i < AQ_TIMELINE_N_KINDS; i++)
    if (aq_timeline_kind_nth (i) == k)
      return self->toggles[i];
  return NULL;
}

/* Returns: how many events the kinds chosen leave */
guint
aq_timeline_view_get_n_visible (AqTimelineView *self)
{
  g_return_val_if_fail (AQ_IS_TIMELINE_VIEW (self), 0);
  return self->events ? aq_customer_timeline_count (self->events, self->kinds) : 0;
}

/* Returns: (transfer full): the titles of what dup_rows gives */
GStrv
aq_timeline_view_dup_header (AqTimelineView *self)
{
  const char *header[] = { aq_label_column ("time"), aq_label_column ("kind"),
                           aq_label_column ("summary"), NULL };

  g_return_val_if_fail (AQ_IS_TIMELINE_VIEW (self), NULL);
  return g_strdupv ((char **) header);
}

/* Returns: (transfer full) (element-type GStrv): the events shown: time, kind, summary */
GPtrArray *
aq_timeline_view_dup_rows (AqTimelineView *self)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_return_val_if_fail (AQ_IS_TIMELINE_VIEW (self), rows);

  for (guint i = 0; self->events && i < json_array_get_length (self->events); i++)
    {
      JsonObject *event = json_array_get_object_element (self->events, i);
      const char *kind = json_object_get_string_member (event, "kind");
      char **cells;

      if (!(aq_timeline_kind_from_string (kind) & self->kinds))
        continue;
      cells = g_new0 (char *, 4);
      cells[0] = event_time (event);
      cells[1] = g_strdup (aq_label_kind (kind));
      cells[2] = summarize (event);
      g_ptr_array_add (rows, cells);
    }
  return rows;
}
