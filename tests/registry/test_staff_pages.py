"""The register's staff pages: the queue, one application and its actions, the commission's batch
decision, document downloads, a register entry with the membership actions, failed compliance."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.models import Decision
from innocluster.core.decisions.services import record_decision
from innocluster.core.identifiers import mask_iin
from innocluster.parties.models import Organisation
from innocluster.parties.services.register import create_individual
from innocluster.registry.models import (
    Application,
    ComplianceReport,
    DocumentKind,
    Participant,
    ParticipantCategory,
    RevisionComment,
    StatusChange,
)
from innocluster.registry.services import applications, moderation
from innocluster.registry.services.register import register_participant
from innocluster.registry.workflow import APPLICATION_WORKFLOW
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.decisions import decision_fields
from tests.factories.registry import (
    TINY_PDF,
    approved_application,
    commission_decision,
    draft_application,
    organisation_fields,
    store_document,
    valid_iin,
)

pytestmark = pytest.mark.django_db

BASE = "/staff/registry/"
# Submitted long before "today": every deadline counted from here has passed.
LONG_AGO = date(2025, 10, 1)


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("applicant", "registrar", "commission")


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


def submitted(applicant, on: date = LONG_AGO) -> Application:
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=on)
    application.refresh_from_db()
    return application


def with_commission(people, applicant=None) -> Application:
    application = submitted(applicant or people["applicant"])
    moderation.accept(application, by=people["registrar"], on=LONG_AGO)
    application.refresh_from_db()
    return application


def quick_application(applicant, status=Application.Status.MODERATION, **fields) -> Application:
    """A row for list tests, without the services (and their files and events)."""
    organisation = Organisation.objects.create(**organisation_fields())
    return Application.objects.create(
        applicant=applicant,
        organisation=organisation,
        category=ParticipantCategory.objects.get(code="company"),
        status=status,
        **fields,
    )


def row_of(html: str, pk: int) -> str:
    """The queue's table row of application ``pk``."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S):
        if f'href="{BASE}applications/{pk}/"' in row:
            return row
    raise AssertionError(f"no row for application {pk}")


def decision_post(**overrides) -> dict:
    data = commission_decision(None)
    values = {
        "decide-outcome": "approve",
        "decide-number": data["number"],
        "decide-decided_on": "2026-11-20",
        "decide-basis": data["basis"],
        "decide-meeting_reference": data["meeting_reference"],
        "decide-reason": "",
    }
    values.update(overrides)
    return values


def return_post(pairs, reason="") -> dict:
    data = {
        "return_for_revision-reason": reason,
        "return_for_revision-items-TOTAL_FORMS": "4",
        "return_for_revision-items-INITIAL_FORMS": "0",
        "return_for_revision-items-MIN_NUM_FORMS": "0",
        "return_for_revision-items-MAX_NUM_FORMS": "30",
    }
    for i, (item, text) in enumerate(pairs):
        data[f"return_for_revision-items-{i}-item"] = item
        data[f"return_for_revision-items-{i}-text"] = text
    return data


# --- the queue ------------------------------------------------------------------------------------


def test_the_queue_marks_overdue_rows_in_text_not_only_colour(client, people):
    late = submitted(people["applicant"])
    on_time = quick_application(
        people["applicant"], moderation_due=date.today() + timedelta(days=30), submitted_on=date.today()
    )
    response = signed_in(client, people["registrar"]).get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    late_row, on_time_row = row_of(html, late.pk), row_of(html, on_time.pk)
    assert 'class="overdue"' in late_row and "overdue" in re.sub(r"<[^>]+>", " ", late_row)
    assert "overdue" not in on_time_row
    # The nearest deadline comes first.
    assert html.index(late_row) < html.index(on_time_row)


