from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "innocluster.registry"
    label = "registry"
    verbose_name = _("Participant registry")

    def ready(self):
        from innocluster.core.notifications.reminders import register_reminder_source
        from innocluster.core.selectors import register_card_source
        from innocluster.registry import eligibility, permissions, signals  # noqa: F401  (registers the law formulas)
        from innocluster.registry.cards import registry_cards
        from innocluster.registry.reminders import application_deadlines
        from innocluster.registry.services import compliance

        register_reminder_source("registry.application_deadlines", application_deadlines)
        register_reminder_source("registry.compliance_reports_due", compliance.report_reminders)
        register_card_source(registry_cards)
        signals.connect(self)  # a member's rename reaches its register entry and the search index
