"""The roles of the cluster's people. Keys are stable (they appear in the demo's printout, the
authorization table and the database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FUND_ADMIN = "fund_admin", _("Fund administrator")
    FUND_EXECUTIVE = "fund_executive", _("Fund executive (director)")
    REGISTRAR = "registrar", _("Registrar")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    HR_OFFICER = "hr_officer", _("HR officer")
    CORPORATE_SECRETARY = "corporate_secretary", _("Corporate secretary")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    EXPERT = "expert", _("Expert")
    TRUSTEE = "trustee", _("Trustee")
    COMMITTEE_MEMBER = "committee_member", _("Managing Committee member")
    AUDITOR = "auditor", _("Auditor (read-only)")
    PARTICIPANT_REP = "participant_rep", _("Participant representative")
    SUBSOIL_REP = "subsoil_rep", _("Subsoil user representative")


FUND_STAFF = frozenset(
    {
        Role.FUND_ADMIN,
        Role.FUND_EXECUTIVE,
        Role.REGISTRAR,
        Role.FINANCE_OFFICER,
        Role.PROGRAMME_MANAGER,
        Role.HR_OFFICER,
        Role.CORPORATE_SECRETARY,
    }
)
GOVERNANCE = frozenset({Role.TRUSTEE, Role.COMMITTEE_MEMBER})
# Everyone who sees other people's data or decides on it signs in with a second factor. The auditor
# reads everything, so the auditor is included too.
MFA_REQUIRED = FUND_STAFF | GOVERNANCE | {Role.COMMISSION_MEMBER, Role.EXPERT, Role.AUDITOR}
# Who may read the audit log.
AUDIT_READERS = frozenset({Role.FUND_ADMIN, Role.FUND_EXECUTIVE, Role.AUDITOR})
