from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "innocluster.core.policy"
    label = "policy"
    verbose_name = _("Policy parameters")
    manifest = "innocluster.core.policy.manifest.MANIFEST"
