from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "innocluster.workforce"
    label = "workforce"
    verbose_name = _("Foreign specialists")
    manifest = "innocluster.workforce.manifest.MANIFEST"

    def ready(self):
        from django.db.models.signals import post_migrate

        from innocluster.workforce import permissions, rules  # noqa: F401  (access rules; the law formulas)

        post_migrate.connect(_reference_data, sender=self, dispatch_uid="workforce.reference_data")


def _reference_data(sender, using="default", **kwargs):
    """After every migrate and every flush (a test database emptied between tests, which takes
    the initial migration's rows with it): the document kinds the rules name are there."""
    if using == "default":
        from innocluster.workforce.services.reference import load_document_kinds

        load_document_kinds()
