"""The decision record: validated, audited, never edited; documents hashed; admin through the service."""

import hashlib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innocluster.core.access.permissions import can
from innocluster.core.access.roles import Role
from innocluster.core.access.services import grant_role
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import almaty_date
from innocluster.core.decisions import selectors
from innocluster.core.decisions.models import Decision, DecisionDocument, ImmutableRecord, Status
from innocluster.core.decisions.services import (
    attach_document,
    record_decision,
    revoke_decision,
)
from tests.factories.decisions import decision_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("secretary", "secretary@example.com", "pw")
    grant_role(user=user, role="corporate_secretary", reason="test")
    return user


fields = decision_fields


def pdf(content: bytes = b"%PDF-1.4 signed decision", name: str = "decision-12.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- recording ----------------------------------------------------------------------------------


def test_a_decision_is_recorded_and_audited(officer):
    decision = record_decision(**fields(meeting_reference="Meeting 4, item 2"), by=officer, ip="10.1.1.1")

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.status == Status.RECORDED
    assert stored.recorded_by == officer and stored.recorded_at is not None
    assert stored.basis.startswith("Rules of participant registration")
    assert str(stored) == "Selection commission, decision No. 12 of 2025-04-02"
    event = AuditEvent.objects.get(action="decisions.decision.recorded")
    assert event.actor == officer and event.object_id == str(decision.pk) and event.ip == "10.1.1.1"
    assert event.changes["number"] == [None, "12"]
    assert event.changes["decided_on"] == [None, "2025-04-02"]
    assert event.changes["meeting_reference"] == [None, "Meeting 4, item 2"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"basis": "   "}, "basis", "State the legal basis"),
        ({"number": ""}, "number", "Enter the decision number"),
        ({"body": "parliament"}, "body", "Choose the body"),
        ({"outcome": "maybe"}, "outcome", "Choose the outcome"),
        ({"decided_on": None}, "decided_on", "Enter the date"),
        ({"decided_on": datetime(2025, 4, 2, 10, tzinfo=UTC)}, "decided_on", "Enter the date"),
        ({"number": "x" * 51}, "number", "at most 50 characters"),
    ],
)
def test_a_refused_decision_names_the_field_and_stores_nothing(officer, overrides, field, message):
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(**overrides), by=officer)
    assert list(exc.value.message_dict) == [field]
    assert message in exc.value.message_dict[field][0]
    assert Decision.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_every_problem_is_reported_at_once(officer):
    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(number=" ", basis="", outcome=""), by=officer)
    assert set(exc.value.message_dict) == {"number", "basis", "outcome"}


def test_a_decision_cannot_be_dated_in_the_future_by_the_almaty_calendar(officer, monkeypatch):
    # 20:00 UTC on 1 January is already 2 January in Almaty (UTC+5).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 1, 1, 20, 0, tzinfo=UTC))
    assert record_decision(**fields(number="1", decided_on=date(2025, 1, 2)), by=officer).pk
    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(number="2", decided_on=date(2025, 1, 3)), by=officer)
    assert exc.value.message_dict["decided_on"] == [
        "The decision date 2025-01-03 is in the future; today is 2025-01-02 in Almaty."
    ]


def test_today_is_allowed(officer):
    today = almaty_date(timezone.now())
    assert record_decision(**fields(decided_on=today), by=officer).decided_on == today
    with pytest.raises(ValidationError, match="in the future"):
        record_decision(**fields(number="13", decided_on=today + timedelta(days=1)), by=officer)


def test_a_number_is_unique_per_body_and_date(officer):
    record_decision(**fields(), by=officer)
    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(summary="typed again"), by=officer)
    assert exc.value.message_dict == {
        "number": ["This body already has decision No. 12 of 2025-04-02 on record."]
    }
    # Another body, or the same number on another date (numbering restarts each year), is fine.
    record_decision(**fields(body="expert_commission"), by=officer)
    record_decision(**fields(decided_on=date(2024, 4, 2)), by=officer)
    assert Decision.objects.count() == 3


def test_someone_must_record_it(officer):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError, match="signed-in user"):
        record_decision(**fields(), by=AnonymousUser())


# --- never edited: corrections are new decisions -------------------------------------------------


def test_a_decision_is_never_edited_or_deleted(officer):
    decision = record_decision(**fields(), by=officer)
    decision.summary = "changed afterwards"
    with pytest.raises(ImmutableRecord):
        decision.save()
    with pytest.raises(ImmutableRecord):
        decision.save(update_fields=["summary", "status"])
    with pytest.raises(ImmutableRecord):
        decision.delete()
    assert Decision.objects.get(pk=decision.pk).summary == "Register TechNomad LLP as a participant."


