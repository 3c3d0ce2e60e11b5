"""The demo's grants cycle: a closed call with applications in every stage, scored reviews, two
awards with tranches paid, the open call's drafts and a challenge; a second run adds nothing."""

import pytest

from innocluster.core.audit.chain import seal_pending, verify
from innocluster.grants.models import (
    ApplicationStatus,
    AssignmentStatus,
    Award,
    Call,
    ChallengeAnswer,
    ExpertAssignment,
    GranteeReport,
    IntakeComment,
    ProjectApplication,
    Score,
    Tranche,
)

S = ApplicationStatus


@pytest.fixture
def data(db, settings, tmp_path):
    """The demo's seeds before grants (a small register), then the cycle."""
    from innocluster.seed.applications import seed_applications_demo
    from innocluster.seed.finance import seed_finance_demo
    from innocluster.seed.foundation import seed_foundation
    from innocluster.seed.grants import seed_grants_demo
    from innocluster.seed.grants_cycle import seed_grants_cycle
    from innocluster.seed.registry import seed_registry_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    seed_foundation()
    seed_registry_demo(40)
    seed_applications_demo()
    seed_finance_demo()
    seed_grants_demo()
    return seed_grants_cycle(), seed_grants_cycle


def test_the_demo_cycle(data):
    """One scene (the seeds are slow): every check on it, then a second run."""
    _closed_call_has_an_application_in_every_stage(data)
    _reviews_are_scored_with_a_recusal_and_a_disagreement(data)
    _two_awards_have_commitments_paid_and_a_late_report(data)
    _the_open_call_challenge_and_experts(data)
    _a_second_run_adds_nothing(data)


def _closed_call_has_an_application_in_every_stage(data):
    result, _again = data
    assert not result.skipped
    call = Call.objects.get(code=result.call)
    assert call.is_closed() and not call.is_open()
    statuses = set(ProjectApplication.objects.filter(call=call).values_list("status", flat=True))
    wanted = {
        S.SUBMITTED,
        S.RETURNED,
        S.INELIGIBLE,
        S.NOT_PRESELECTED,
        S.EXPERTISE,
        S.DECISION,
        S.DECLINED,
        S.AWARDED,
    }
    assert wanted <= statuses
    assert all(
        call.opens_at <= a.submitted_at < call.closes_at for a in ProjectApplication.objects.filter(call=call)
    )
    # Replayed through the commands at its dates: published before its window, which is over.
    from django.utils import timezone

    assert call.approved_at < call.opens_at < call.closes_at < timezone.now()
    returned = ProjectApplication.objects.get(call=call, status=S.RETURNED)
    assert IntakeComment.objects.filter(application=returned).count() == 2
    assert call.financers.count() == 2
    assert result.by_status[S.AWARDED] == 2


def _reviews_are_scored_with_a_recusal_and_a_disagreement(data):
    from innocluster.core.policy import values as policy
    from innocluster.grants import rules

    result, _again = data
    call = Call.objects.get(code=result.call)
    in_expertise = ProjectApplication.objects.get(call=call, status=S.EXPERTISE)
    assignments = ExpertAssignment.objects.filter(application=in_expertise)
    submitted = assignments.filter(status=AssignmentStatus.SUBMITTED)
    assert submitted.count() == 2
    assert assignments.filter(status=AssignmentStatus.RECUSED, has_conflict=True).count() == 1
    totals = [a.total for a in submitted]
    assert rules.disagreement(totals=totals, on=policy.today())
    assert Score.objects.filter(assignment__application__call=call).count() == result.reviews * 4
    for status in (S.DECISION, S.DECLINED, S.AWARDED):
        for app in ProjectApplication.objects.filter(call=call, status=status):
            assert app.opinion_decision is not None
    assert ProjectApplication.objects.get(call=call, status=S.DECLINED).opinion == "inexpedient"


def _two_awards_have_commitments_paid_and_a_late_report(data):
    from innocluster.core.policy import values as policy

    result, _again = data
    awards = list(Award.objects.filter(application__call__code=result.call).order_by("number"))
    assert len(awards) == 2
    for award in awards:
        assert award.commitment is not None and award.commitment.disbursed > 0
        assert award.decision.number.startswith("ФД-")
        assert award.tranches.get(position=1).status == Tranche.Status.PAID
    paid = [a.tranches.filter(status=Tranche.Status.PAID).count() for a in awards]
    assert sorted(paid) == [1, 2]
    accepted = GranteeReport.objects.filter(award__in=awards, status=GranteeReport.Status.ACCEPTED)
    assert accepted.count() == 1
    late = GranteeReport.objects.filter(
        award__in=awards, status=GranteeReport.Status.DUE, due_on__lt=policy.today()
    )
    assert late.exists()


def _the_open_call_challenge_and_experts(data):
    from django.contrib.auth import get_user_model

    from innocluster.core.access.selectors import roles_of
    from innocluster.core.accounts.services import totp_secret

    result, _again = data
    assert result.open_call == {S.DRAFT: 2, S.SUBMITTED: 1}
    answers = ChallengeAnswer.objects.all()
    assert answers.count() == 2
    assert answers.filter(status=ChallengeAnswer.Status.SHORTLISTED).count() == 1
    for username in ("expert-1", "expert-2", "expert-3"):
        user = get_user_model().objects.get(username=username)
        assert "expert" in roles_of(user) and totp_secret(user)
    logged = {username for _role, username, _secret in result.logins}
    assert {"expert-1", "expert-2", "expert-3"} <= logged
    seal_pending()
    assert verify().ok


def _a_second_run_adds_nothing(data):
    _result, again = data
    counts = (ProjectApplication.objects.count(), Award.objects.count(), ExpertAssignment.objects.count())
    assert again().skipped
    assert (
        ProjectApplication.objects.count(),
        Award.objects.count(),
        ExpertAssignment.objects.count(),
    ) == counts
