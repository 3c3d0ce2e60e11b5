from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "innocluster.core.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    manifest = "innocluster.core.notifications.manifest.MANIFEST"

    def ready(self):
        from . import permissions  # noqa: F401  (declares notifications.inbox)
