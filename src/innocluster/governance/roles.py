"""The governance app's roles and the bodies it keeps as data (``data/bodies.yaml``).

Role keys are stable: they appear in the demo's logins, the authorization table and the database.
The corporate secretary (Fund staff) runs the bodies' meetings and records their decisions;
trustees and committee members sit on the Board of Trustees and the Managing Committee. The kinds of
decision the bodies take for the Fund itself (its strategy, budget and rules) are declared here; the
authority matrix (``policy.yaml``, ``governance.authority``) says which body takes each."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, DecisionType, RoleSpec

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
        # Records the bodies' decisions and carries out their resolutions (``decisions.execute``).
        holds=("decisions.record", "decisions.publish", "decisions.execute"),
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

GOVERNANCE_STRATEGY = "governance.strategy"
GOVERNANCE_ANNUAL_BUDGET = "governance.annual_budget"
GOVERNANCE_FUND_RULES = "governance.fund_rules"

# The Fund's own decisions; the bodies listed are the matrix's (used only where it is not loaded).
DECISION_TYPES = (
    DecisionType(GOVERNANCE_STRATEGY, _("Development strategy"), bodies=(BOARD_OF_TRUSTEES,)),
    DecisionType(GOVERNANCE_ANNUAL_BUDGET, _("Annual budget of the Fund"), bodies=(MANAGING_COMMITTEE,)),
    DecisionType(GOVERNANCE_FUND_RULES, _("Rules of the Fund"), bodies=(MANAGING_COMMITTEE,)),
)
