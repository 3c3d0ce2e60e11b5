"""TRANSITIONAL: roles and deciding bodies of apps that do not exist yet.

The demo, the sign-up form and the authorization table need them today, but no app owns them yet:
each future app takes its own into its manifest when it lands and deletes them here —
grants (programme_manager, expert, the expert commission). (The levy app took subsoil_rep, the
workforce app hr_officer, the governance app corporate_secretary, trustee, committee_member, the
Board of Trustees and the Managing Committee.) They live in the site app, the top layer,
so that nothing below can come to depend on them.
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, RoleSpec

ROLES = (
    RoleSpec("programme_manager", _("Programme manager"), two_factor=True, group="staff"),
    RoleSpec("expert", _("Expert"), two_factor=True),
)

BODIES = (BodySpec("expert_commission", _("Expert commission")),)
