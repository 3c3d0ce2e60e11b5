from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "innocluster.registry"
    label = "registry"
    verbose_name = _("Participant registry")

    def ready(self):
        from innocluster.core.notifications.reminders import register_reminder_source

        from . import eligibility, permissions  # noqa: F401  (registers the law formula)
        from .reminders import application_deadlines

        register_reminder_source("registry.application_deadlines", application_deadlines)
