"""The participant portal: the application form step by step, resuming, submitting and resubmitting,
the agreement and certificate, documents, representatives and the annual report; and who gets 404
(someone else's records) or 403 (no portal role)."""

import hashlib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats

from innocluster.core.audit.models import AuditEvent
from innocluster.parties.models import Organisation, Representative
from innocluster.registry.models import (
    Application,
    ApplicationDocument,
    ComplianceReport,
    ParticipantCategory,
    RevisionComment,
)
from innocluster.registry.services import applications, commission, moderation
from innocluster.registry.services.documents import required_kinds
from tests.factories.accounts import login_with_2fa
from tests.factories.parties import charter, confirm_pending
from tests.factories.registry import (
    TINY_PDF,
    approved_application,
    commission_decision,
    draft_application,
    organisation_fields,
)

pytestmark = pytest.mark.django_db


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("rep", "other", "colleague", "registrar", "commission")


@pytest.fixture
def rep_client(client, people):
    client.force_login(people["rep"])
    return client


def step_url(application, step):
    return reverse("portal:step", args=[application.pk, step])


def pdf_file(name="file.pdf", content=TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def organisation_post(**overrides):
    """What the organisation step's form posts for ``organisation_fields()``."""
    fields = organisation_fields()
    data = {
        **fields,
        "region": fields["region"].pk,
        "activity": fields["activity"].pk,
        "state_share": "0",
        "resident": "on",
        "general_tax_regime": "on",
        "claimed_role": "head",
        "authority_document": charter(),
    }
    data.update(overrides)
    return data


def project_post(summary: str, *, measures=(), budget=(), activities=(), **fields) -> dict:
    """The project step as a browser posts it: the fields, each formset with its management form
    (the rows given, then one empty row as the page shows), the checked activities (by pk)."""
    from innocluster.parties.models import Activity

    data = {"project_summary": summary, "project_title": "", "project_starts_on": "", "project_ends_on": ""}
    data.update(fields)
    for prefix, rows in (("measures", measures), ("budget", budget)):
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows) + 1), f"{prefix}-INITIAL_FORMS": "0"})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    data["priority_activities"] = [str(a.pk) for a in Activity.objects.filter(oked__in=activities)]
    return data


def wrong_check_digit(bin_: str) -> str:
    return bin_[:-1] + str((int(bin_[-1]) + 1) % 10)


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def submit_events(application) -> int:
    return AuditEvent.objects.filter(
        action__in=["registry.application.submit", "registry.application.resubmit"],
        object_id=str(application.pk),
    ).count()


# --- the form, step by step ----------------------------------------------------------------------


