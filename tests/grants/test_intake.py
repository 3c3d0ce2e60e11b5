"""The intake check (``services.intake``): accept, return for revision, refuse; the intake due date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications.models import Notification
from innocluster.grants import rules
from innocluster.grants.models import ApplicationFile, CallFinancer, IntakeComment, ProjectApplication
from innocluster.grants.selectors import applications as selectors
from innocluster.grants.services import intake
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def call(programme, people):
    return publish_now(ready_call(programme, people["pm"], code="INT"), people["pm2"])


@pytest.fixture
def participant(people):
    return registered_participant(people["rep"])


@pytest.fixture
def submitted(call, participant, people):
    return application(call, participant.organisation, people["rep"], participant=participant)


def _events(app, action):
    return AuditEvent.objects.filter(action=action, object_id=str(app.pk)).count()


def test_accept_without_financers_goes_straight_to_expertise(submitted, people):
    result = intake.accept(submitted, by=people["pm"])
    assert result.status == "expertise"
    submitted.refresh_from_db()
    assert submitted.status == "expertise"
    assert submitted.intake_by == people["pm"] and submitted.intake_at is not None
    assert _events(submitted, "grants.application.accepted") == 1


def test_accept_with_financers_goes_to_preselection(submitted, call, people):
    org = registered_participant().organisation
    CallFinancer.objects.create(call=call, organisation=org, added_by=people["pm"])
    intake.accept(submitted, by=people["pm"])
    submitted.refresh_from_db()
    assert submitted.status == "preselection"


def test_accept_a_challenge_answer_skips_preselection_whatever_the_financers(submitted, call, people):
    from innocluster.grants.models import Challenge, ChallengeAnswer

    org = registered_participant().organisation
    CallFinancer.objects.create(call=call, organisation=org, added_by=people["pm"])
    answer = _answer(Challenge, ChallengeAnswer, org, submitted, people)
    ProjectApplication.objects.filter(pk=submitted.pk).update(challenge_answer=answer)
    submitted.refresh_from_db()
    intake.accept(submitted, by=people["pm"])
    submitted.refresh_from_db()
    assert submitted.status == "expertise"


def _answer(Challenge, ChallengeAnswer, org, app, people):
    """A challenge and a shortlisted answer, built with whatever required fields the models have."""
    from django.db import models

    def build(model, **given):
        values = dict(given)
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in values or field.has_default() or field.null or field.blank:
                continue
            if isinstance(field, models.ForeignKey):
                target = field.related_model
                if target._meta.label_lower == "parties.organisation":
                    values[field.name] = org
                elif target._meta.label_lower == "accounts.user" or target is type(people["pm"]):
                    values[field.name] = people["pm"]
                elif target._meta.label_lower == "grants.call":
                    values[field.name] = app.call
                elif target._meta.label_lower == "grants.project":
                    values[field.name] = app.project
                continue
            if isinstance(field, models.DecimalField):
                values[field.name] = D("1.00")
            elif isinstance(field, models.DateTimeField):
                from django.utils import timezone

                values[field.name] = timezone.now()
            elif isinstance(field, models.DateField):
                values[field.name] = dt.date.today()
            elif isinstance(field, models.IntegerField):
                values[field.name] = 1
            elif isinstance(field, models.BooleanField):
                values[field.name] = True
            else:
                values[field.name] = field.choices[0][0] if field.choices else "x"
        return model.objects.create(**values)

    challenge = build(Challenge)
    return build(ChallengeAnswer, challenge=challenge)


def test_accept_refuses_an_incomplete_application_and_changes_nothing(submitted, people):
    ApplicationFile.objects.filter(application=submitted, code="business_plan").delete()
    with pytest.raises(ValidationError) as caught:
        intake.accept(submitted, by=people["pm"])
    assert "files" in caught.value.message_dict
    assert "business_plan" in caught.value.message_dict["files"][0]
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.intake_at is None
    assert _events(submitted, "grants.application.accepted") == 0


def test_accept_refuses_an_applicant_not_in_good_standing(call, people):
    from innocluster.parties.services import register as party_services
    from tests.factories.registry import organisation_fields

    fields = organisation_fields()
    org = party_services.create_organisation(
        **{k: fields[k] for k in ("bin", "name_kk", "name_ru", "legal_form", "region", "activity")}
    )
    app = application(call, org, people["rep"])
    with pytest.raises(ValidationError) as caught:
        intake.accept(app, by=people["pm"])
    assert "participant" in caught.value.message_dict
    app.refresh_from_db()
    assert app.status == "submitted"


def test_return_requires_items_and_creates_comments(submitted, people):
    with pytest.raises(ValidationError) as caught:
        intake.return_for_revision(submitted, by=people["pm"], items=[])
    assert "items" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        intake.return_for_revision(
            submitted, by=people["pm"], items=[("budget", "Split the equipment by year."), ("team", "  ")]
        )
    assert "Line 2" in caught.value.message_dict["items"][0]
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.revision_round == 0
    assert not IntakeComment.objects.filter(application=submitted).exists()

    intake.return_for_revision(
        submitted,
        by=people["pm"],
        items=[("budget", "Split the equipment by year."), ("business_plan", "Sign the plan.")],
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.revision_round == 1
    comments = list(IntakeComment.objects.filter(application=submitted).order_by("id"))
    assert [(c.round, c.item, c.text) for c in comments] == [
        (1, "budget", "Split the equipment by year."),
        (1, "business_plan", "Sign the plan."),
    ]
    assert _events(submitted, "grants.application.returned") == 1
    assert Notification.objects.filter(recipient=people["rep"]).exists()


def test_refuse_requires_a_reason(submitted, people):
    with pytest.raises(ValidationError) as caught:
        intake.refuse(submitted, by=people["pm"], reason="   ")
    assert "reason" in caught.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    intake.refuse(submitted, by=people["pm"], reason="The company is not an eligible category.")
    submitted.refresh_from_db()
    assert submitted.status == "ineligible"
    assert submitted.intake_reason == "The company is not an eligible category."
    assert _events(submitted, "grants.application.refused") == 1
    assert Notification.objects.filter(recipient=people["rep"]).exists()


@pytest.mark.parametrize("status", ["draft", "returned", "expertise", "ineligible"])
def test_intake_refused_for_a_wrong_status(call, participant, people, status):
    app = application(call, participant.organisation, people["rep"], participant=participant, status=status)
    for act in (
        lambda: intake.accept(app, by=people["pm"]),
        lambda: intake.return_for_revision(app, by=people["pm"], items=[("budget", "Fix it.")]),
        lambda: intake.refuse(app, by=people["pm"], reason="No."),
    ):
        with pytest.raises(ValidationError) as caught:
            act()
        assert "status" in caught.value.message_dict
    app.refresh_from_db()
    assert app.status == status


def test_only_a_programme_manager_checks_intake(submitted, people):
    with pytest.raises(PermissionDenied):
        intake.accept(submitted, by=people["auditor"])
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_intake_dues_match_the_formula(policy_loaded):
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(0, 40, 3)]
    assert selectors.intake_dues(days) == {d: rules.intake_due(submitted_on=d) for d in days}
