/* aq-area-outage-dialog.c — kind, times and reason of the outage for a drawn area
 *
 * Asked before the outage is written: the kind (planned or an emergency), the start and the
 * expected end (proposed as tomorrow at this hour, for six hours) and the reason. Only the
 * times' form is checked here; core checks every field again (a reason given, the end after
 * the start) and names the one that is wrong.
 */
#define G_LOG_DOMAIN "aq-area-outage-dialog"

#include "config.h"

#include "aq-area-outage-dialog.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "aq-clock.h"
#include "aq-error.h"

struct _AqAreaOutageDialog
{
  AdwMessageDialog  parent_instance;

  GtkDropDown      *kind_drop;
  GtkEntry         *start_entry;
  GtkEntry         *end_entry;
  GtkEntry         *reason_entry;
};

G_DEFINE_FINAL_TYPE (AqAreaOutageDialog, aq_area_outage_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* ---- auxiliary methods ---- */

/* Returns: (nullable): "YYYY-MM-DD HH:MM" (or just the day) in the utility's time zone */
static GDateTime *
parse_time (const char  *text,
            const char  *field,
            GError     **error)
{
  g_autoptr(GTimeZone) tz = aq_clock_zone ();
  int y, mo, d, h = 0, mi = 0;
  GDateTime *time = NULL;

  if (sscanf (text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) >= 3)
    time = g_date_time_new (tz, y, mo, d, h, mi, 0);
  if (time == NULL)
    /* Translators: %s is the field ("Start", "Expected end"), then what was typed */
    g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                 _("%s: “%s” is not a time; write it as YYYY-MM-DD HH:MM."), field, text);
  return time;
}

/* ---- GObject overrides ---- */

static void
aq_area_outage_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_AREA_OUTAGE_DIALOG);
  G_OBJECT_CLASS (aq_area_outage_dialog_parent_class)->dispose (object);
}

static void
aq_area_outage_dialog_class_init (AqAreaOutageDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_area_outage_dialog_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/aqueduct/Aqueduct/ui/aq-area-outage-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqAreaOutageDialog, kind_drop);
  gtk_widget_class_bind_template_child (widget_class, AqAreaOutageDialog, start_entry);
  gtk_widget_class_bind_template_child (widget_class, AqAreaOutageDialog, end_entry);
  gtk_widget_class_bind_template_child (widget_class, AqAreaOutageDialog, reason_entry);
}

static void
aq_area_outage_dialog_init (AqAreaOutageDialog *self)
{
  g_autoptr(GDateTime) now = aq_clock_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, 24);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, 30);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%d %H:00");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%d %H:00");

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->start_entry), start_text);
  gtk_editable_set_text (GTK_EDITABLE (self->end_entry), end_text);
}

/* ---- public API ---- */

/**
 * aq_area_outage_dialog_new:
 * @accounts: the number of affected accounts, as the panel shows it
 */
AqAreaOutageDialog *
aq_area_outage_dialog_new (GtkWindow  *parent,
                           const char *accounts)
{
  AqAreaOutageDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (accounts != NULL, NULL);

  self = g_object_new (AQ_TYPE_AREA_OUTAGE_DIALOG, "transient-for", parent, "modal", TRUE,
                       NULL);
  /* Translators: %s is the number of affected accounts ("2,902 accounts") */
  body = g_strdup_printf (_("The outage affects %s. Once it is created, its notice is written "
                            "and sent from the next window."), accounts);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  return self;
}

/* Returns: "planned" or "emergency" */
const char *
aq_area_outage_dialog_get_kind (AqAreaOutageDialog *self)
{
  g_return_val_if_fail (AQ_IS_AREA_OUTAGE_DIALOG (self), NULL);
  return gtk_drop_down_get_selected (self->kind_drop) == 1 ? "emergency" : "planned";
}

const char *
aq_area_outage_dialog_get_reason (AqAreaOutageDialog *self)
{
  g_return_val_if_fail (AQ_IS_AREA_OUTAGE_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->reason_entry));
}

/* Returns: (transfer full) (nullable): the start, NULL with an error naming the field */
GDateTime *
aq_area_outage_dialog_get_start (AqAreaOutageDialog  *self,
                                 GError             **error)
{
  g_return_val_if_fail (AQ_IS_AREA_OUTAGE_DIALOG (self), NULL);
  return parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start_entry)), _("Start"),
                     error);
}

/* Returns: (transfer full) (nullable): the expected end, NULL with an error naming the field */
GDateTime *
aq_area_outage_dialog_get_end (AqAreaOutageDialog  *self,
                               GError             **error)
{
  g_return_val_if_fail (AQ_IS_AREA_OUTAGE_DIALOG (self), NULL);
  return parse_time (gtk_editable_get_text (GTK_EDITABLE (self->end_entry)), _("Expected end"),
                     error);
}
