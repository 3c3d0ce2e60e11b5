"""Claims of authority: entering a BIN claims to act for the organisation; until a registrar confirms
the claim against its document the claimant prepares a draft but cannot submit it (service, HTML
page, API), sign the agreement or see the organisation's records. Registrars (and the Fund's
administrator) confirm or reject; others are refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications.models import Notification
from innocluster.parties import selectors
from innocluster.parties.models import AuthorityClaim, Representative
from innocluster.parties.services import claims
from innocluster.parties.services.representatives import revoke_representative
from innocluster.registry.models import Application
from innocluster.registry.services import applications, commission, moderation
from innocluster.registry.services.register import load_reference_data
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.parties import charter, confirm_pending, make_representative
from tests.factories.registry import TINY_PDF, commission_decision, draft_application

pytestmark = pytest.mark.django_db

NOT_CONFIRMED = "is not confirmed yet"


@pytest.fixture
def people(policy_loaded):
    load_reference_data()
    return {
        "applicant": user_with_role("participant_rep", "acme", enrolled=False),
        "stranger": user_with_role("participant_rep", "stranger", enrolled=False),
        "registrar": user_with_role("registrar", "reg"),
        "admin": user_with_role("fund_admin", "fadmin"),
        "commission": user_with_role("commission_member", "com"),
    }


@pytest.fixture
def pending(people):
    """A complete draft whose applicant's claim to be the head still waits for the registrar."""
    return draft_application(people["applicant"], confirmed=False)


def session(user, *, two_factor=False):
    client = Client()
    if two_factor:
        login_with_2fa(client, user)
    else:
        client.force_login(user)
    return client


# --- the claim is made with the BIN ----------------------------------------------------------------


def test_entering_a_bin_files_a_pending_claim_and_makes_nobody_a_representative(people, pending):
    claim = AuthorityClaim.objects.get()
    assert (claim.user, claim.organisation, claim.role, claim.status) == (
        people["applicant"],
        pending.organisation,
        "head",
        "pending",
    )
    assert claim.content_type == "application/pdf" and len(claim.sha256) == 64
    assert not Representative.objects.exists()
    event = AuditEvent.objects.get(action="parties.claim.filed")
    assert event.changes["role"] == [None, "head"]


