"""The decision record's staff pages: list, entry form, detail, transitions, documents."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.models import Decision, DecisionDocument, Status
from innocluster.core.decisions.services import publish_decision, record_decision, revoke_decision
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.decisions import decision_fields

pytestmark = pytest.mark.django_db

BASE = "/staff/decisions/"
PDF = b"%PDF-1.4\n% signed decision No. 12 of the selection commission\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary(db):
    return user_with_role("corporate_secretary", "secretary")


@pytest.fixture
def secretary_client(client, secretary):
    login_with_2fa(client, secretary)
    return client


fields = decision_fields


def form_data(**overrides):
    data = {**fields(), "meeting_reference": "", "decided_by": "", "corrects": ""}
    data["decided_on"] = data["decided_on"].isoformat()
    data.update(overrides)
    return data


def upload(content: bytes = PDF, name: str = "decision-12.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def a_decision(by, **overrides) -> Decision:
    return record_decision(**fields(**overrides), by=by)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- recording through the form -----------------------------------------------------------------


def test_secretary_records_a_decision_with_documents_through_the_form(secretary_client, secretary):
    form = secretary_client.get(f"{BASE}new/")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'enctype="multipart/form-data"' in html and "multiple" in html
    assert '<label for="id_basis">' in html

    annex = b"annex: list of applicants"
    response = secretary_client.post(
        f"{BASE}new/",
        {
            **form_data(meeting_reference="Meeting 4, item 2", decided_by=str(secretary.pk)),
            "documents": [upload(), upload(annex, "annex.pdf")],
        },
        REMOTE_ADDR="10.1.1.7",
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{decision.pk}/"
    assert decision.recorded_by == secretary and decision.decided_by == secretary
    assert decision.meeting_reference == "Meeting 4, item 2" and decision.status == Status.RECORDED

    documents = {d.original_name: d for d in DecisionDocument.objects.filter(decision=decision)}
    assert set(documents) == {"decision-12.pdf", "annex.pdf"}
    assert documents["decision-12.pdf"].sha256 == hashlib.sha256(PDF).hexdigest()
    assert documents["annex.pdf"].sha256 == hashlib.sha256(annex).hexdigest()
    recorded = AuditEvent.objects.get(action="decisions.decision.recorded")
    assert recorded.actor == secretary and recorded.object_id == str(decision.pk)
    assert recorded.ip == "10.1.1.7"
    assert AuditEvent.objects.filter(action="decisions.document.attached").count() == 2

    detail = secretary_client.get(response["Location"]).content.decode()
    assert "is recorded" in detail  # the success message
    assert "Register TechNomad LLP as a participant." in detail
    assert "Meeting 4, item 2" in detail
    assert f'title="{documents["decision-12.pdf"].sha256}"' in detail
    assert f"{BASE}documents/{documents['decision-12.pdf'].pk}/download/" in detail
    assert "decisions.decision.recorded" in detail and "decisions.document.attached" in detail

    listing = secretary_client.get(BASE).content.decode()
    assert f'href="{BASE}{decision.pk}/"' in listing and "Register TechNomad LLP" in listing
    assert f'href="{BASE}new/"' in listing  # the secretary may record


def test_a_missing_basis_is_shown_beside_the_field_and_nothing_is_stored(secretary_client, settings):
    response = secretary_client.post(f"{BASE}new/", {**form_data(basis=""), "documents": [upload()]})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"basis"}
    html = response.content.decode()
    assert 'id="id_basis_error" role="alert"' in html and 'aria-invalid="true"' in html
    assert not Decision.objects.exists() and not DecisionDocument.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="decisions.").exists()
    assert stored_files(settings) == []


def test_a_future_date_and_a_duplicate_number_are_refused_by_field(secretary_client, secretary):
    a_decision(secretary)
    response = secretary_client.post(f"{BASE}new/", form_data())
    assert "already has decision No. 12" in " ".join(response.context["form"].errors["number"])
    response = secretary_client.post(f"{BASE}new/", form_data(number="13", decided_on="2999-01-01"))
    assert "in the future" in " ".join(response.context["form"].errors["decided_on"])
    assert Decision.objects.count() == 1


def test_a_refused_document_rolls_the_whole_record_back(secretary_client, settings):
    # The same file twice: the service refuses the second copy after the decision row was written.
    response = secretary_client.post(f"{BASE}new/", {**form_data(), "documents": [upload(), upload()]})
    assert response.status_code == 200
    assert "already attached" in " ".join(response.context["form"].errors["documents"])
    assert not Decision.objects.exists() and not DecisionDocument.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="decisions.").exists()
    assert stored_files(settings) == []


def test_a_correcting_decision_shows_the_chain(secretary_client, secretary):
    first = a_decision(secretary)
    response = secretary_client.post(
        f"{BASE}new/", form_data(number="14", decided_on="2025-04-10", corrects=str(first.pk))
    )
    second = Decision.objects.get(number="14")
    assert response.status_code == 302 and second.corrects == first
    assert f'href="{BASE}{first.pk}/"' in secretary_client.get(f"{BASE}{second.pk}/").content.decode()
    assert f'href="{BASE}{second.pk}/"' in secretary_client.get(f"{BASE}{first.pk}/").content.decode()


# --- who may see the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["participant_rep", "subsoil_rep"])
def test_roles_without_decisions_view_are_refused(client, secretary, role, settings):
    decision = record_decision(**fields(), by=secretary, documents=[upload()])
    document = decision.documents.get()
    client.force_login(user_with_role(role, enrolled=False))
    for url in (BASE, f"{BASE}{decision.pk}/", f"{BASE}documents/{document.pk}/download/", f"{BASE}new/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}{decision.pk}/transition/publish/").status_code == 403
    assert not AuditEvent.objects.filter(action="decisions.document.downloaded").exists()


def test_a_reader_who_may_not_record_is_refused_the_form(client):
    login_with_2fa(client, user_with_role("registrar"))
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}new/").status_code == 403
    assert client.post(f"{BASE}new/", form_data()).status_code == 403
    assert not Decision.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, secretary):
    decision = a_decision(secretary)
    for url in (BASE, f"{BASE}{decision.pk}/", f"{BASE}new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_unknown_records_are_404(secretary_client):
    assert secretary_client.get(f"{BASE}999999/").status_code == 404
    assert secretary_client.get(f"{BASE}documents/999999/download/").status_code == 404
    assert secretary_client.post(f"{BASE}999999/transition/publish/").status_code == 404


# --- transitions --------------------------------------------------------------------------------


def test_secretary_publishes_then_revokes_only_with_a_reason(secretary_client, secretary):
    decision = a_decision(secretary)
    detail = f"{BASE}{decision.pk}/"
    html = secretary_client.get(detail).content.decode()
    assert f'action="{detail}transition/publish/"' in html and f'action="{detail}transition/revoke/"' in html
    assert 'for="id_revoke-reason"' in html and 'id="id_publish-reason"' not in html

    response = secretary_client.post(f"{detail}transition/publish/")
    assert response.status_code == 302 and response["Location"] == detail
    decision.refresh_from_db()
    assert decision.status == Status.PUBLISHED and decision.published_at is not None

    page = secretary_client.post(f"{detail}transition/revoke/", {"revoke-reason": "  "}, follow=True)
    decision.refresh_from_db()
    assert decision.status == Status.PUBLISHED and decision.revoked_at is None
    assert "Give a reason" in page.content.decode()
    assert not AuditEvent.objects.filter(action="decisions.decision.revoke").exists()

    secretary_client.post(f"{detail}transition/revoke/", {"revoke-reason": "Entered twice by mistake"})
    decision.refresh_from_db()
    assert decision.status == Status.REVOKED and decision.revoked_at is not None
    event = AuditEvent.objects.get(action="decisions.decision.revoke")
    assert event.reason == "Entered twice by mistake" and event.actor == secretary

    html = secretary_client.get(detail).content.decode()
    assert "Entered twice by mistake" in html  # in the history
    assert "transition/" not in html  # nothing left to do with a revoked record
    assert f'action="{detail}documents/"' not in html  # and it takes no new documents
    # History is newest first.
    assert html.index("decisions.decision.revoke") < html.index("decisions.decision.publish")
    assert html.index("decisions.decision.publish") < html.index("decisions.decision.recorded")


def test_an_illegal_transition_is_explained_on_the_detail_page(secretary_client, secretary):
    decision = a_decision(secretary)
    revoke_decision(decision, by=secretary, reason="entered in error")
    page = secretary_client.post(f"{BASE}{decision.pk}/transition/publish/", follow=True)
    assert page.redirect_chain == [(f"{BASE}{decision.pk}/", 302)]
    html = page.content.decode()
    assert "This decision is “Revoked”; “Publish” is possible only when it is “Recorded”." in html
    decision.refresh_from_db()
    assert decision.status == Status.REVOKED and decision.published_at is None


def test_unknown_transitions_and_gets_are_refused(secretary_client, secretary):
    decision = a_decision(secretary)
    assert secretary_client.post(f"{BASE}{decision.pk}/transition/approve/").status_code == 404
    assert secretary_client.get(f"{BASE}{decision.pk}/transition/publish/").status_code == 405
    decision.refresh_from_db()
    assert decision.status == Status.RECORDED


def test_a_trustee_reads_decisions_but_is_offered_no_action(client, secretary):
    decision = record_decision(**fields(), by=secretary, documents=[upload()])
    login_with_2fa(client, user_with_role("trustee"))
    listing = client.get(BASE)
    assert listing.status_code == 200 and f'href="{BASE}{decision.pk}/"' in listing.content.decode()
    assert f'href="{BASE}new/"' not in listing.content.decode()
    html = client.get(f"{BASE}{decision.pk}/").content.decode()
    assert "decision-12.pdf" in html
    assert "transition/" not in html and f'action="{BASE}{decision.pk}/documents/"' not in html

    page = client.post(f"{BASE}{decision.pk}/transition/publish/", follow=True)
    assert "Your role does not allow this action." in page.content.decode()
    decision.refresh_from_db()
    assert decision.status == Status.RECORDED
    response = client.post(f"{BASE}{decision.pk}/documents/", {"file": upload(b"other")})
    assert response.status_code == 403 and decision.documents.count() == 1


# --- documents ----------------------------------------------------------------------------------


def test_a_document_is_attached_and_a_duplicate_is_refused_beside_the_field(secretary_client, secretary):
    decision = a_decision(secretary)
    url = f"{BASE}{decision.pk}/documents/"
    assert f'action="{url}"' in secretary_client.get(f"{BASE}{decision.pk}/").content.decode()

    response = secretary_client.post(url, {"file": upload()})
    assert response.status_code == 302 and response["Location"] == f"{BASE}{decision.pk}/"
    document = decision.documents.get()
    assert document.sha256 == hashlib.sha256(PDF).hexdigest() and document.uploaded_by == secretary

    again = secretary_client.post(url, {"file": upload(name="copy.pdf")})
    assert again.status_code == 200
    assert "already attached to the decision as decision-12.pdf" in " ".join(
        again.context["document_form"].errors["file"]
    )
    assert 'id="id_file_error" role="alert"' in again.content.decode()
    assert decision.documents.count() == 1


def test_a_revoked_record_takes_no_document_and_says_why(secretary_client, secretary):
    decision = a_decision(secretary)
    revoke_decision(decision, by=secretary, reason="entered in error")
    response = secretary_client.post(f"{BASE}{decision.pk}/documents/", {"file": upload()})
    assert response.status_code == 200
    assert "revoked; it takes no new documents" in response.content.decode()
    assert not DecisionDocument.objects.exists()


def test_download_returns_the_bytes_and_is_audited(secretary_client, secretary):
    decision = record_decision(**fields(), by=secretary, documents=[upload()])
    document = decision.documents.get()
    response = secretary_client.get(f"{BASE}documents/{document.pk}/download/", REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="decision-12.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.get(action="decisions.document.downloaded")
    assert event.actor == secretary and event.ip == "10.2.2.2"
    assert event.object_type == "decisions.decision" and event.object_id == str(decision.pk)
    assert event.changes["document"][1]["sha256"] == document.sha256


# --- the list -----------------------------------------------------------------------------------


def test_the_list_filters_and_is_newest_first(secretary_client, secretary):
    old = a_decision(secretary, number="1", decided_on=date(2024, 3, 1), summary="Budget for 2024")
    new = a_decision(
        secretary, number="2", decided_on=date(2025, 2, 1), body="board_of_trustees", outcome="rejected"
    )
    publish_decision(new, by=secretary)

    def shown(**params):
        page = secretary_client.get(BASE, params).context["page"]
        return [d.pk for d in page]

    assert shown() == [new.pk, old.pk]
    assert shown(body="board_of_trustees") == [new.pk]
    assert shown(outcome="approved") == [old.pk]
    assert shown(status="published") == [new.pk]
    assert shown(year="2024") == [old.pk]
    assert shown(text="budget") == [old.pk]
    assert shown(text="Selection commission of the") == [new.pk, old.pk]
    html = secretary_client.get(BASE, {"year": "1999"}).content.decode()
    assert 'role="alert"' in html  # a year without decisions is not a choice


def test_the_list_is_paginated_by_25(secretary_client, secretary):
    for n in range(27):
        a_decision(secretary, number=str(n + 1))
    first = secretary_client.get(BASE)
    assert len(first.context["page"].object_list) == 25
    assert "page=2" in first.content.decode()
    assert len(secretary_client.get(BASE, {"page": "2"}).context["page"].object_list) == 2


def test_queries_do_not_grow_with_the_list(secretary_client, secretary):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert secretary_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        a_decision(secretary, number=f"A-{n}", documents=[upload(f"a{n}".encode())])
    few = count(BASE)
    for n in range(17):
        a_decision(secretary, number=f"B-{n}", documents=[upload(f"b{n}".encode())])
    assert count(BASE) == few


def test_queries_do_not_grow_with_the_documents_and_history(secretary_client, secretary):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert secretary_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = a_decision(secretary, number="1", documents=[upload(b"one")])
    few = count(f"{BASE}{first.pk}/")
    second = a_decision(secretary, number="2", documents=[upload(f"doc {n}".encode()) for n in range(6)])
    for n in range(3):
        a_decision(secretary, number=f"2-{n}", decided_on=date(2025, 4, 3), corrects=second)
    publish_decision(second, by=secretary)
    assert count(f"{BASE}{second.pk}/") == few
