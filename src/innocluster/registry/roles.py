"""The register's roles and deciding body, as the platform knows them (declared in
``manifest.py``): keys are stable, they appear in the database and the authorization table."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import BodySpec, DecisionType, RoleSpec

REGISTRAR = "registrar"
COMMISSION_MEMBER = "commission_member"
PARTICIPANT_REP = "participant_rep"

SELECTION_COMMISSION = "selection_commission"

ROLES = (
    RoleSpec(REGISTRAR, _("Registrar"), two_factor=True, group="staff"),
    RoleSpec(COMMISSION_MEMBER, _("Commission member"), two_factor=True),
    RoleSpec(
        PARTICIPANT_REP,
        _("Participant representative"),
        signup_label=_("I represent a cluster participant or an applicant"),
    ),
)
BODIES = (BodySpec(SELECTION_COMMISSION, _("Selection commission")),)
# Decisions the register records (a decision record cites the body and the kind).
ADMISSION = "registry.admission"
EXCLUSION = "registry.exclusion"
# Decisions the register records (a decision record cites the body and the kind). Which body takes
# each is the authority matrix's answer when one is installed; the bodies here apply otherwise.
DECISION_TYPES = (
    DecisionType(ADMISSION, _("Admission to the register"), bodies=(SELECTION_COMMISSION,)),
    DecisionType(EXCLUSION, _("Exclusion from the register")),  # the body: the Fund's rules
)