def test_a_document_that_is_not_a_scan_or_pdf_is_refused_by_its_bytes(people, pending):
    organisation = pending.organisation
    fake = SimpleUploadedFile("charter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        claims.file_claim(organisation, by=people["stranger"], role="head", uploaded_file=fake)
    assert "authority_document" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        claims.file_claim(organisation, by=people["stranger"], role="head", uploaded_file=None)
    assert "authority_document" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        claims.file_claim(organisation, by=people["stranger"], role="contact", uploaded_file=charter())
    assert "role" in exc.value.error_dict
    assert AuthorityClaim.objects.count() == 1


def test_one_pending_claim_per_person_and_none_for_a_representative(people, pending):
    with pytest.raises(ValidationError, match="already with the registrar"):
        claims.file_claim(pending.organisation, by=people["applicant"], role="head", uploaded_file=charter())
    confirm_pending(people["applicant"], pending.organisation_id)
    with pytest.raises(ValidationError, match="already act for"):
        claims.file_claim(pending.organisation, by=people["applicant"], role="head", uploaded_file=charter())


# --- what a pending claim cannot do ------------------------------------------------------------------


def test_a_pending_claim_cannot_submit_through_the_service(people, pending):
    with pytest.raises(ValidationError) as exc:
        applications.submit(pending, by=people["applicant"], on=date(2026, 3, 19))
    assert NOT_CONFIRMED in str(exc.value.error_dict["organisation"])
    assert Application.objects.get(pk=pending.pk).status == "draft"
    confirm_pending(people["applicant"], pending.organisation_id)
    applications.submit(pending, by=people["applicant"], on=date(2026, 3, 19))
    assert Application.objects.get(pk=pending.pk).status == "moderation"


def test_a_pending_claim_cannot_submit_through_the_html_page(people, pending):
    client = session(people["applicant"])
    # The draft is the claimant's to prepare.
    assert client.get(reverse("portal:step", args=[pending.pk, "project"])).status_code == 200
    response = client.post(reverse("portal:step", args=[pending.pk, "review"]), follow=True)
    assert NOT_CONFIRMED in response.content.decode()
    assert Application.objects.get(pk=pending.pk).status == "draft"


def test_a_pending_claim_cannot_submit_through_the_api(people, pending):
    client = session(people["applicant"])
    response = client.post(f"/api/v1/applications/{pending.pk}/submit/", {}, content_type="application/json")
    assert response.status_code == 422
    assert NOT_CONFIRMED in str(response.json())
    assert Application.objects.get(pk=pending.pk).status == "draft"


def test_a_pending_claim_cannot_sign_the_agreement(people):
    application = draft_application(people["applicant"])
    applications.submit(application, by=people["applicant"], on=date(2026, 4, 1))
    moderation.accept(application, by=people["registrar"], on=date(2026, 4, 1))
    commission.decide_batch([application], **commission_decision(people["commission"]))
    application.refresh_from_db()
    # The Fund revokes the applicant's authority (the head changed); a second head keeps the org.
    second = user_with_role("participant_rep", "second", enrolled=False)
    make_representative(application.organisation, second, "head")
    revoke_representative(
        Representative.objects.get(user=people["applicant"]), by=people["registrar"], reason="New head"
    )
    # The applicant claims again: the claim lets them see their application, not sign it.
    claims.file_claim(
        application.organisation, by=people["applicant"], role="authorised", uploaded_file=charter()
    )
    with pytest.raises(ValidationError) as exc:
        applications.sign_agreement(
            application, by=people["applicant"], uploaded_file=SimpleUploadedFile("a.pdf", TINY_PDF)
        )
    assert NOT_CONFIRMED in str(exc.value)
    assert Application.objects.get(pk=application.pk).status == "approved"
    assert not application.documents.filter(kind__code="signed_agreement").exists()


def test_a_pending_claim_does_not_see_the_organisations_pages(people, pending):
    client = session(people["applicant"])
    organisation = pending.organisation
    for name in ("representatives", "report", "leave"):
        assert client.get(reverse(f"portal:{name}", args=[organisation.pk])).status_code == 404, name
    confirm_pending(people["applicant"], organisation.pk)
    assert client.get(reverse("portal:representatives", args=[organisation.pk])).status_code == 200


def test_an_unconfirmed_claimant_never_sees_anothers_application(people):
    mine = draft_application(people["applicant"])  # confirmed head of the organisation
    claims.file_claim(mine.organisation, by=people["stranger"], role="head", uploaded_file=charter())
    client = session(people["stranger"])
    assert client.get(reverse("portal:application", args=[mine.pk])).status_code == 404
    listed = client.get("/api/v1/applications/").json()
    assert mine.pk not in [row["id"] for row in listed.get("results", listed)]
    assert client.get(f"/api/v1/applications/{mine.pk}/").status_code == 404
    # Nor does the claim let them attach the organisation to an application of their own.
    other = applications.start_application(by=people["stranger"], category=mine.category)
    with pytest.raises(ValidationError):
        applications.save_organisation(other, by=people["stranger"], **_fields_of(mine.organisation))
    assert Application.objects.get(pk=other.pk).organisation_id is None


def _fields_of(organisation) -> dict:
    names = ("bin", "name_kk", "name_ru", "name_en", "legal_form", "region", "activity", "address")
    return {name: getattr(organisation, name) for name in names}


# --- deciding ------------------------------------------------------------------------------------


def test_confirming_makes_a_representative_audits_and_tells_the_claimant(people, pending):
    claim = AuthorityClaim.objects.get()
    representative = claims.confirm_claim(claim, by=people["registrar"], reason="Charter p. 3")
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.reason) == (
        "confirmed",
        people["registrar"],
        "Charter p. 3",
    )
    assert (representative.user, representative.role, representative.active) == (
        people["applicant"],
        "head",
        True,
    )
    assert AuditEvent.objects.filter(action="parties.claim.confirmed", object_id=str(claim.pk)).exists()
    added = AuditEvent.objects.get(action="parties.representative.added")
    assert added.changes["claim"] == [None, claim.pk]
    note = Notification.objects.get(recipient=people["applicant"], key="parties.claim.decided")
    assert "confirmed" in note.subject
    with pytest.raises(ValidationError, match="already"):
        claims.confirm_claim(claim, by=people["registrar"])


