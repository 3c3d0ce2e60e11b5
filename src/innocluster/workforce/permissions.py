"""Who may do what with foreign specialists.

The employer's side is a participant representative acting (confirmed) for the employing
organisation, or the HR officer for the Fund itself (the Fund's organisation is
``settings.INNOCLUSTER_FUND_BIN``). The Fund's side is the HR officer: checks, returns, decides and
follows active specialists. Auditors and the Fund's executives read everything, with the
personal data masked. Object predicates take a request or a specialist (anything with
``employer_id``); without an object they say whether the role could ever do it (menus, the
authorization table)."""

import rules
from django.conf import settings

from innocluster.core.access.permissions import anyone, declare, has_role
from innocluster.core.access.roles import AUDIT_READERS
from innocluster.parties import selectors as parties
from innocluster.workforce.roles import HR_OFFICER, PARTICIPANT_REP

READERS = (HR_OFFICER, *AUDIT_READERS)


def fund_bin() -> str:
    """The Fund's own BIN: the organisation the HR officer files for."""
    return str(getattr(settings, "INNOCLUSTER_FUND_BIN", "") or "")


def is_fund_employer(employer_id) -> bool:
    if employer_id is None or not fund_bin():
        return False
    found = parties.organisation_by_pk(employer_id)
    return found is not None and found.bin == fund_bin()


def acts_for_employer(user, employer_id) -> bool:
    """``user`` acts (confirmed) for the employer."""
    return parties.represents(user, employer_id)


@rules.predicate
def represents_employer(user, obj=None) -> bool:
    if obj is None:
        return True
    return acts_for_employer(user, getattr(obj, "employer_id", None))


@rules.predicate
def for_the_fund(user, obj=None) -> bool:
    if obj is None:
        return True
    return is_fund_employer(getattr(obj, "employer_id", None))


# The employer files, edits its drafts, uploads documents and resubmits.
declare(
    "workforce.file",
    (has_role(PARTICIPANT_REP) & represents_employer) | (has_role(HR_OFFICER) & for_the_fund),
)
declare("workforce.review", has_role(HR_OFFICER))  # check, return for revision
declare("workforce.decide", has_role(HR_OFFICER))  # approve, refuse
declare("workforce.manage", has_role(HR_OFFICER))  # activate, extend, end
declare("workforce.read", has_role(*READERS))  # staff reads of every employer's requests
# Passport number and date of birth in full (an audited read); everyone else sees them masked.
declare(
    "workforce.personal_data",
    has_role(HR_OFFICER) | (has_role(PARTICIPANT_REP) & represents_employer),
)

# Anyone holding a letter (a consulate, the migration service) checks it on the public verification
# page by its number and code; the page shows no more than the letter itself does, masked.
declare("workforce.letter.verify", anyone)

# The API's endpoints at all (each row is then filtered by ``requests_for`` / ``specialists_for``).
declare("workforce.api", has_role(*READERS, PARTICIPANT_REP))
