"""Who may do what in project financing.

Programmes and calls: the programme manager enters them; a call is published on a second person's
approval (another programme manager or a Fund executive; the service refuses the call's creator and
submitter). The Fund's staff and the auditor read everything; anyone reads the published calls, the
funded projects and the open challenges.

The later stages: a participant's representative applies and reports for the organisations it acts
for (the selectors look records up through the user: someone else's is not found, 404); a subsoil
user's representative pre-selects in the calls its company finances; the programme manager checks
intake, assigns experts, proposes awards and accepts reports; an expert sees only the applications
assigned to them (and nothing once recused); the chair of the expert commission sees the aggregation
and asks for another review; the Fund executive decides awards within its band; the finance officer
pays tranches. An amendment is proposed by a programme manager and approved by another programme
manager or a Fund executive (``grants.agreement.approve``). Enforcement against a grantee
(suspension, resumption, termination, clawback: ``grants.award.enforce``) is the Fund executive's
decision alone: the programme manager proposes it and cites the reasons, but does not decide.
Object-level checks live in the selectors and services."""

from innocluster.core.access.permissions import anyone, declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR, FUND_EXECUTIVE
from innocluster.grants.roles import EXPERT, EXPERT_CHAIR, PROGRAMME_MANAGER

# Roles of other apps, by their stable keys (the grants app does not import the levy or finance apps).
PARTICIPANT_REP = "participant_rep"
SUBSOIL_REP = "subsoil_rep"
FINANCE_OFFICER = "finance_officer"

declare("grants.programme.manage", has_role(PROGRAMME_MANAGER))
declare("grants.call.edit", has_role(PROGRAMME_MANAGER))
declare("grants.call.approve", has_role(PROGRAMME_MANAGER, FUND_EXECUTIVE))
declare("grants.read", in_role_group("staff") | has_role(AUDITOR))
declare("grants.public", anyone)

# --- applications and intake ---
declare("grants.apply", has_role(PARTICIPANT_REP))
declare("grants.intake", has_role(PROGRAMME_MANAGER))
# --- pre-selection and the expert commission ---
declare("grants.preselect", has_role(SUBSOIL_REP))
declare("grants.financers.manage", has_role(PROGRAMME_MANAGER))
declare("grants.expertise.assign", has_role(PROGRAMME_MANAGER))
declare("grants.review", has_role(EXPERT))
declare("grants.expertise.chair", has_role(EXPERT_CHAIR))
declare("grants.expertise.read", has_role(PROGRAMME_MANAGER, EXPERT_CHAIR, FUND_EXECUTIVE, AUDITOR))
# --- awards, agreements, tranches, reports ---
declare("grants.award.propose", has_role(PROGRAMME_MANAGER))
declare("grants.award.decide", has_role(FUND_EXECUTIVE))
declare("grants.agreement.amend", has_role(PROGRAMME_MANAGER))
declare("grants.agreement.approve", has_role(PROGRAMME_MANAGER, FUND_EXECUTIVE))
declare("grants.award.enforce", has_role(FUND_EXECUTIVE))
declare("grants.tranche.pay", has_role(FINANCE_OFFICER))
declare("grants.report.submit", has_role(PARTICIPANT_REP))
declare("grants.report.review", has_role(PROGRAMME_MANAGER))
# --- open-innovation challenges ---
declare("grants.challenge.post", has_role(SUBSOIL_REP, PARTICIPANT_REP))
declare("grants.challenge.answer", has_role(PARTICIPANT_REP))
# The agreement's PDF: the Fund's staff and the auditor, and a participant's representative for the
# organisations it acts for (the selector looks the award up through the user).
declare("grants.agreement.read", in_role_group("staff") | has_role(AUDITOR, PARTICIPANT_REP))