def test_the_queue_filters_by_stage_assignee_overdue_and_name(client, people):
    registrar = people["registrar"]
    late = quick_application(people["applicant"], moderation_due=LONG_AGO)
    mine = quick_application(
        people["applicant"], moderation_due=date.today() + timedelta(days=9), assignee=registrar
    )
    deciding = quick_application(
        people["applicant"], Application.Status.COMMISSION, commission_due=date.today() + timedelta(days=5)
    )
    draft = quick_application(people["applicant"], Application.Status.DRAFT)
    client = signed_in(client, registrar)

    def listed(**query) -> set[int]:
        response = client.get(BASE, query)
        assert response.status_code == 200
        return {int(n) for n in re.findall(rf'href="{BASE}applications/(\d+)/"', response.content.decode())}

    assert listed() == {late.pk, mine.pk, deciding.pk}  # drafts are the applicants' own
    assert draft.pk not in listed(stage="draft")  # not a stage staff may ask for: ignored, reported
    assert listed(stage="commission") == {deciding.pk}
    assert listed(assignee="me") == {mine.pk}
    assert listed(assignee="nobody") == {late.pk, deciding.pk}
    assert listed(overdue="on") == {late.pk}
    assert listed(q=mine.organisation.bin) == {mine.pk}
    assert listed(q=deciding.organisation.name_en.split()[1]) == {deciding.pk}
    assert listed(q="no such name") == set()
    assert listed(stage="no-such-stage") == {late.pk, mine.pk, deciding.pk}  # ignored, reported


