from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "innocluster.registry"
    label = "registry"
    verbose_name = _("Participant registry")
    manifest = "innocluster.registry.manifest.MANIFEST"

    def ready(self):
        from innocluster.registry import eligibility, permissions, signals  # noqa: F401  (registers the law formulas)
        from innocluster.registry.selectors import documents as document_rules  # noqa: F401
        from innocluster.registry.services import applications, compliance, documents, membership  # noqa: F401

        signals.connect(self)  # a member's rename reaches its register entry and the search index