def test_rejecting_needs_a_reason_and_tells_the_claimant(people, pending):
    claim = AuthorityClaim.objects.get()
    with pytest.raises(ValidationError) as exc:
        claims.reject_claim(claim, by=people["registrar"], reason="  ")
    assert "reason" in exc.value.error_dict
    claims.reject_claim(claim, by=people["admin"], reason="The power of attorney has expired.")
    claim.refresh_from_db()
    assert claim.status == "rejected"
    event = AuditEvent.objects.get(action="parties.claim.rejected")
    assert event.reason == "The power of attorney has expired."
    note = Notification.objects.get(recipient=people["applicant"], key="parties.claim.decided")
    assert "The power of attorney has expired." in note.body
    assert not Representative.objects.exists()
    # A rejected claim no longer lets the claimant at the draft.
    with pytest.raises(PermissionDenied):
        applications.save_project(pending, by=people["applicant"], project_summary="y" * 60)


def test_only_registrars_and_the_fund_admin_decide(people, pending):
    claim = AuthorityClaim.objects.get()
    for who in ("applicant", "stranger", "commission"):
        with pytest.raises(PermissionDenied):
            claims.confirm_claim(claim, by=people[who])
        with pytest.raises(PermissionDenied):
            claims.reject_claim(claim, by=people[who], reason="no")
    assert AuthorityClaim.objects.get().status == "pending"


# --- the staff pages -------------------------------------------------------------------------------


def test_the_queue_shows_pending_claims_oldest_first_with_the_document(people, pending):
    client = session(people["registrar"], two_factor=True)
    page = client.get(reverse("parties_staff:claims"))
    assert page.status_code == 200
    text = page.content.decode()
    assert pending.organisation.bin in text and "charter.pdf" in text and "0 days" in text
    claim = AuthorityClaim.objects.get()
    document = client.get(reverse("parties_staff:claim_document", args=[claim.pk]))
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="parties.claim.document_read").exists()
    # Others: a participant is refused, the commission too.
    for who in ("applicant", "commission"):
        other = session(people[who], two_factor=who != "applicant")
        assert other.get(reverse("parties_staff:claims")).status_code == 403
        assert other.get(reverse("parties_staff:claim_document", args=[claim.pk])).status_code == 403


def test_confirm_and_reject_on_the_page(people, pending):
    claim = AuthorityClaim.objects.get()
    decide = reverse("parties_staff:claim_decide", args=[claim.pk, "reject"])
    rep = session(people["applicant"])
    assert rep.post(decide, {f"r{claim.pk}-reason": "x"}).status_code == 403
    client = session(people["registrar"], two_factor=True)
    response = client.post(decide, {f"r{claim.pk}-reason": ""})
    assert response.status_code == 400
    assert "Say why the claim is rejected" in response.content.decode()
    assert AuthorityClaim.objects.get().status == "pending"
    response = client.post(reverse("parties_staff:claim_decide", args=[claim.pk, "confirm"]), {})
    assert response.status_code == 303
    assert AuthorityClaim.objects.get().status == "confirmed"
    assert selectors.represents(people["applicant"], pending.organisation_id)
    assert client.post(reverse("parties_staff:claim_decide", args=[claim.pk, "nonsense"])).status_code == 404


