"""The governance app's roles and the bodies it keeps as data (``data/bodies.yaml``).

Role keys are stable: they appear in the demo's logins, the authorization table and the database.
The corporate secretary (Fund staff) runs the bodies' meetings and records their decisions;
trustees and committee members sit on the Board of Trustees and the Managing Committee."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, RoleSpec

CORPORATE_SECRETARY = "corporate_secretary"
TRUSTEE = "trustee"
COMMITTEE_MEMBER = "committee_member"

BOARD_OF_TRUSTEES = "board_of_trustees"
MANAGING_COMMITTEE = "managing_committee"

ROLES = (
    RoleSpec(
        CORPORATE_SECRETARY,
        _("Corporate secretary"),
        two_factor=True,
        group="staff",
        holds=("decisions.record", "decisions.publish"),
    ),
    RoleSpec(TRUSTEE, _("Trustee"), two_factor=True, group="bodies"),
    RoleSpec(COMMITTEE_MEMBER, _("Managing Committee member"), two_factor=True, group="bodies"),
)

# The deciding bodies this app adds to decision records (the selection commission is the
# register's, the Fund executive the platform's, the expert commission the grants app's).
BODIES = (
    BodySpec(BOARD_OF_TRUSTEES, _("Board of Trustees")),
    BodySpec(MANAGING_COMMITTEE, _("Managing Committee")),
)
