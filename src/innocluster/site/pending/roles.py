"""TRANSITIONAL: roles and deciding bodies of apps that do not exist yet.

The demo, the sign-up form and the authorization table need them today, but no app owns them yet:
each future app takes its own into its manifest when it lands and deletes them here —
grants (programme_manager, expert, the expert commission),
governance (corporate_secretary, trustee, committee_member, the Board of
Trustees and the Managing Committee). (The levy app took subsoil_rep, the workforce app hr_officer.) They live in the site app, the top layer,
so that nothing below can come to depend on them.
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, RoleSpec

ROLES = (
    RoleSpec("programme_manager", _("Programme manager"), two_factor=True, group="staff"),
    RoleSpec(
        "corporate_secretary",
        _("Corporate secretary"),
        two_factor=True,
        group="staff",
        holds=("decisions.record", "decisions.publish"),
    ),
    RoleSpec("expert", _("Expert"), two_factor=True),
    RoleSpec("trustee", _("Trustee"), two_factor=True, group="bodies"),
    RoleSpec("committee_member", _("Managing Committee member"), two_factor=True, group="bodies"),
)

BODIES = (
    BodySpec("board_of_trustees", _("Board of Trustees")),
    BodySpec("managing_committee", _("Managing Committee")),
    BodySpec("expert_commission", _("Expert commission")),
)