def test_the_queue_reads_in_a_fixed_number_of_queries(client, people):
    client = signed_in(client, people["registrar"])
    client.get(BASE)  # warm the session, the roles and the content types

    def queries(n: int) -> int:
        Application.objects.all().delete()
        for i in range(n):
            quick_application(
                people["applicant"],
                Application.Status.COMMISSION if i % 2 else Application.Status.MODERATION,
                moderation_due=LONG_AGO + timedelta(days=i),
                assignee=people["registrar"] if i % 3 else None,
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(BASE)
        assert response.status_code == 200
        assert response.content.decode().count("<tr") == min(n, 25) + 1
        return len(captured)

    assert queries(3) == queries(30)


def test_drafts_are_not_in_the_queue_at_all(client, people):
    """Nothing is sent to the Fund until the applicant submits: no draft tab, count or row."""
    quick_application(people["applicant"], Application.Status.DRAFT)
    deciding = quick_application(people["applicant"], Application.Status.COMMISSION)
    client = signed_in(client, people["registrar"])
    response = client.get(BASE)
    assert "draft" not in {tab["stage"] for tab in response.context["tabs"]}
    assert response.context["tabs"][0]["count"] == 1
    html = response.content.decode()
    assert "stage=draft" not in html and 'value="draft"' not in html
    # Asked for by name, the stage is reported as not a choice and ignored.
    response = client.get(BASE, {"stage": "draft"})
    assert response.status_code == 200
    assert response.context["form"].errors["stage"]
    assert [a.pk for a in response.context["page"]] == [deciding.pk]


# --- who may see them -----------------------------------------------------------------------------


def test_a_participant_representative_is_refused_every_staff_page(client, people):
    application = with_commission(people)
    document = application.documents.first()
    Participant.objects.create(
        number="2026-09999",
        organisation=Organisation.objects.create(**organisation_fields()),
        category=application.category,
        registered_on=date(2026, 1, 10),
        status_since=date(2026, 1, 10),
        display_name="X",
    )
    client = signed_in(client, people["applicant"])
    pages = [
        BASE,
        f"{BASE}applications/{application.pk}/",
        f"{BASE}applications/{application.pk}/agreement.pdf",
        f"{BASE}commission/batch/",
        f"{BASE}documents/{document.pk}/",
        f"{BASE}participants/2026-09999/",
        f"{BASE}participants/2026-09999/certificate.pdf",
        f"{BASE}compliance/",
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    posts = [
        f"{BASE}applications/{application.pk}/{action}/"
        for action in ("accept", "return_for_revision", "decide", "issue_certificate", "assign")
    ] + [f"{BASE}participants/2026-09999/{a}/" for a in ("suspend", "reinstate", "exclude")]
    posts.append(f"{BASE}commission/batch/")
    for url in posts:
        assert client.post(url, {}).status_code == 403, url
    application.refresh_from_db()
    assert application.status == "commission"


def test_a_commission_member_cannot_moderate(client, people):
    application = submitted(people["applicant"])
    response = signed_in(client, people["commission"]).post(f"{BASE}applications/{application.pk}/accept/")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "moderation"


def test_unknown_ids_and_actions_are_404(client, people):
    application = submitted(people["applicant"])
    client = signed_in(client, people["registrar"])
    assert client.get(f"{BASE}applications/999999/").status_code == 404
    assert client.post(f"{BASE}applications/999999/accept/").status_code == 404
    assert client.post(f"{BASE}applications/{application.pk}/fly/").status_code == 404
    assert client.get(f"{BASE}participants/1999-00001/").status_code == 404
    assert client.get(f"{BASE}applications/{application.pk}/accept/").status_code == 405


def test_a_draft_is_not_found_on_any_staff_page(client, people):
    """A draft is the applicant's until submitted: its page, actions, agreement and documents are
    404 to staff, and the commission's batch does not offer it."""
    draft = draft_application(people["applicant"])
    document = draft.documents.first()
    for who in ("registrar", "commission"):
        client = signed_in(client, people[who])
        for url in (
            f"{BASE}applications/{draft.pk}/",
            f"{BASE}applications/{draft.pk}/agreement.pdf",
            f"{BASE}documents/{document.pk}/",
        ):
            assert client.get(url).status_code == 404, (who, url)
        for action in ("accept", "return_for_revision", "decide", "issue_certificate", "assign"):
            response = client.post(f"{BASE}applications/{draft.pk}/{action}/", {})
            assert response.status_code == 404, (who, action)
    batch = signed_in(client, people["commission"]).get(f"{BASE}commission/batch/")
    assert draft.pk not in {a.pk for a in batch.context["candidates"]}
    assert not AuditEvent.objects.filter(action="registry.document.downloaded").exists()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.assignee is None
    # Once submitted, staff see it.
    applications.submit(draft, by=people["applicant"])
    assert signed_in(client, people["registrar"]).get(f"{BASE}applications/{draft.pk}/").status_code == 200


# --- one application ------------------------------------------------------------------------------


def test_the_application_page_shows_checks_documents_deadlines_and_history(client, people):
    application = submitted(people["applicant"])
    response = signed_in(client, people["registrar"]).get(f"{BASE}applications/{application.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert application.organisation.bin in html
    assert application.project_summary in html
    # Eligibility with the legal reference of each check.
    checks = response.context["checks"]
    assert checks and all(c.reference for c in checks)
    assert checks[0].reference in html
    # Documents with their full hash and a download link.
    document = application.documents.first()
    assert document.sha256 in html and f"{BASE}documents/{document.pk}/" in html
    # Deadlines past due are marked in words.
    assert "overdue" in html
    # The audit history: the application's own events and its organisation's.
    for action in (
        "registry.application.started",
        "parties.organisation.created",
        "registry.application.submit",
    ):
        assert action in html
    history_actions = [row["event"].action for row in response.context["history"]]
    assert history_actions[0] in ("parties.organisation.created", "registry.application.started")
    assert history_actions[-1] == "registry.application.submit"
    # Each event reads as what happened, with the code beside it for those who search the log.
    labels = [row["label"] for row in response.context["history"]]
    assert labels[-1] == "Submit" and "Organisation entered" in labels
    # The registrar is offered exactly what the workflow allows.
    assert set(response.context["forms"]) == {"accept", "return_for_revision", "assign"}
    assert html.count('name="return_for_revision-items-') >= 3 * 2


def test_the_application_page_reads_in_a_fixed_number_of_queries_however_many_documents(client, people):
    """Who uploaded each current document is joined in, not read one document at a time."""
    client = signed_in(client, people["registrar"])
    kinds = list(DocumentKind.objects.exclude(code="signed_agreement").order_by("code"))[:6]
    uploaders = [user_with_role("participant_rep", f"uploader{i}", enrolled=False) for i in range(6)]

    def queries(n: int) -> int:
        application = quick_application(people["applicant"], submitted_on=LONG_AGO, moderation_due=LONG_AGO)
        for kind, by in zip(kinds[:n], uploaders[:n], strict=True):
            store_document(application, kind.code, by=by)
        client.get(f"{BASE}applications/{application.pk}/")  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{BASE}applications/{application.pk}/")
        assert response.status_code == 200
        assert len(response.context["documents"]["current"]) == n
        html = response.content.decode()
        assert all(by.get_username() in html for by in uploaders[:n])
        return len(captured)

    assert queries(3) == queries(6)


def individual_application(people, status=Application.Status.APPROVED, **fields) -> Application:
    """A person's application, past the commission's decision (the agreement can be printed)."""
    person = create_individual(iin=valid_iin(), last_name="Сейтова", first_name="Айгерим", middle_name="")
    decision = record_decision(
        **decision_fields(number=f"SC-{person.pk}", decided_on=date(2026, 4, 2)), by=people["registrar"]
    )
    return Application.objects.create(
        applicant=people["applicant"],
        individual=person,
        category=ParticipantCategory.objects.get(code="individual"),
        status=status,
        decision=decision,
        submitted_on=LONG_AGO,
        **fields,
    )


def personal_data_reads():
    return AuditEvent.objects.filter(action="registry.personal_data.read").order_by("id")


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed: cannot read the PDF text")
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(result.stdout.split())


def test_the_iin_is_shown_in_full_only_to_readers_of_personal_data_and_each_read_is_audited(client, people):
    application = individual_application(people)
    iin = application.individual.iin
    url = f"{BASE}applications/{application.pk}/"

    html = signed_in(client, people["commission"]).get(url).content.decode()
    assert mask_iin(iin) in html and iin not in html
    assert not personal_data_reads().exists()

    response = signed_in(client, people["registrar"]).get(url, REMOTE_ADDR="10.0.0.7")
    assert iin in response.content.decode()
    (event,) = personal_data_reads()
    assert event.actor == people["registrar"] and event.ip == "10.0.0.7"
    assert (event.object_type, event.object_id) == ("parties.individual", str(application.individual_id))
    assert event.changes == {"fields": ["iin"], "page": "staff application", "application": application.pk}
    assert iin not in str(event.changes) + event.object_repr  # the number itself stays out of the log


def test_the_staff_agreement_masks_the_iin_unless_the_reader_may_see_personal_data(client, people, tmp_path):
    application = individual_application(people)
    iin = application.individual.iin
    url = f"{BASE}applications/{application.pk}/agreement.pdf"

    response = signed_in(client, people["commission"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Сейтова Айгерим" in text
    assert mask_iin(iin) in text and iin not in text and iin[:6] not in text
    assert not personal_data_reads().exists()

    response = signed_in(client, people["registrar"]).get(url, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 200
    assert iin in pdf_text(response.content, tmp_path)
    (event,) = personal_data_reads()
    assert event.actor == people["registrar"] and event.ip == "10.0.0.8"
    assert event.object_id == str(application.individual_id)
    assert event.changes == {"fields": ["iin"], "page": "staff agreement", "application": application.pk}


def test_an_organisations_pages_record_no_personal_data_read(client, people):
    application = approved_application(people["applicant"], people["registrar"], people["commission"])
    client = signed_in(client, people["registrar"])
    assert client.get(f"{BASE}applications/{application.pk}/").status_code == 200
    assert client.get(f"{BASE}applications/{application.pk}/agreement.pdf").status_code == 200
    assert not personal_data_reads().exists()


def test_the_staff_participant_page_audits_a_full_iin(client, people):
    person = create_individual(iin=valid_iin(), last_name="Омаров", first_name="Нурлан", middle_name="")
    entry = register_participant(
        individual=person,
        category=ParticipantCategory.objects.get(code="individual"),
        registered_on=date(2026, 4, 11),
    )
    url = f"{BASE}participants/{entry.number}/"

    html = signed_in(client, user_with_role("finance_officer", "fin")).get(url).content.decode()
    assert mask_iin(person.iin) in html and person.iin not in html
    assert not personal_data_reads().exists()

    html = signed_in(client, people["registrar"]).get(url, REMOTE_ADDR="10.0.0.9").content.decode()
    assert person.iin in html
    (event,) = personal_data_reads()
    assert event.actor == people["registrar"] and event.ip == "10.0.0.9"
    assert event.object_id == str(person.pk)
    assert event.changes == {"fields": ["iin"], "page": "staff participant", "participant": entry.number}


def test_the_registrar_returns_with_itemised_comments(client, people):
    application = submitted(people["applicant"])
    response = signed_in(client, people["registrar"]).post(
        f"{BASE}applications/{application.pk}/return_for_revision/",
        return_post(
            [("Business plan", "Add the financial model."), ("Charter", "The charter is not signed.")]
        ),
    )
    assert response.status_code == 303
    assert response["Location"] == f"{BASE}applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == "returned"
    comments = list(RevisionComment.objects.filter(application=application).order_by("id"))
    assert [(c.round, c.item, c.text) for c in comments] == [
        (1, "Business plan", "Add the financial model."),
        (1, "Charter", "The charter is not signed."),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Add the financial model." in page and "Round 1" in page
    assert "returned to the applicant" in page  # the success message


def test_a_return_without_any_comment_is_refused_beside_the_form(client, people):
    application = submitted(people["applicant"])
    response = signed_in(client, people["registrar"]).post(
        f"{BASE}applications/{application.pk}/return_for_revision/", return_post([("Charter", "")])
    )
    assert response.status_code == 400
    form = response.context["forms"]["return_for_revision"]
    assert form.items.forms[0].errors["text"]
    response = client.post(f"{BASE}applications/{application.pk}/return_for_revision/", return_post([]))
    assert response.status_code == 400
    assert "Write at least one comment" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "moderation"
    assert not RevisionComment.objects.exists()


def test_the_registrar_accepts(client, people):
    application = submitted(people["applicant"])
    response = signed_in(client, people["registrar"]).post(f"{BASE}applications/{application.pk}/accept/")
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "commission" and application.commission_due is not None
    assert AuditEvent.objects.filter(
        action="registry.application.accept", object_id=str(application.pk)
    ).exists()


def test_a_stale_page_action_is_refused_with_a_message(client, people):
    application = with_commission(people)
    response = signed_in(client, people["registrar"]).post(
        f"{BASE}applications/{application.pk}/accept/", HTTP_REFERER=f"{BASE}applications/{application.pk}/"
    )
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "is possible only when" in page


def test_the_commission_approves_one_application(client, people):
    application = with_commission(people)
    client = signed_in(client, people["commission"])
    page = client.get(f"{BASE}applications/{application.pk}/")
    assert set(page.context["forms"]) == {"decide"}
    response = client.post(f"{BASE}applications/{application.pk}/decide/", decision_post())
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "approved"
    decision = Decision.objects.get()
    assert application.decision == decision and decision.meeting_reference == "Minutes No. 4"
    page = client.get(f"{BASE}applications/{application.pk}/").content.decode()
    assert f"/staff/decisions/{decision.pk}/" in page


def test_a_rejection_without_reasons_is_refused_and_nothing_is_stored(client, people):
    application = with_commission(people)
    response = signed_in(client, people["commission"]).post(
        f"{BASE}applications/{application.pk}/decide/", decision_post(**{"decide-outcome": "reject"})
    )
    assert response.status_code == 400
    form = response.context["forms"]["decide"]
    assert form.errors["reason"] == ["Give the reasons for a rejection."]
    assert 'id="id_decide-reason_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == "commission" and application.decision is None
    assert not Decision.objects.exists()


def test_a_decision_with_missing_fields_is_refused(client, people):
    application = with_commission(people)
    response = signed_in(client, people["commission"]).post(
        f"{BASE}applications/{application.pk}/decide/", decision_post(**{"decide-number": ""})
    )
    assert response.status_code == 400
    assert "number" in response.context["forms"]["decide"].errors
    application.refresh_from_db()
    assert application.status == "commission"


def test_the_commission_decides_two_applications_under_one_decision(client, people):
    first = with_commission(people)
    other = user_with_role("participant_rep", "beta", enrolled=False)
    second = with_commission(people, applicant=other)
    client = signed_in(client, people["commission"])
    page = client.get(f"{BASE}commission/batch/")
    assert page.status_code == 200
    assert {a.pk for a in page.context["candidates"]} == {first.pk, second.pk}
    data = {k.removeprefix("decide-"): v for k, v in decision_post().items()}
    data["applications"] = [first.pk, second.pk]
    response = client.post(f"{BASE}commission/batch/", data)
    assert response.status_code == 303
    decision = Decision.objects.get()
    for application in (first, second):
        application.refresh_from_db()
        assert (application.status, application.decision) == ("approved", decision)
    assert str(first.pk) in decision.summary and str(second.pk) in decision.summary


def test_a_batch_without_applications_or_reasons_is_refused(client, people):
    application = with_commission(people)
    client = signed_in(client, people["commission"])
    data = {k.removeprefix("decide-"): v for k, v in decision_post().items()}
    response = client.post(f"{BASE}commission/batch/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["applications"]
    data.update(outcome="reject", applications=[application.pk])
    response = client.post(f"{BASE}commission/batch/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == "commission"


def test_the_batch_page_is_for_the_commission(client, people):
    assert signed_in(client, people["registrar"]).get(f"{BASE}commission/batch/").status_code == 403


def test_the_registrar_issues_the_certificate(client, people):
    application = approved_application(people["applicant"], people["registrar"], people["commission"])
    applications.sign_agreement(
        application,
        by=people["applicant"],
        uploaded_file=SimpleUploadedFile("agreement.pdf", TINY_PDF, content_type="application/pdf"),
    )
    client = signed_in(client, people["registrar"])
    assert "issue_certificate" in client.get(f"{BASE}applications/{application.pk}/").context["forms"]
    response = client.post(f"{BASE}applications/{application.pk}/issue_certificate/")
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "registered" and application.participant is not None
    page = client.get(response["Location"]).content.decode()
    assert application.participant.number in page
    assert f"{BASE}participants/{application.participant.number}/" in page


def test_the_registrar_assigns_and_releases(client, people):
    application = submitted(people["applicant"])
    client = signed_in(client, people["registrar"])
    url = f"{BASE}applications/{application.pk}/assign/"
    assert client.post(url, {"assign-assignee": people["commission"].pk}).status_code == 303
    application.refresh_from_db()
    assert application.assignee == people["commission"]
    assert client.post(url, {"assign-assignee": people["applicant"].pk}).status_code == 400
    assert client.post(url, {"assign-assignee": ""}).status_code == 303
    application.refresh_from_db()
    assert application.assignee is None


# --- documents ------------------------------------------------------------------------------------


def test_the_registrar_downloads_a_document(client, people):
    application = submitted(people["applicant"])
    document = application.documents.first()
    client = signed_in(client, people["registrar"])
    response = client.get(f"{BASE}documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert document.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == TINY_PDF
    assert AuditEvent.objects.filter(
        action="registry.document.downloaded", actor=people["registrar"]
    ).exists()
    assert client.get(f"{BASE}documents/999999/").status_code == 404


# --- register entries -----------------------------------------------------------------------------


@pytest.fixture
def entry(people):
    application = approved_application(people["applicant"], people["registrar"], people["commission"])
    applications.sign_agreement(
        application,
        by=people["applicant"],
        uploaded_file=SimpleUploadedFile("agreement.pdf", TINY_PDF, content_type="application/pdf"),
    )
    moderation.issue_certificate(application, by=people["registrar"])
    application.refresh_from_db()
    return application.participant


def test_the_registrar_suspends_reinstates_and_excludes(client, people, entry):
    client = signed_in(client, people["registrar"])
    url = f"{BASE}participants/{entry.number}/"
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["forms"]) == {"suspend", "exclude"}
    # Grounds are required: refused beside the field, nothing changes.
    response = client.post(f"{url}suspend/", {"suspend-grounds": ""})
    assert response.status_code == 400 and response.context["forms"]["suspend"].errors["grounds"]
    entry.refresh_from_db()
    assert entry.status == "registered"

    response = client.post(f"{url}suspend/", {"suspend-grounds": "No annual report for 2025."})
    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.status == "suspended"
    due = StatusChange.objects.filter(participant=entry).latest("id").response_due
    assert due is not None
    page = client.get(url)
    assert page.context["response_due"] == due
    assert "may answer the grounds until" in page.content.decode()

    response = client.post(f"{url}reinstate/", {"reinstate-grounds": "The report is filed."})
    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.status == "registered"

    response = client.post(
        f"{url}exclude/", {"exclude-grounds": "Repeated breaches.", "exclude-decision_number": "nope"}
    )
    assert response.status_code == 400
    assert response.context["forms"]["exclude"].errors["decision_number"]
    # A decision of the selection commission: the authority matrix names the Managing Committee.
    record_decision(**decision_fields(number="SC-7", decided_on=date(2026, 11, 2)), by=people["registrar"])
    response = client.post(
        f"{url}exclude/", {"exclude-grounds": "Repeated breaches.", "exclude-decision_number": "SC-7"}
    )
    assert response.status_code == 400
    assert "Managing Committee" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "registered"
    decision = record_decision(
        **decision_fields(
            number="MC-7",
            decided_on=date(2026, 11, 2),
            body="managing_committee",
            body_name="Managing Committee",
        ),
        by=people["registrar"],
    )
    response = client.post(
        f"{url}exclude/", {"exclude-grounds": "Repeated breaches.", "exclude-decision_number": "MC-7"}
    )
    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.status == "excluded"
    assert StatusChange.objects.filter(participant=entry).latest("id").decision == decision


def test_membership_actions_need_the_registrar(client, people, entry):
    client = signed_in(client, people["commission"])
    assert (
        client.post(f"{BASE}participants/{entry.number}/suspend/", {"suspend-grounds": "x"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.status == "registered"


def test_the_compliance_page_lists_failed_reports_with_references(client, people, entry):
    ComplianceReport.objects.create(
        participant=entry,
        year=2025,
        revenue=1000,
        priority_revenue=100,
        staff_count=3,
        rd_spend=0,
        exports=0,
        result=ComplianceReport.Result.FAILED,
        checks=[
            {
                "key": "registry.compliance.min_priority_income_share",
                "passed": False,
                "message": "Priority income share 10% is below 90%.",
                "reference": "Law 207-V, art. 9",
                "value": "0.10",
            },
            {"key": "other", "passed": True, "message": "Passed check", "reference": "Rules, item 3"},
        ],
        submitted_by=people["applicant"],
    )
    client = signed_in(client, people["registrar"])
    html = client.get(f"{BASE}compliance/").content.decode()
    assert "Priority income share 10% is below 90%." in html and "Law 207-V, art. 9" in html
    assert "Passed check" not in html
    assert entry.number in html
    participant_page = client.get(f"{BASE}participants/{entry.number}/").content.decode()
    assert "Law 207-V, art. 9" in participant_page
    assert signed_in(client, people["commission"]).get(f"{BASE}compliance/").status_code == 403


def test_workflow_buttons_follow_the_workflow(people):
    """The page offers forms by transition name: every transition staff act on has one."""
    staff = {t.name for t in APPLICATION_WORKFLOW.transitions if t.action != "registry.application.submit"}
    assert staff == {"return_for_revision", "accept", "approve", "reject", "issue_certificate"}
