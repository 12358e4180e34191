/* aq-area-summary.c — what the drawn area affects, as the outage map's side pane shows it
 *
 * Three pages: nothing to count yet (how to draw), an area that cannot be counted (the precise
 * message, and Repair when the warehouse can repair it: "area.repair" of the panel), and the
 * analysis — the total, the accounts by kind, reachable and not, the key customers first, then
 * the communities with the ones that need a posted notice or a call marked.
 */
#define G_LOG_DOMAIN "aq-area-summary"

#include "config.h"

#include "aq-area-summary.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _AqAreaSummary
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  AdwStatusPage *error_page;
  GtkWidget     *repair_button;
  GtkLabel      *total_label;
  GtkLabel      *summary_label;
  GtkListBox    *kinds_list;
  GtkLabel      *key_heading;
  GtkListBox    *key_list;
  GtkListBox    *community_list;
};

G_DEFINE_FINAL_TYPE (AqAreaSummary, aq_area_summary, GTK_TYPE_WIDGET)

/* ---- auxiliary methods ---- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static char *
format_count (gint64 n)
{
  /* the locale's digit grouping: 12,345 */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static GtkWidget *
count_row (const char *title,
           const char *subtitle,
           gint64      count,
           const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = format_count (count);
  GtkWidget *label = gtk_label_new (text);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_name (label, "count");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (name != NULL)
    gtk_widget_set_name (row, name);
  return row;
}

static const char *
key_kind_title (const char *kind)
{
  if (g_strcmp0 (kind, "hospital") == 0)
    return _("Hospital");
  if (g_strcmp0 (kind, "school") == 0)
    return _("School");
  if (g_strcmp0 (kind, "kindergarten") == 0)
    return _("Kindergarten");
  if (g_strcmp0 (kind, "hotel") == 0)
    return _("Hotel");
  if (g_strcmp0 (kind, "large_consumer") == 0)
    return _("Large consumer");
  return kind;
}

/* ---- GObject overrides ---- */

static void
aq_area_summary_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_AREA_SUMMARY);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_area_summary_parent_class)->dispose (object);
}

static void
aq_area_summary_class_init (AqAreaSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_area_summary_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-area-summary.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, stack);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, repair_button);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, total_label);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, kinds_list);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, key_heading);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, key_list);
  gtk_widget_class_bind_template_child (widget_class, AqAreaSummary, community_list);
}

static void
aq_area_summary_init (AqAreaSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

/* Nothing to count: an open drawing, or none. */
void
aq_area_summary_show_empty (AqAreaSummary *self)
{
  g_return_if_fail (AQ_IS_AREA_SUMMARY (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * aq_area_summary_show_error:
 * @repairable: whether to offer Repair
 *
 * Why the area is not counted; no count is shown.
 */
void
aq_area_summary_show_error (AqAreaSummary *self,
                            const GError  *error,
                            gboolean       repairable)
{
  g_return_if_fail (AQ_IS_AREA_SUMMARY (self));
  g_return_if_fail (error != NULL);

  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (self->repair_button, repairable);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
aq_area_summary_show_area (AqAreaSummary      *self,
                           const AqOutageArea *area)
{
  g_autofree char *count = format_count (area->accounts);
  g_autofree char *sms = format_count (area->sms_recipients);
  g_autofree char *total = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *reach_text = NULL;
  gint64 unreachable = area->accounts - area->reachable;
  GtkWidget *row;

  g_return_if_fail (AQ_IS_AREA_SUMMARY (self));
  g_return_if_fail (area != NULL);

  /* Translators: %s is a number of water accounts, already formatted */
  total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s account", "%s accounts",
                                        (gulong) area->accounts), count);
  gtk_label_set_label (self->total_label, total);

  {
    g_autofree char *notice = format_count (area->notice_communities);

    /* Translators: the number of communities, then of those that need a posted notice */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u community inside or cut by the area; %s need a "
                                            "posted notice or a call to the property manager.",
                                            "%u communities inside or cut by the area; %s need a "
                                            "posted notice or a call to the property manager.",
                                            area->communities->len),
                               area->communities->len, notice);
  }
  gtk_label_set_label (self->summary_label, summary);

  clear_list (self->kinds_list);
  gtk_list_box_append (self->kinds_list, count_row (_("Key customers"), NULL,
                                                    area->key_accounts, "key"));
  gtk_list_box_append (self->kinds_list, count_row (_("Community customers"), NULL,
                                                    area->community_accounts, "community"));
  gtk_list_box_append (self->kinds_list, count_row (_("Scattered customers"), NULL,
                                                    area->scattered_accounts, "scattered"));
  /* Translators: %s is a number of text messages */
  reach_text = g_strdup_printf (_("a registered mobile or WeChat · %s text messages"), sms);
  gtk_list_box_append (self->kinds_list,
                       count_row (_("Reachable"), reach_text, area->reachable, "reachable"));
  row = count_row (_("Unreachable"), _("no mobile nor WeChat: post a notice"), unreachable,
                   "unreachable");
  if (unreachable > 0)
    gtk_widget_add_css_class (row, "warning");
  gtk_list_box_append (self->kinds_list, row);

  clear_list (self->key_list);
  for (guint i = 0; i < area->key_customers->len; i++)
    {
      AqAreaKeyCustomer *kc = g_ptr_array_index (area->key_customers, i);
      GtkWidget *key_row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (key_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key_row), kc->name);
      subtitle = g_strdup_printf ("%s · %s%s", key_kind_title (kc->kind), kc->account_id,
                                  kc->reachable ? "" : _(" · unreachable: call"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (key_row), subtitle);
      gtk_list_box_append (self->key_list, key_row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->key_heading), area->key_customers->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->key_list), area->key_customers->len > 0);

  clear_list (self->community_list);
  for (guint i = 0; i < area->communities->len; i++)
    {
      AqAreaCommunity *c = g_ptr_array_index (area->communities, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *c_row;

      if (c->needs_notice)
        /* Translators: %s is a property company's phone (or a dash) */
        subtitle = g_strdup_printf (_("Post a notice or call the property manager: %s"),
                                    c->property_phone ? c->property_phone : "—");
      else
        subtitle = g_strdup (c->inside ? _("wholly inside") : _("cut by the area"));
      c_row = count_row (c->name, subtitle, c->accounts, c->community_code);
      if (c->needs_notice)
        gtk_widget_add_css_class (c_row, "warning");
      gtk_list_box_append (self->community_list, c_row);
    }
  if (area->communities->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("None"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->community_list, label);
    }
  gtk_stack_set_visible_child_name (self->stack, "result");
}

/* Returns: the total as shown ("2,902 accounts") */
const char *
aq_area_summary_get_total (AqAreaSummary *self)
{
  g_return_val_if_fail (AQ_IS_AREA_SUMMARY (self), NULL);
  return gtk_label_get_label (self->total_label);
}

/* Returns: the page shown: empty, error or result */
const char *
aq_area_summary_get_page (AqAreaSummary *self)
{
  g_return_val_if_fail (AQ_IS_AREA_SUMMARY (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
