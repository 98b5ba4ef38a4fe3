from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"
    verbose_name = _("消息提醒")

    def ready(self) -> None:
        # A new audit event of a verb the catalogue knows asks the worker to dispatch it, once the
        # transaction that wrote it commits: no lower app imports this one (core/layers.py).
        from django.db.models.signals import post_save

        from anjian.core.models import AuditEvent
        from anjian.notifications.dispatch import audit_event_saved

        post_save.connect(audit_event_saved, sender=AuditEvent, dispatch_uid="notifications.audit_event_saved")
