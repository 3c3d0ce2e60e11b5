"""The levy app's own role: the company's representative. The Fund's side reuses finance's roles:
a finance officer declares on a company's behalf, assesses, applies payments and approves direct
R&D spending; a chief accountant is the second approver above ``levy.rnd_approval_threshold``."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import RoleSpec

SUBSOIL_REP = "subsoil_rep"
FINANCE_OFFICER = "finance_officer"
CHIEF_ACCOUNTANT = "chief_accountant"

ROLES = (
    RoleSpec(
        SUBSOIL_REP,
        _("Subsoil user representative"),
        signup_label=_("I represent a subsoil user"),
        # Claims to act for the company (the registrar confirms): the declarant must represent a holder.
        holds=("parties.claim.file",),
    ),
)