def test_the_revoke_page_is_audited_and_notified_and_keeps_the_last_head(people):
    application = draft_application(people["applicant"])
    organisation = application.organisation
    deputy = user_with_role("participant_rep", "deputy", enrolled=False)
    make_representative(organisation, deputy, "authorised")
    head = Representative.objects.get(user=people["applicant"])
    target = Representative.objects.get(user=deputy)
    client = session(people["registrar"], two_factor=True)
    page = client.get(reverse("parties_staff:organisation", args=[organisation.pk]))
    assert (
        page.status_code == 200 and reverse("parties_staff:revoke", args=[target.pk]) in page.content.decode()
    )
    url = reverse("parties_staff:revoke", args=[target.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    Notification.objects.all().delete()
    response = client.post(url, {"reason": "The power of attorney was withdrawn."})
    assert response.status_code == 303
    target.refresh_from_db()
    assert not target.active
    event = AuditEvent.objects.get(action="parties.representative.revoked")
    assert event.reason == "The power of attorney was withdrawn." and event.actor_id == people["registrar"].pk
    told = set(
        Notification.objects.filter(key="parties.representative.revoked").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"deputy", "acme"}
    # The last head stays, with the rule's own message.
    response = client.post(reverse("parties_staff:revoke", args=[head.pk]), {"reason": "Gone"})
    assert response.status_code == 400 and "last active head" in response.content.decode()
    assert Representative.objects.get(pk=head.pk).active
    # An inactive one is not found; a participant may not revoke.
    assert client.get(url).status_code == 404
    assert (
        session(people["applicant"]).get(reverse("parties_staff:revoke", args=[head.pk])).status_code == 403
    )


def test_parties_does_not_import_registry():
    from pathlib import Path

    import innocluster.parties as parties

    for path in Path(parties.__file__).parent.rglob("*.py"):
        assert "innocluster.registry" not in path.read_text(encoding="utf-8"), path


def test_the_portal_claim_page_claims_a_known_organisation_and_a_rejected_claimant_can_claim_again(
    people, pending
):
    url = reverse("parties_portal:claims")
    claim = AuthorityClaim.objects.get()
    claims.reject_claim(claim, by=people["registrar"], reason="The charter is not signed.")
    client = session(people["applicant"])
    # Rejected: the draft is no longer theirs to see.
    assert client.get(reverse("portal:application", args=[pending.pk])).status_code == 404
    page = client.get(url)
    assert page.status_code == 200 and "The charter is not signed." in page.content.decode()
    unknown = client.post(url, {"bin": "000140000010", "role": "head", "document": charter()})
    assert unknown.status_code == 400
    bad = client.post(url, {"bin": pending.organisation.bin, "role": "head", "document": charter("x.png")})
    assert bad.status_code == 400 and "not a PDF, PNG or JPEG" in bad.content.decode()
    response = client.post(url, {"bin": pending.organisation.bin, "role": "head", "document": charter()})
    assert response.status_code == 303
    assert selectors.pending_claim(people["applicant"], pending.organisation_id) is not None
    # The new claim gives the draft back (to prepare, still not to submit).
    assert client.get(reverse("portal:step", args=[pending.pk, "project"])).status_code == 200
    # Staff have no portal claims page.
    assert session(people["registrar"], two_factor=True).get(url).status_code == 403


# --- the registrar's home shows the queue ------------------------------------------------------------


def test_the_registrars_home_shows_the_claims_waiting_and_an_applicant_does_not_see_them(people, pending):
    registrar = session(people["registrar"], two_factor=True)
    page = registrar.get("/").content.decode()
    assert "1 claim waits for a decision." in page
    assert reverse("parties_staff:claims") in page
    applicant = session(people["applicant"]).get("/").content.decode()
    assert "claim waits for a decision" not in applicant
    confirm_pending(people["applicant"], pending.organisation_id)
    assert "0 claims wait for a decision." in registrar.get("/").content.decode()
