"""Parties for tests: a charter to claim authority with, and a registrar confirming the claim, all
through the services so audit and notifications are real."""

from itertools import count

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from innocluster.core.access.selectors import users_with_role
from innocluster.parties import selectors
from innocluster.parties.services import claims
from tests.factories.accounts import user_with_role

_serials = count(1)


def charter(name: str = "charter.pdf") -> SimpleUploadedFile:
    """A small, distinct PDF (a charter or power of attorney) each time."""
    body = f"charter {next(_serials)}".encode()
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"% " + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def claims_registrar():
    """A registrar to confirm the tests' claims: the test's own if it has one, else one made for it."""
    registrars = users_with_role("registrar")
    if registrars:
        return registrars[0]
    user = get_user_model().objects.filter(username="claims-registrar").first()
    return user or user_with_role("registrar", "claims-registrar", enrolled=False)


def confirm_pending(user, organisation_id):
    """Confirm ``user``'s pending claim on the organisation (a registrar checked the charter)."""
    claim = selectors.pending_claim(user, organisation_id)
    assert claim is not None, "no pending claim to confirm"
    return claims.confirm_claim(claim, by=claims_registrar())


def make_representative(organisation, user, role: str = "head"):
    """``user`` acts for ``organisation``: a claim filed with a charter and confirmed."""
    claim = claims.file_claim(organisation, by=user, role=role, uploaded_file=charter())
    return claims.confirm_claim(claim, by=claims_registrar())
