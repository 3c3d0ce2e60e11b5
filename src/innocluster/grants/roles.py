"""The grants app's roles and deciding body (moved here from the site's transitional module).

Role keys are stable: they appear in the demo's logins, the authorization table and the database.
The programme manager (Fund staff) enters programmes and calls and approves another manager's
call; the expert scores applications (later deliverables); the expert commission decides on them."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, RoleSpec

PROGRAMME_MANAGER = "programme_manager"
EXPERT = "expert"
EXPERT_CHAIR = "expert_chair"
EXPERT_COMMISSION = "expert_commission"

ROLES = (
    RoleSpec(PROGRAMME_MANAGER, _("Programme manager"), two_factor=True, group="staff"),
    RoleSpec(EXPERT, _("Expert"), two_factor=True),
    # Chairs the expert commission: sees the aggregation and may ask for another review.
    RoleSpec(EXPERT_CHAIR, _("Chair of the expert commission"), two_factor=True),
)

BODIES = (BodySpec(EXPERT_COMMISSION, _("Expert commission")),)
