"""The finance app's roles (declared in ``manifest.py``); the auditor is the platform's."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import RoleSpec

FINANCE_OFFICER = "finance_officer"
CHIEF_ACCOUNTANT = "chief_accountant"

ROLES = (
    RoleSpec(FINANCE_OFFICER, _("Finance officer"), two_factor=True, group="staff"),
    RoleSpec(CHIEF_ACCOUNTANT, _("Chief accountant"), two_factor=True, group="staff"),
)
