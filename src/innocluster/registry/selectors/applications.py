"""Reads about one application that the portal, the staff pages and the API share: the revision
comments the applicant must answer now, and whether it is past its deadline."""

from datetime import date

from innocluster.core.policy import values as policy
from innocluster.registry.models import Application, RevisionComment


def current_comments(application: Application) -> list[RevisionComment]:
    """The comments of the last return for revision (what the applicant must answer)."""
    comments = list(application.revision_comments.all())
    last = max((c.round for c in comments), default=None)
    return [c for c in comments if c.round == last]


def is_overdue(application: Application, today: date | None = None) -> bool:
    today = today or policy.today()
    due = application.commission_due or application.moderation_due
    return due is not None and due < today