def test_the_form_from_start_to_submission(rep_client, people):
    response = rep_client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert reverse("portal:apply") in text(response)

    response = rep_client.get(reverse("portal:apply"))
    page = text(response)
    assert "Company" in page and "Science organisation" in page
    company = ParticipantCategory.objects.get(code="company")
    response = rep_client.post(reverse("portal:apply"), {"category": company.pk})
    application = Application.objects.get(applicant=people["rep"])
    assert response.status_code == 303
    assert response["Location"] == reverse("portal:application", args=[application.pk])
    assert (application.status, application.step, application.category) == ("draft", 1, company)

    # A draft resumes at its first incomplete step: who is applying.
    response = rep_client.get(reverse("portal:application", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == step_url(application, "member")
    response = rep_client.get(step_url(application, "member"))
    page = text(response)
    assert 'aria-current="step"' in page
    assert re.search(r'<a href="[^"]*/step/member/" aria-current="step">', page)

    # A BIN with a wrong check digit is refused beside the field, and nothing is created.
    data = organisation_post(state_share="12.5")
    response = rep_client.post(
        step_url(application, "member"), {**data, "bin": wrong_check_digit(data["bin"])}
    )
    assert response.status_code == 200
    page = text(response)
    assert '<p class="error" id="id_bin_error" role="alert">The check digit is wrong' in page
    bin_input = re.search(r'<input[^>]*name="bin"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in bin_input
    assert 'aria-describedby="id_bin_helptext id_bin_error"' in bin_input
    assert not Organisation.objects.exists()

    data["authority_document"] = charter()  # a browser sends the file again
    response = rep_client.post(step_url(application, "member"), data)
    assert response.status_code == 303
    assert response["Location"] == step_url(application, "project")
    organisation = Organisation.objects.get(bin=data["bin"])
    assert organisation.state_share == Decimal("0.1250")
    assert organisation.resident and organisation.general_tax_regime and not organisation.subsoil_user
    claim = organisation.authority_claims.get()
    assert (claim.user, claim.role, claim.status) == (people["rep"], "head", "pending")
    assert not Representative.objects.filter(organisation=organisation).exists()

    response = rep_client.post(step_url(application, "project"), {"project_summary": "Too short."})
    assert response.status_code == 200
    assert "at least 50 characters" in text(response)
    summary = "A platform that reads Kazakh-language requests to public services and routes them."
    measure = {
        "title": "Corpus of requests",
        "starts_on": "2026-02-01",
        "ends_on": "2026-12-31",
        "expected_result": "100,000 annotated requests",
    }
    # A measure that runs past the project's end and a negative amount: each refusal names its row.
    response = rep_client.post(
        step_url(application, "project"),
        project_post(
            summary,
            project_starts_on="2026-01-15",
            project_ends_on="2027-06-30",
            measures=[measure, {**measure, "title": "Service in production", "ends_on": "2027-09-30"}],
            budget=[{"item": "Salaries", "year": "2026", "amount": "-5"}],
            activities=["62"],
        ),
    )
    assert response.status_code == 200
    page = text(response)
    assert re.search(
        r'id="id_measures-1-ends_on_error" role="alert">Measure 2: it ends after the project', page
    )
    assert "id_measures-0-ends_on_error" not in page
    assert 'id="id_budget-0-amount_error"' in page
    application.refresh_from_db()
    assert application.project_summary == "" and not application.measures.exists()  # nothing saved

    response = rep_client.post(
        step_url(application, "project"),
        project_post(
            summary,
            project_title="Qazaq NLP",
            project_starts_on="2026-01-15",
            project_ends_on="2027-06-30",
            measures=[measure, {**measure, "title": "Service in production", "ends_on": "2027-06-30"}],
            budget=[
                {"item": "Salaries", "year": "2026", "amount": "1000000.50"},
                {"item": "Salaries", "year": "2027", "amount": "2000000"},
            ],
            activities=["62", "72"],
        ),
    )
    assert response["Location"] == step_url(application, "documents")
    application.refresh_from_db()
    assert [m.title for m in application.measures.all()] == ["Corpus of requests", "Service in production"]
    assert application.budget_total == Decimal("3000000.50")
    assert sorted(application.priority_activities.values_list("oked", flat=True)) == ["62", "72"]
    # The page shows what was saved, rows and activities included.
    page = text(rep_client.get(step_url(application, "project")))
    assert 'value="Service in production"' in page and 'value="1000000.50"' in page

    application.refresh_from_db()
    kinds = required_kinds(application)
    assert [k.code for k in kinds] == ["business_plan", "charter", "state_registration"]
    response = rep_client.get(step_url(application, "documents"))
    page = text(response)
    assert all(f'name="{k.code}"' in page for k in kinds)
    assert 'name="other"' in page  # optional
    assert 'enctype="multipart/form-data"' in page

    # A file that is not what its name says is refused beside its own kind; the good one is kept.
    response = rep_client.post(
        step_url(application, "documents"),
        {"business_plan": pdf_file("plan.pdf"), "charter": pdf_file("charter.pdf", b"just some text\n" * 20)},
    )
    assert response.status_code == 200
    page = text(response)
    assert re.search(r'<p class="error" id="id_charter_error" role="alert">[^<]*charter\.pdf', page)
    assert "id_business_plan_error" not in page
    plan = ApplicationDocument.objects.get(application=application, kind__code="business_plan")
    assert plan.sha256[:12] in page and "version 1" in page

    response = rep_client.post(
        step_url(application, "documents"),
        {"charter": pdf_file("charter.pdf"), "state_registration": pdf_file("registration.pdf")},
    )
    assert response.status_code == 303
    assert response["Location"] == step_url(application, "review")
    assert ApplicationDocument.objects.filter(application=application).count() == 3

    response = rep_client.get(step_url(application, "review"))
    page = text(response)
    from innocluster.core.policy import values as policy

    categories_rule = policy.lookup("registry.participant_categories")  # the regime in force today
    assert categories_rule.reference.split(":")[0] in page  # each eligibility check with its legal reference
    assert "The category “Company” is admitted." in page
    assert "Nothing is missing" in page

    # The claim of authority made with the BIN waits for the registrar: nothing goes yet.
    response = rep_client.post(step_url(application, "review"))
    assert response.status_code == 200 and "is not confirmed yet" in text(response)
    confirm_pending(people["rep"], application.organisation_id)
    response = rep_client.post(step_url(application, "review"))
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "moderation"
    assert application.moderation_due and application.total_due
    response = rep_client.get(response["Location"])
    page = text(response)
    assert "is submitted" in " ".join(messages_of(response))
    assert formats.date_format(application.moderation_due, "DATE_FORMAT") in page
    assert formats.date_format(application.total_due, "DATE_FORMAT") in page
    assert "working days" in page

    home = text(rep_client.get(reverse("portal:home")))
    assert formats.date_format(application.moderation_due, "DATE_FORMAT") in home
    assert organisation.bin in home


def test_an_individual_category_asks_for_the_person(rep_client, people):
    individual = ParticipantCategory.objects.get(code="individual")  # admitted by the 2014 rules
    application = applications.start_application(by=people["rep"], category=individual)
    page = text(rep_client.get(step_url(application, "member")))
    assert 'name="iin"' in page and 'name="bin"' not in page


def test_the_form_resumes_at_the_first_incomplete_step(rep_client, people):
    company = ParticipantCategory.objects.get(code="company")
    application = applications.start_application(by=people["rep"], category=company)
    applications.save_organisation(
        application, by=people["rep"], authority_document=charter(), **organisation_fields()
    )
    response = rep_client.get(reverse("portal:application", args=[application.pk]))
    assert response["Location"] == step_url(application, "project")
    # Later steps are not open yet; earlier ones are.
    assert rep_client.get(step_url(application, "review"))["Location"] == step_url(application, "project")
    assert rep_client.get(step_url(application, "category")).status_code == 200
    assert rep_client.get(step_url(application, "nonsense")).status_code == 404
    page = text(rep_client.get(step_url(application, "project")))
    assert "(not yet)" in page and "(done)" in page


def test_a_second_application_while_one_is_open_is_refused(rep_client, people):
    company = ParticipantCategory.objects.get(code="company")
    first = applications.start_application(by=people["rep"], category=company)
    page = text(rep_client.get(reverse("portal:apply")))
    assert reverse("portal:application", args=[first.pk]) in page
    response = rep_client.post(reverse("portal:apply"), {"category": company.pk})
    assert response.status_code == 200
    assert f"You already have application No. {first.pk} in progress" in text(response)
    assert Application.objects.filter(applicant=people["rep"]).count() == 1


def test_a_file_named_in_250_cyrillic_letters_uploads_without_a_server_error(rep_client, people):
    company = ParticipantCategory.objects.get(code="company")
    application = applications.start_application(by=people["rep"], category=company)
    applications.save_organisation(
        application, by=people["rep"], authority_document=charter(), **organisation_fields()
    )
    applications.save_project(application, by=people["rep"], project_summary="z" * 60)
    name = "Ж" * 250 + ".pdf"  # 504 bytes: more than a file system takes in one name
    for content in (TINY_PDF, TINY_PDF + b"%second"):  # the same name twice
        response = rep_client.post(
            step_url(application, "documents"), {"business_plan": pdf_file(name, content)}
        )
        assert response.status_code == 303
    stored = application.documents.order_by("version")
    assert [d.original_name for d in stored] == [name, name]
    assert all(len(d.file.name.encode()) < 100 for d in stored)


def test_changing_the_category_and_documents_still_missing(rep_client, people):
    company = ParticipantCategory.objects.get(code="company")
    venture = ParticipantCategory.objects.get(code="venture_fund")
    application = applications.start_application(by=people["rep"], category=company)
    response = rep_client.post(step_url(application, "category"), {"category": venture.pk})
    assert response.status_code == 303
    assert response["Location"] == step_url(application, "member")
    application.refresh_from_db()
    assert application.category == venture
    applications.save_organisation(
        application, by=people["rep"], authority_document=charter(), **organisation_fields()
    )
    applications.save_project(application, by=people["rep"], project_summary="z" * 60)
    # A venture fund also owes its fund rules.
    page = text(rep_client.get(step_url(application, "documents")))
    assert 'name="fund_rules"' in page
    response = rep_client.post(step_url(application, "documents"), {"business_plan": pdf_file("plan.pdf")})
    assert response.status_code == 303
    assert response["Location"] == step_url(application, "documents")
    response = rep_client.get(response["Location"])
    shown = " ".join(messages_of(response))
    assert "1 file is uploaded." in shown
    assert "Still missing: Charter" in shown and "Fund rules" in shown
    application.refresh_from_db()
    assert application.step == 3  # the documents step is not done yet


def test_a_category_the_regime_does_not_admit_is_not_offered(rep_client, people):
    # today the timeline has Astana Hub in force: legal entities only
    individual = ParticipantCategory.objects.get(code="individual")
    page = text(rep_client.get(reverse("portal:apply")))
    assert "Company" in page and f'value="{individual.pk}"' not in page
    response = rep_client.post(reverse("portal:apply"), {"category": individual.pk})
    assert response.status_code == 200
    assert "Choose one of the categories listed." in text(response)
    assert not Application.objects.exists()


def test_double_submit_makes_one_transition(rep_client, people):
    application = draft_application(people["rep"])
    first = rep_client.post(step_url(application, "review"))
    assert first.status_code == 303
    second = rep_client.post(step_url(application, "review"), follow=True)
    application.refresh_from_db()
    assert application.status == "moderation"
    assert submit_events(application) == 1
    shown = " ".join(messages_of(second))
    assert "is possible only when it is “returned for revision”" in shown
    # The form cannot be changed any more: its steps lead to the application's page.
    response = rep_client.get(step_url(application, "project"))
    assert response["Location"] == reverse("portal:application", args=[application.pk])


def test_submit_refused_while_something_is_missing(rep_client, people):
    company = ParticipantCategory.objects.get(code="company")
    application = applications.start_application(by=people["rep"], category=company)
    applications.save_organisation(
        application, by=people["rep"], authority_document=charter(), **organisation_fields()
    )
    applications.save_project(application, by=people["rep"], project_summary="x" * 60)
    application.refresh_from_db()
    # Even with the review step open, the service refuses while the documents are missing.
    application.step = 4
    application.save(update_fields=["step"])
    response = rep_client.post(step_url(application, "review"))
    assert response.status_code == 200
    assert "Still missing: Business plan" in text(response)
    application.refresh_from_db()
    assert application.status == "draft" and submit_events(application) == 0


def test_a_returned_application_needs_an_answer_to_each_comment(rep_client, people):
    application = draft_application(people["rep"])
    applications.submit(application, by=people["rep"])
    moderation.return_for_revision(
        application,
        by=people["registrar"],
        items=[("Business plan", "Add the market analysis."), ("Project", "Say by when it is ready.")],
    )
    first, second = RevisionComment.objects.filter(application=application).order_by("id")
    response = rep_client.get(reverse("portal:application", args=[application.pk]))
    assert response["Location"] == step_url(application, "review")
    page = text(rep_client.get(step_url(application, "review")))
    assert "Add the market analysis." in page and f'name="response_{first.pk}"' in page
    assert "Submit the application again" in page
    # Steps can be edited while returned.
    assert rep_client.get(step_url(application, "project")).status_code == 200

    response = rep_client.post(step_url(application, "review"), {f"response_{first.pk}": "Added, section 3."})
    assert response.status_code == 200
    assert f'id="id_response_{second.pk}_error"' in text(response)
    application.refresh_from_db()
    assert application.status == "returned" and submit_events(application) == 1

    response = rep_client.post(
        step_url(application, "review"),
        {f"response_{first.pk}": "Added, section 3.", f"response_{second.pk}": "Ready by June 2027."},
    )
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "moderation" and submit_events(application) == 2
    first.refresh_from_db()
    assert first.response == "Added, section 3."
    page = text(rep_client.get(reverse("portal:application", args=[application.pk])))
    assert "Ready by June 2027." in page


# --- access ----------------------------------------------------------------------------------------


def test_another_applicants_records_are_not_found(client, people):
    application = approved_application(people["rep"], people["registrar"], people["commission"])
    document = ApplicationDocument.objects.filter(application=application).first()
    organisation = application.organisation
    client.force_login(people["other"])
    for url in [
        reverse("portal:application", args=[application.pk]),
        step_url(application, "member"),
        step_url(application, "review"),
        reverse("portal:document", args=[document.pk]),
        reverse("portal:agreement", args=[application.pk]),
        reverse("portal:certificate", args=[application.pk]),
        reverse("portal:representatives", args=[organisation.pk]),
        reverse("portal:report", args=[organisation.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (step_url(application, "review"), {}),
        (step_url(application, "project"), {"project_summary": "y" * 80}),
        (reverse("portal:sign", args=[application.pk]), {"file": pdf_file("signed.pdf")}),
        (reverse("portal:representative_add", args=[organisation.pk]), {"email": "other@example.com"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    application.refresh_from_db()
    assert application.status == "approved"
    assert not Representative.objects.filter(user=people["other"]).exists()


def test_staff_without_the_portal_role_are_forbidden(client, people):
    application = draft_application(people["rep"])
    login_with_2fa(client, people["registrar"])
    assert client.get(reverse("portal:home")).status_code == 403
    assert client.get(reverse("portal:application", args=[application.pk])).status_code == 403
    assert client.post(step_url(application, "review")).status_code == 403
    application.refresh_from_db()
    assert application.status == "draft"


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_own_documents_download_as_attachments(rep_client, people):
    application = draft_application(people["rep"])
    document = ApplicationDocument.objects.filter(application=application).first()
    response = rep_client.get(reverse("portal:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == TINY_PDF
    assert rep_client.get(reverse("portal:document", args=[999_999])).status_code == 404


# --- agreement and certificate -------------------------------------------------------------------


def test_agreement_only_after_approval_then_signed_copy_and_certificate(rep_client, people):
    application = draft_application(people["rep"])
    applications.submit(application, by=people["rep"])
    assert rep_client.get(reverse("portal:agreement", args=[application.pk])).status_code == 404
    assert rep_client.get(reverse("portal:certificate", args=[application.pk])).status_code == 404
    page = text(rep_client.get(reverse("portal:application", args=[application.pk])))
    assert reverse("portal:agreement", args=[application.pk]) not in page

    moderation.accept(application, by=people["registrar"])
    commission.decide_batch([application], **commission_decision(people["commission"]))
    page = text(rep_client.get(reverse("portal:application", args=[application.pk])))
    assert reverse("portal:agreement", args=[application.pk]) in page
    assert reverse("portal:sign", args=[application.pk]) in page

    response = rep_client.get(reverse("portal:agreement", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")

    # A file that is not accepted is refused beside the field; nothing changes.
    response = rep_client.post(
        reverse("portal:sign", args=[application.pk]), {"file": pdf_file("signed.pdf", b"")}
    )
    assert response.status_code == 200
    assert 'id="id_file_error"' in text(response)
    application.refresh_from_db()
    assert application.status == "approved"

    signed = TINY_PDF + b"% signed\n"
    response = rep_client.post(
        reverse("portal:sign", args=[application.pk]), {"file": pdf_file("signed.pdf", signed)}
    )
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "agreement_signed"
    page = text(rep_client.get(response["Location"]))
    assert hashlib.sha256(signed).hexdigest() in page
    assert rep_client.get(reverse("portal:certificate", args=[application.pk])).status_code == 404

    moderation.issue_certificate(application, by=people["registrar"])
    response = rep_client.get(reverse("portal:certificate", args=[application.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    # The agreement stays available.
    assert rep_client.get(reverse("portal:agreement", args=[application.pk])).status_code == 200


# --- representatives -------------------------------------------------------------------------------


def test_the_head_adds_and_removes_representatives(rep_client, people):
    application = draft_application(people["rep"])
    organisation = application.organisation
    url = reverse("portal:representatives", args=[organisation.pk])
    page = text(rep_client.get(url))
    assert "head of the organisation" in page and 'name="email"' in page

    add = reverse("portal:representative_add", args=[organisation.pk])
    response = rep_client.post(add, {"email": "nobody@example.com", "role": "contact"})
    assert response.status_code == 200
    assert "No participant representative&#x27;s account uses this e-mail address" in text(response)
    assert 'id="id_email_error"' in text(response)
    # A staff account is not a participant representative: the same plain refusal.
    response = rep_client.post(add, {"email": "reg@example.com", "role": "contact"})
    assert "No participant representative" in text(response)
    # Adding oneself again is the service's refusal, shown beside the address.
    response = rep_client.post(add, {"email": "acme@example.com", "role": "contact"})
    assert "already acts for this organisation" in text(response)

    response = rep_client.post(add, {"email": "Colleague@Example.com", "role": "contact"})
    assert response.status_code == 303
    added = Representative.objects.get(organisation=organisation, user=people["colleague"])
    assert added.active and added.role == "contact"
    page = text(rep_client.get(url))
    assert "colleague@example.com" in page

    remove = reverse("portal:representative_deactivate", args=[organisation.pk, added.pk])
    response = rep_client.post(remove, {f"r{added.pk}-reason": ""})
    assert response.status_code == 200
    assert "Give the reason." in text(response)
    added.refresh_from_db()
    assert added.active

    response = rep_client.post(remove, {f"r{added.pk}-reason": "Left the company."})
    assert response.status_code == 303
    added.refresh_from_db()
    assert not added.active
    event = AuditEvent.objects.get(action="parties.representative.deactivated")
    assert event.reason == "Left the company."


def test_a_contact_person_sees_but_cannot_manage(client, people):
    application = draft_application(people["rep"])
    organisation = application.organisation
    Representative.objects.create(organisation=organisation, user=people["colleague"], role="contact")
    client.force_login(people["colleague"])
    page = text(client.get(reverse("portal:representatives", args=[organisation.pk])))
    assert "acme" in page and 'name="email"' not in page
    response = client.post(
        reverse("portal:representative_add", args=[organisation.pk]),
        {"email": "other@example.com", "role": "contact"},
    )
    assert response.status_code == 403
    assert not Representative.objects.filter(user=people["other"]).exists()


# --- the annual report ----------------------------------------------------------------------------


@pytest.fixture
def registered(people):
    application = approved_application(people["rep"], people["registrar"], people["commission"])
    applications.sign_agreement(
        application, by=people["rep"], uploaded_file=pdf_file("signed.pdf", TINY_PDF + b"%s\n")
    )
    moderation.issue_certificate(application, by=people["registrar"], on=date(2025, 5, 1))
    application.refresh_from_db()
    return application


def test_filing_the_annual_report(rep_client, people, registered):
    organisation = registered.organisation
    url = reverse("portal:report", args=[organisation.pk])
    page = text(rep_client.get(url))
    assert registered.participant.number in page and "No report is filed yet." in page
    assert reverse("portal:report", args=[organisation.pk]) in text(rep_client.get(reverse("portal:home")))

    figures = {
        "year": "2025",
        "revenue": "1000000.00",
        "priority_revenue": "1200000.00",
        "staff_count": "12",
        "rd_spend": "50000",
        "exports": "0",
    }
    response = rep_client.post(url, figures)
    assert response.status_code == 200
    assert 'id="id_priority_revenue_error"' in text(response)
    assert not ComplianceReport.objects.exists()

    response = rep_client.post(url, {**figures, "priority_revenue": "950000.00"})
    assert response.status_code == 303
    report = ComplianceReport.objects.get()
    assert (report.year, report.version, report.revenue) == (2025, 1, Decimal("1000000.00"))
    page = text(rep_client.get(url))
    for check in report.checks:
        assert check["message"] in page
    assert report.get_result_display() in page

    rep_client.post(url, {**figures, "priority_revenue": "990000.00"})
    assert list(ComplianceReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    page = text(rep_client.get(url))
    assert "version 2" in page and "950000.00" in page  # the earlier version stays listed


def test_an_organisation_not_in_the_register_files_no_report(rep_client, people):
    application = draft_application(people["rep"])
    url = reverse("portal:report", args=[application.organisation.pk])
    page = text(rep_client.get(url))
    assert "not in the register yet" in page and 'name="revenue"' not in page
    assert rep_client.post(url, {"year": "2025"}).status_code == 404


def test_the_home_page_costs_the_same_queries_for_2_or_8_applications(rep_client, people):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from innocluster.parties.services.register import create_organisation
    from innocluster.parties.services.representatives import add_representative
    from innocluster.registry.models import Application, ParticipantCategory

    def add(count: int) -> None:
        for _n in range(count):
            organisation = create_organisation(**organisation_fields())
            add_representative(organisation, user=people["rep"], role="head", by=None)
            Application.objects.create(
                applicant=people["rep"],
                organisation=organisation,
                category=ParticipantCategory.objects.get(code="company"),
                status=Application.Status.MODERATION,
                submitted_on=date(2026, 3, 19),
                moderation_due=date(2026, 3, 31),
                total_due=date(2026, 4, 14),
                step=5,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rep_client.get(reverse("portal:home")).status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(6)
    assert queries() == few
