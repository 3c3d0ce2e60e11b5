"""The participant's project applications through the services: drafts saved per step, the
submission's checks (window in Almaty time, amounts, milestones, budget, documents, standing in the
register), numbering, resubmission after a return, withdrawal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.grants.models import ApplicationStatus, Call, IntakeComment, Milestone, ProjectApplication
from innocluster.grants.selectors import portal as selectors
from innocluster.grants.services import application_steps as steps
from innocluster.grants.services import applications as services
from tests.factories.grants import publish_now
from tests.factories.registry import TINY_PDF, registered_participant
from tests.grants.conftest import ready_call

D = Decimal
S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def call(programme, people):
    return publish_now(ready_call(programme, people["pm"]), people["executive"])


@pytest.fixture
def org(people):
    return registered_participant(people["rep"]).organisation


def pdf(name: str, salt: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_PDF + salt, content_type="application/pdf")


def dates(call: Call):
    start = timezone.now().astimezone(ALMATY).date().replace(day=1) + dt.timedelta(days=40)
    return start, start + dt.timedelta(days=300)


REQUESTED, COFINANCING = D("10000000.00"), D("3000000.00")


def fill(app, by, *, requested=REQUESTED, cofinancing=COFINANCING):
    """Every step filled consistently for ``ready_call`` (max 20 million, 24 months, 20%)."""
    start, end = dates(app.call)
    steps.save_project(
        app,
        by=by,
        title=app.project.title,
        summary="A digital twin of a processing line.",
        starts_on=start,
        ends_on=end,
        requested_amount=requested,
        cofinancing_amount=cofinancing,
        cofinancing_source="own funds",
        expected_results="Fewer stops.",
    )
    half = (requested / 2).quantize(D("0.01"))
    steps.save_plan(
        app,
        [
            {"title": "Model", "starts_on": start, "due_on": start + dt.timedelta(days=100), "amount": half},
            {
                "title": "Pilot",
                "starts_on": start + dt.timedelta(days=101),
                "due_on": end,
                "amount": requested - half,
            },
        ],
        by=by,
    )
    steps.save_budget(
        app,
        [{"kind": "salaries", "year": start.year, "requested": requested, "cofinanced": cofinancing}],
        by=by,
    )
    steps.save_team(
        app,
        [{"name": "A. Seitkali", "role": "Lead", "share": D("1")}],
        [{"name": "Stops avoided", "unit": "%", "target": D("10"), "year": end.year}],
        by=by,
    )
    steps.save_note(
        app,
        by=by,
        research_state="Validated",
        industrial_readiness="TRL 5",
        prototype="Lab prototype",
        novelty="No analogue",
        patent_search="None blocking",
        ip_owner="The applicant",
    )
    services.upload_file(app, "passport", pdf("passport.pdf"), by=by)
    services.upload_file(app, "business_plan", pdf("plan.pdf"), by=by)
    return ProjectApplication.objects.get(pk=app.pk)


def started(call, org, people, title="Digital twin"):
    return steps.start_application(call, org, by=people["rep"], title=title)


def refused(exc) -> dict:
    return exc.value.message_dict


# --- drafts ---------------------------------------------------------------------------------------


def test_each_step_saves_only_itself_and_the_draft_resumes(call, org, people):
    app = started(call, org, people)
    assert app.status == S.DRAFT and app.number == "" and app.participant.organisation == org
    start, end = dates(call)
    steps.save_project(
        app, by=people["rep"], title="Digital twin v2", summary="S", starts_on=start, ends_on=end,
        requested_amount="1000000", cofinancing_amount="300000", cofinancing_source="own", expected_results="R",
    )  # fmt: skip
    app = selectors.application_for(people["rep"], app.pk)
    assert app.steps_done == ["project"]
    assert app.requested_amount == D("1000000.00") and app.project.title == "Digital twin v2"
    assert selectors.next_step(app) == "plan"
    assert not app.milestones.exists()
    steps.save_plan(
        app, [{"title": "M1", "starts_on": start, "due_on": end, "amount": "1000000"}], by=people["rep"]
    )
    app = selectors.application_for(people["rep"], app.pk)
    assert app.steps_done == ["project", "plan"]
    assert app.summary == "S" and app.requested_amount == D("1000000.00")  # the plan left the project alone
    assert selectors.next_step(app) == "budget"
    # A second save of the plan replaces its rows.
    steps.save_plan(app, [], by=people["rep"])
    assert not Milestone.objects.filter(application=app).exists()


def test_a_complete_application_is_submitted_with_its_number(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    assert selectors.next_step(app) == "check"
    assert not selectors.submission_problems(app)
    done = services.submit_application(app, by=people["rep"])
    assert done.status == S.SUBMITTED and done.number == "C1-0001" and done.submitted_at is not None
    assert AuditEvent.objects.filter(action="grants.application.submitted", object_id=str(app.pk)).exists()
    second = fill(started(call, org, people, title="Another project"), people["rep"])
    assert services.submit_application(second, by=people["rep"]).number == "C1-0002"
    with pytest.raises(ValidationError) as exc:
        steps.save_note(done, by=people["rep"], novelty="changed after submission")
    assert "status" in refused(exc)


# --- the window --------------------------------------------------------------------------------------


def test_a_late_submission_is_refused_with_the_close_time_in_almaty(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    closed = dt.datetime(2026, 1, 5, 18, 0, tzinfo=ALMATY)
    Call.objects.filter(pk=call.pk).update(opens_at=closed - dt.timedelta(days=30), closes_at=closed)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(app, by=people["rep"])
    assert refused(exc)["submitted_at"] == ["The call closed on 05.01.2026 at 18:00 (Almaty time)."]
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.number == "" and app.submitted_at is None


def test_a_submission_before_the_call_opens_is_refused(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    opens = timezone.now() + dt.timedelta(days=3)
    Call.objects.filter(pk=call.pk).update(opens_at=opens, closes_at=opens + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as exc:
        services.submit_application(app, by=people["rep"])
    local = opens.astimezone(ALMATY)
    assert refused(exc)["submitted_at"] == [
        f"The call opens on {local:%d.%m.%Y} at {local:%H:%M} (Almaty time)."
    ]
    app.refresh_from_db()
    assert app.status == S.DRAFT


# --- one per project per call, standing, category -------------------------------------------------------


def test_one_application_per_project_per_call(call, org, people):
    first = started(call, org, people)
    with pytest.raises(ValidationError) as exc:
        steps.start_application(call, org, by=people["rep"], project=first.project)
    assert "one application per project per call" in refused(exc)["project"][0]
    assert ProjectApplication.objects.filter(call=call).count() == 1


def test_withdrawal_frees_the_project_for_another_application(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    services.submit_application(app, by=people["rep"])
    with pytest.raises(ValidationError) as exc:
        services.withdraw_application(app, by=people["rep"], reason="  ")
    assert "reason" in refused(exc)
    done = services.withdraw_application(app, by=people["rep"], reason="The partner left.")
    assert done.status == S.WITHDRAWN and done.withdrawn_at is not None
    assert AuditEvent.objects.get(action="grants.application.withdrawn").reason == "The partner left."
    again = steps.start_application(call, org, by=people["rep"], project=app.project)
    assert again.project == app.project and again.status == S.DRAFT
    with pytest.raises(ValidationError):
        services.withdraw_application(done, by=people["rep"], reason="twice")


def test_a_suspended_participant_is_refused_at_submission(call, org, people):
    from innocluster.core.policy import values as policy
    from innocluster.registry.services.register import change_status

    app = fill(started(call, org, people), people["rep"])
    change_status(app.participant, status="suspended", effective_on=policy.today(), reason="Unpaid levy")
    with pytest.raises(ValidationError) as exc:
        services.submit_application(app, by=people["rep"])
    assert "suspended" in refused(exc)["organisation"][0]
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.number == ""


def test_a_category_the_call_is_not_open_to_is_refused_at_start(programme, org, people):
    science = publish_now(
        ready_call(programme, people["pm"], code="SCI", eligible_categories=["science_org"]),
        people["executive"],
    )
    with pytest.raises(ValidationError) as exc:
        steps.start_application(science, org, by=people["rep"], title="Robots")
    assert "not open to the category" in refused(exc)["organisation"][0]
    assert not ProjectApplication.objects.exists()


def test_an_organisation_outside_the_register_is_refused(call, people):
    from innocluster.parties.services import register as party_services
    from innocluster.parties.services.representatives import add_representative
    from tests.factories.registry import organisation_fields

    fields = organisation_fields()
    outsider = party_services.create_organisation(
        **{k: fields[k] for k in ("bin", "name_kk", "name_ru", "legal_form", "region", "activity")}
    )
    add_representative(outsider, user=people["rep"], role="head", by=None)
    with pytest.raises(ValidationError) as exc:
        steps.start_application(call, outsider, by=people["rep"], title="Robots")
    assert "is not a participant of the cluster" in refused(exc)["organisation"][0]


# --- amounts, milestones, budget -----------------------------------------------------------------------


def test_mismatched_amounts_and_milestones_name_the_field(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    start, end = dates(call)
    steps.save_plan(
        app, [{"title": "Only", "starts_on": start, "due_on": end, "amount": "9000000"}], by=people["rep"]
    )
    steps.save_budget(
        app,
        [{"kind": "equipment", "year": start.year, "requested": "1", "cofinanced": "3000000"}],
        by=people["rep"],
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_application(app, by=people["rep"])
    errors = refused(exc)
    assert "milestones' amounts sum to 9000000.00" in errors["milestone_amounts"][0]
    assert "budget's requested amounts sum to 1.00" in errors["budget_requested"][0]
    assert "budget_cofinanced" not in errors
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_limits_of_the_call_name_the_field(call, org, people):
    app = fill(started(call, org, people), people["rep"])
    start, _end = dates(call)
    steps.save_project(
        app,
        by=people["rep"],
        starts_on=start,
        ends_on=start + dt.timedelta(days=800),
        requested_amount="25000000",
        cofinancing_amount="1000000",
    )
    problems = selectors.submission_problems(ProjectApplication.objects.get(pk=app.pk)).fields
    assert "at most 24 months" in problems["ends_on"]
    assert "largest award" in problems["requested_amount"]
    assert "at least 20%" in problems["cofinancing_amount"]
    assert "requested is 25000000.00" in problems["milestone_amounts"]
    with pytest.raises(ValidationError) as exc:
        steps.save_plan(
            app,
            [{"title": "Bad", "starts_on": start, "due_on": start - dt.timedelta(days=1)}],
            by=people["rep"],
        )
    assert "milestones" in refused(exc)


def test_missing_steps_are_listed_by_step(call, org, people):
    app = started(call, org, people)
    found = selectors.submission_problems(app)
    assert set(found.steps) == {"project", "plan", "budget", "team", "note", "documents"}
    assert {"passport", "document_business_plan", "team", "kpis", "novelty"} <= set(found.fields)
    assert "document_letters" not in found.fields  # optional
    with pytest.raises(ValidationError):
        services.submit_application(app, by=people["rep"])


def test_a_reupload_is_a_new_version_and_the_same_file_is_refused(call, org, people):
    app = started(call, org, people)
    first = services.upload_file(app, "passport", pdf("passport.pdf"), by=people["rep"])
    with pytest.raises(ValidationError) as exc:
        services.upload_file(app, "passport", pdf("again.pdf"), by=people["rep"])
    assert "already uploaded" in refused(exc)["file"][0]
    second = services.upload_file(app, "passport", pdf("passport-2.pdf", b"%v2"), by=people["rep"])
    assert (first.version, second.version) == (1, 2) and len(second.sha256) == 64
    with pytest.raises(ValidationError) as exc:
        services.upload_file(app, "unknown", pdf("x.pdf"), by=people["rep"])
    assert "code" in refused(exc)


# --- resubmission -------------------------------------------------------------------------------------------


def test_resubmission_after_a_return_answers_the_comments(call, org, people):
    app = services.submit_application(fill(started(call, org, people), people["rep"]), by=people["rep"])
    ProjectApplication.objects.filter(pk=app.pk).update(status=S.RETURNED, revision_round=1)
    comment = IntakeComment.objects.create(
        application=app, round=1, item="budget", text="Split salaries by year.", created_by=people["pm"]
    )
    app = selectors.application_for(people["rep"], app.pk)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(app, by=people["rep"])
    assert "comments" in refused(exc)
    again = services.submit_application(app, by=people["rep"], responses={comment.pk: "Done: two lines now."})
    assert again.status == S.SUBMITTED and again.number == "C1-0001"
    comment.refresh_from_db()
    assert comment.response == "Done: two lines now."
    assert AuditEvent.objects.filter(action="grants.application.resubmitted").exists()


def test_a_returned_application_may_be_answered_after_the_call_closes(call, org, people):
    """The window binds the first submission only: a revision answers the Fund's comments."""
    app = services.submit_application(fill(started(call, org, people), people["rep"]), by=people["rep"])
    ProjectApplication.objects.filter(pk=app.pk).update(status=S.RETURNED, revision_round=1)
    comment = IntakeComment.objects.create(
        application=app, round=1, item="team", text="Add the lead's qualification.", created_by=people["pm"]
    )
    after_close = call.closes_at + dt.timedelta(days=3)
    app = selectors.application_for(people["rep"], app.pk)
    again = services.submit_application(
        app, by=people["rep"], responses={comment.pk: "Added."}, now=after_close
    )
    assert again.status == S.SUBMITTED and again.submitted_at == after_close
