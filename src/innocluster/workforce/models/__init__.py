"""Foreign specialists under the simplified procedure (DOMAIN.md, workflow 5): who they are, the
employer's requests with their documents, revision items and extensions, and the letters issued on
approval. Employers are ``parties`` organisations: the Fund itself or a participant in good
standing (checked live against the register when filing)."""

from innocluster.workforce.models.reference import DocumentKind
from innocluster.workforce.models.requests import (
    EngagementRequest,
    Extension,
    Letter,
    LetterCounter,
    RequestDocument,
    RevisionItem,
)
from innocluster.workforce.models.specialists import Specialist

__all__ = [
    "DocumentKind",
    "EngagementRequest",
    "Extension",
    "Letter",
    "LetterCounter",
    "RequestDocument",
    "RevisionItem",
    "Specialist",
]
