"""The roles of the cluster's people, collected from the apps' manifests.

The platform defines three roles of its own (below, in this app's manifest); every other role is
defined by the app that needs it (the register's registrar, a body's member ...). Keys are stable
(they appear in the demo's printout, the authorization table and the database); labels are
translated. Everything here is read when asked, never frozen at import, so an app installed later
(or only in a test) is counted.
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core import manifest
from innocluster.core.manifest import RoleSpec

FUND_ADMIN = "fund_admin"
FUND_EXECUTIVE = "fund_executive"
AUDITOR = "auditor"

PLATFORM_ROLES = (
    RoleSpec(FUND_ADMIN, _("Fund administrator"), two_factor=True, group="staff"),
    RoleSpec(FUND_EXECUTIVE, _("Fund executive (director)"), two_factor=True, group="staff"),
    # The auditor reads everything, so the auditor signs in with a second factor too.
    RoleSpec(AUDITOR, _("Auditor (read-only)"), two_factor=True),
)
# Who may read the audit log.
AUDIT_READERS = frozenset({FUND_ADMIN, FUND_EXECUTIVE, AUDITOR})


def all_roles() -> list[RoleSpec]:
    return manifest.roles()


def role_keys() -> list[str]:
    return [role.key for role in all_roles()]


def role_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in all_roles()]


def role_label(key: str) -> str:
    return str(next((role.label for role in all_roles() if role.key == key), key))


def in_group(group: str) -> frozenset[str]:
    """Role keys of a group: ``"staff"`` (the Fund's employees) or ``"bodies"`` (members of its collegial bodies)."""
    return frozenset(role.key for role in all_roles() if role.group == group)


def fund_staff() -> frozenset[str]:
    return in_group("staff")


def body_members() -> frozenset[str]:
    return in_group("bodies")


def two_factor_roles() -> frozenset[str]:
    """Everyone who sees other people's data or decides on it signs in with a second factor."""
    return frozenset(role.key for role in all_roles() if role.two_factor)


def signup_roles() -> list[RoleSpec]:
    """Roles a newcomer may pick at sign-up (outside people representing an organisation)."""
    return [role for role in all_roles() if role.signup_label is not None]


def holding(action: str) -> frozenset[str]:
    """Role keys given the platform ``action`` by the app that defines them."""
    return frozenset(role.key for role in all_roles() if action in role.holds)
