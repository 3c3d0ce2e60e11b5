from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "innocluster.governance"
    label = "governance"
    verbose_name = _("Governance")
    manifest = "innocluster.governance.manifest.MANIFEST"

    def ready(self):
        from django.db.models.signals import post_migrate

        from innocluster.governance import (
            authority,  # noqa: F401  (the authority matrix's law-case formula)
            formulas,  # noqa: F401  (law-case formulas)
            permissions,  # noqa: F401  (access rules)
        )

        post_migrate.connect(_reference_data, sender=self, dispatch_uid="governance.reference_data")


def _reference_data(sender, using="default", **kwargs):
    """After every migrate and every flush: the shipped bodies of the regimes present are there
    (a body whose regime is not loaded yet waits for the next load)."""
    if using == "default":
        from innocluster.governance.services.bodies import load_bodies

        load_bodies()
