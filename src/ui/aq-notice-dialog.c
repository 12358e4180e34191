/* aq-notice-dialog.c — write, review and send an outage's notice, then watch it go out */
#define G_LOG_DOMAIN "aq-notice-dialog"

#include "config.h"

#include "aq-notice-dialog.h"

#include <glib/gi18n.h>

struct _AqNoticeDialog
{
  AdwWindow  parent_instance;

  GtkLabel  *outage_label;

  char      *profile_url;
  char      *actor;
  gint64     outage_id;
  gint64     campaign_id;
};

G_DEFINE_FINAL_TYPE (AqNoticeDialog, aq_notice_dialog, ADW_TYPE_WINDOW)

static void
aq_notice_dialog_finalize (GObject *object)
{
  AqNoticeDialog *self = AQ_NOTICE_DIALOG (object);

  g_free (self->profile_url);
  g_free (self->actor);
  G_OBJECT_CLASS (aq_notice_dialog_parent_class)->finalize (object);
}

static void
aq_notice_dialog_class_init (AqNoticeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = aq_notice_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-notice-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqNoticeDialog, outage_label);
}

static void
aq_notice_dialog_init (AqNoticeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AqNoticeDialog *
aq_notice_dialog_new (GtkWindow   *parent,
                      const char  *profile_url,
                      gint64       outage_id,
                      const char  *actor)
{
  AqNoticeDialog *self = g_object_new (AQ_TYPE_NOTICE_DIALOG, "transient-for", parent, NULL);
  g_autofree char *text = NULL;

  self->profile_url = g_strdup (profile_url);
  self->actor = g_strdup (actor ? actor : g_get_user_name ());
  self->outage_id = outage_id;
  text = g_strdup_printf (_("Outage %" G_GINT64_FORMAT), outage_id);
  gtk_label_set_label (self->outage_label, text);
  return self;
}

gint64
aq_notice_dialog_get_outage_id (AqNoticeDialog *self)
{
  g_return_val_if_fail (AQ_IS_NOTICE_DIALOG (self), 0);
  return self->outage_id;
}

gint64
aq_notice_dialog_get_campaign_id (AqNoticeDialog *self)
{
  g_return_val_if_fail (AQ_IS_NOTICE_DIALOG (self), 0);
  return self->campaign_id;
}
