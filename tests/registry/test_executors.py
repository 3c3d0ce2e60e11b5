"""The register's executors (contributed through its manifest) and the authority its commands
require: an exclusion or an admission on a decision of the wrong body is refused; an executor runs
only inside ``carry_out`` for someone who may carry decisions out."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.decisions.executors import carry_out, executor_for
from innocluster.core.decisions.services import record_decision
from innocluster.registry.models import Participant
from innocluster.registry.services import applications, commission, membership, moderation
from tests.factories.accounts import user_with_role
from tests.factories.registry import draft_application, registered_participant

pytestmark = pytest.mark.django_db

PEOPLE = ("applicant", "registrar", "commission")
S = Participant.Status


def decision(body: str, number: str, by, on: date = date(2026, 11, 2)):
    return record_decision(body=body, number=number, decided_on=on, basis="Rules", outcome="approved", by=by)


@pytest.fixture
def participant(people):
    return registered_participant()


@pytest.fixture
def before_commission(people):
    application = draft_application(people["applicant"])
    applications.submit(application, by=people["applicant"], on=date(2026, 4, 1))
    moderation.accept(application, by=people["registrar"], on=date(2026, 4, 1))
    application.refresh_from_db()
    assert application.status == "commission"
    return application


@pytest.fixture
def secretary(people):
    return user_with_role("corporate_secretary", "corpsec")


def test_the_manifest_contributes_both_executors():
    assert executor_for("registry.exclusion").model == "registry.participant"
    assert executor_for("registry.admission").model == "registry.application"
    assert executor_for("registry.suspension") is None


def test_an_exclusion_decided_by_the_wrong_body_is_refused(people, participant):
    registrar = people["registrar"]
    wrong = decision("selection_commission", "SC-1", registrar)
    with pytest.raises(ValidationError) as exc:
        membership.exclude(participant, by=registrar, grounds="Breach", decision=wrong)
    assert set(exc.value.message_dict) == {"decision"}
    assert "Managing Committee" in exc.value.message_dict["decision"][0]
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED
    right = decision("managing_committee", "MC-1", registrar)
    membership.exclude(participant, by=registrar, grounds="Breach", decision=right)
    assert participant.status == S.EXCLUDED


def test_an_admission_decided_by_the_wrong_body_is_refused(people, before_commission):
    wrong = decision("managing_committee", "MC-2", people["registrar"])
    with pytest.raises(ValidationError) as exc:
        commission.decide(before_commission, by=people["commission"], approve=True, decision=wrong)
    assert "Selection commission" in exc.value.message_dict["decision"][0]
    before_commission.refresh_from_db()
    assert before_commission.status == "commission"


def test_an_admission_resolution_approves_the_application(people, before_commission, secretary):
    executor = executor_for("registry.admission")
    executor.check(before_commission)
    taken = decision("selection_commission", "2026/4", secretary)
    carry_out(executor, before_commission, decision=taken, by=secretary, text="Admit the applicant")
    before_commission.refresh_from_db()
    assert before_commission.status == "approved" and before_commission.decision == taken
    with pytest.raises(ValidationError) as exc:
        executor.check(before_commission)
    assert "application" in exc.value.message_dict


def test_only_someone_who_may_carry_out_decisions_runs_an_executor(people, participant, secretary):
    executor = executor_for("registry.exclusion")
    taken = decision("managing_committee", "2026/5", secretary)
    with pytest.raises(PermissionDenied):  # the registrar excludes through the register's pages instead
        carry_out(executor, participant, decision=taken, by=people["registrar"], text="Breach")
    with pytest.raises(PermissionDenied):  # outside carry_out, the secretary is not a registrar
        membership.exclude(participant, by=secretary, grounds="Breach", decision=taken)
    with pytest.raises(ValidationError) as exc:  # the executor of another model
        carry_out(executor_for("registry.admission"), participant, decision=taken, by=secretary, text="x")
    assert "linked" in exc.value.message_dict
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED
    carry_out(executor, participant, decision=taken, by=secretary, text="Breach")
    participant.refresh_from_db()
    assert participant.status == S.EXCLUDED
    with pytest.raises(ValidationError) as exc:
        executor.check(participant)
    assert "participant" in exc.value.message_dict