def test_a_correction_is_a_new_decision_pointing_at_the_earlier(officer):
    earlier = record_decision(**fields(), by=officer)
    correction = record_decision(
        **fields(number="15", decided_on=date(2025, 4, 9), summary="Corrects the participant's name."),
        corrects=earlier,
        by=officer,
    )
    assert correction.corrects == earlier
    assert list(earlier.corrections.all()) == [correction]
    assert AuditEvent.objects.get(object_id=str(correction.pk)).changes["corrects_id"] == [None, earlier.pk]


def test_a_correction_cannot_predate_what_it_corrects(officer):
    earlier = record_decision(**fields(), by=officer)
    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(number="3", decided_on=date(2025, 3, 1)), corrects=earlier, by=officer)
    assert list(exc.value.message_dict) == ["decided_on"]


# --- documents -----------------------------------------------------------------------------------


def test_a_document_is_stored_with_its_sha256(officer):
    decision = record_decision(**fields(), by=officer)
    content = b"%PDF-1.4 " + b"x" * 200_000  # several chunks
    document = attach_document(decision, pdf(content), by=officer)

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.original_name == "decision-12.pdf"
    assert document.file.name.startswith(f"decisions/{timezone.now():%Y}/")
    with document.file.open("rb") as fh:
        assert fh.read() == content
    event = AuditEvent.objects.get(action="decisions.document.attached")
    assert event.changes["document"][1] == {
        "name": "decision-12.pdf",
        "sha256": document.sha256,
        "size": len(content),
    }


def test_a_document_named_in_250_cyrillic_letters_is_stored_under_a_generated_name(officer):
    decision = record_decision(**fields(), by=officer)
    name = "Решение " + "Ж" * 242 + ".PDF"  # over 255 bytes: no file system takes it as a name
    document = attach_document(decision, pdf(name=name), by=officer)
    assert document.original_name == name
    assert re.fullmatch(rf"decisions/{timezone.now():%Y}/[0-9a-f]{{32}}\.pdf", document.file.name)
    with document.file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.4 signed decision"


def test_the_same_document_twice_is_refused(officer, settings):
    decision = record_decision(**fields(), by=officer)
    attach_document(decision, pdf(), by=officer)
    with pytest.raises(ValidationError) as exc:
        attach_document(decision, pdf(name="copy-of-decision.pdf"), by=officer)
    assert exc.value.message_dict == {
        "file": ["This file is already attached to the decision as decision-12.pdf."]
    }
    assert decision.documents.count() == 1
    assert AuditEvent.objects.filter(action="decisions.document.attached").count() == 1
    stored = list((settings.MEDIA_ROOT / "decisions").rglob("*"))
    assert len([p for p in stored if p.is_file()]) == 1
    # The same file may belong to another decision (e.g. one scan holding two decisions).
    other = record_decision(**fields(number="13"), by=officer)
    attach_document(other, ContentFile(b"%PDF-1.4 signed decision", name="decision-12.pdf"), by=officer)


def test_an_empty_file_is_refused(officer):
    decision = record_decision(**fields(), by=officer)
    with pytest.raises(ValidationError, match="is empty"):
        attach_document(decision, pdf(b""), by=officer)
    assert DecisionDocument.objects.count() == 0


def test_a_revoked_record_takes_no_documents(officer):
    decision = record_decision(**fields(), by=officer)
    revoke_decision(decision, by=officer, reason="entered in error")
    with pytest.raises(ValidationError, match="revoked"):
        attach_document(decision, pdf(), by=officer)


def test_documents_given_with_the_decision_are_attached_in_the_same_transaction(officer, settings):
    decision = record_decision(**fields(), documents=[pdf(), pdf(b"annex", "annex.pdf")], by=officer)
    assert sorted(decision.documents.values_list("original_name", flat=True)) == [
        "annex.pdf",
        "decision-12.pdf",
    ]

    with pytest.raises(ValidationError) as exc:
        record_decision(**fields(number="14"), documents=[pdf(b"a"), pdf(b"a", "again.pdf")], by=officer)
    assert list(exc.value.message_dict) == ["documents"]
    assert not Decision.objects.filter(number="14").exists()
    files = [p for p in (settings.MEDIA_ROOT / "decisions").rglob("*") if p.is_file()]
    assert len(files) == 2  # the refused decision's first file was removed again


# --- selectors -------------------------------------------------------------------------------------


def test_recent_decisions_are_newest_first(officer):
    for n, day in enumerate([date(2025, 1, 5), date(2025, 3, 1), date(2024, 12, 30)], start=1):
        record_decision(**fields(number=str(n), decided_on=day), by=officer)
    assert [d.number for d in selectors.recent_decisions(2)] == ["2", "1"]
    assert len(selectors.recent_decisions(10)) == 3


def test_get_by_number(officer):
    first = record_decision(**fields(number="7", decided_on=date(2024, 2, 1)), by=officer)
    second = record_decision(**fields(number="7", decided_on=date(2025, 2, 1)), by=officer)
    assert selectors.get_by_number("selection_commission", "8") is None
    assert selectors.get_by_number("expert_commission", "7") is None
    with pytest.raises(Decision.MultipleObjectsReturned):
        selectors.get_by_number("selection_commission", "7")
    assert selectors.get_by_number("selection_commission", "7", year=2024) == first
    assert selectors.get_by_number("selection_commission", " 7 ", decided_on=date(2025, 2, 1)) == second


# --- access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "record", "view"),
    [
        (Role.FUND_ADMIN, True, True),
        (Role.FUND_EXECUTIVE, True, True),
        (Role.CORPORATE_SECRETARY, True, True),
        (Role.REGISTRAR, False, True),
        (Role.FINANCE_OFFICER, False, True),
        (Role.AUDITOR, False, True),
        (Role.TRUSTEE, False, True),
        (Role.COMMITTEE_MEMBER, False, True),
        (Role.COMMISSION_MEMBER, False, False),
        (Role.PARTICIPANT_REP, False, False),
    ],
)
def test_who_may_record_and_read_decisions(django_user_model, role, record, view):
    user = django_user_model.objects.create_user(role, f"{role}@example.com", "pw")
    grant_role(user=user, role=role, reason="test")
    assert can(user, "decisions.record").allowed is record
    assert can(user, "decisions.attach_document").allowed is record
    assert can(user, "decisions.view").allowed is view


# --- the administration site ------------------------------------------------------------------------


def admin_form(**overrides):
    data = {**fields(), "meeting_reference": "", "decided_by": "", "corrects": ""}
    data["decided_on"] = data["decided_on"].isoformat()
    return {**data, **overrides}


def test_admin_adds_a_decision_through_the_service(admin_client, admin_user):
    response = admin_client.post("/admin/decisions/decision/add/", admin_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert decision.recorded_by == admin_user and decision.number == "12"
    assert AuditEvent.objects.filter(action="decisions.decision.recorded", actor=admin_user).count() == 1


def test_admin_shows_refusals_beside_the_fields_and_stores_nothing(admin_client):
    tomorrow = (almaty_date(timezone.now()) + timedelta(days=1)).isoformat()
    response = admin_client.post("/admin/decisions/decision/add/", admin_form(decided_on=tomorrow, basis=""))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "in the future" in errors["decided_on"][0]
    assert set(errors) == {"basis", "decided_on"}
    assert Decision.objects.count() == 0
    assert not AuditEvent.objects.filter(action="decisions.decision.recorded").exists()


def test_admin_refuses_a_duplicate_number_beside_the_number(admin_client, officer):
    record_decision(**fields(), by=officer)
    response = admin_client.post("/admin/decisions/decision/add/", admin_form())
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "number": ["This body already has decision No. 12 of 2025-04-02 on record."]
    }


def test_admin_lists_searches_filters_and_never_edits(admin_client, officer):
    decision = record_decision(**fields(), by=officer)
    record_decision(**fields(number="99", decided_on=date(2024, 5, 5)), by=officer)
    attach_document(decision, pdf(), by=officer)

    listing = admin_client.get("/admin/decisions/decision/", {"q": "99"})
    assert listing.status_code == 200 and list(
        listing.context["cl"].queryset.values_list("number", flat=True)
    ) == ["99"]
    by_year = admin_client.get(
        "/admin/decisions/decision/", {"year": "2025", "body__exact": "selection_commission"}
    )
    assert [d.number for d in by_year.context["cl"].queryset] == ["12"]
    by_outcome = admin_client.get("/admin/decisions/decision/", {"outcome__exact": "rejected"})
    assert by_outcome.context["cl"].queryset.count() == 0

    page = admin_client.get(f"/admin/decisions/decision/{decision.pk}/change/")
    assert page.status_code == 200
    assert hashlib.sha256(b"%PDF-1.4 signed decision").hexdigest() in page.content.decode()
    changed = admin_client.post(
        f"/admin/decisions/decision/{decision.pk}/change/", admin_form(summary="rewritten")
    )
    assert changed.status_code == 403
    assert admin_client.post(f"/admin/decisions/decision/{decision.pk}/delete/").status_code == 403
    assert Decision.objects.get(pk=decision.pk).summary == "Register TechNomad LLP as a participant."
