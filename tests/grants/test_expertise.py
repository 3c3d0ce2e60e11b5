"""The expert commission's services and selectors: assignment rules, conflict of interest, scores,
the weighted total, the aggregation's spread and disagreement flag, the chair's request for another
review and the commission's opinion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import almaty_date
from innocluster.core.decisions.models import Decision
from innocluster.core.notifications.models import Notification
from innocluster.grants import rules
from innocluster.grants.models import ApplicationStatus, AssignmentStatus, ExpertAssignment, Score
from innocluster.grants.selectors import expertise as selectors
from innocluster.grants.services import expertise as services
from tests.factories.accounts import Person, make_people
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(people):
    return {
        **people,
        **make_people(
            {
                "e1": Person("expert", "e1"),
                "e2": Person("expert", "e2"),
                "e3": Person("expert", "e3"),
                "chair": Person("expert_chair", "chair"),
            }
        ),
    }


@pytest.fixture
def call(programme, crew):
    return publish_now(ready_call(programme, crew["pm"]), crew["pm2"])


@pytest.fixture
def org(crew):
    return registered_participant(crew["rep"])


def make_app(call, org, crew, status="expertise", **kw):
    participant = org
    return application(
        call, participant.organisation, crew["rep"], status=status, participant=participant, **kw
    )


@pytest.fixture
def app(call, org, crew):
    return make_app(call, org, crew)


def full_scores(novelty=8, market=7, team=4, comment="Reasoned."):
    return {
        "novelty": {"value": novelty, "comment": comment},
        "market": {"value": market, "comment": comment},
        "team": {"value": team, "comment": comment},
    }


def reviewed(app, expert, pm, **scores):
    assignment = services.assign(app, expert, by=pm)
    services.declare_conflict(assignment, by=expert, has_conflict=False)
    return services.submit_review(
        assignment, by=expert, scores=full_scores(**scores), opinion="expedient", opinion_text="Worth it."
    )


# --- assignment -----------------------------------------------------------------------------------


def test_assign_sets_the_due_date_from_the_rule_notifies_and_audits(app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    today = almaty_date(timezone.now())
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert assignment.round == 1
    assert assignment.due_on == rules.review_due(assigned_on=today)
    assert Notification.objects.filter(recipient=crew["e1"], object_id=str(assignment.pk)).exists()
    assert AuditEvent.objects.filter(action="grants.expertise.assigned").count() == 1


def test_assign_refuses_a_user_without_the_expert_role(app, crew):
    with pytest.raises(ValidationError) as exc:
        services.assign(app, crew["auditor"], by=crew["pm"])
    assert "expert" in exc.value.message_dict
    assert not ExpertAssignment.objects.exists()


def test_assign_refuses_the_same_expert_twice_in_a_round(app, crew):
    services.assign(app, crew["e1"], by=crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.assign(app, crew["e1"], by=crew["pm"])
    assert "expert" in exc.value.message_dict
    assert ExpertAssignment.objects.count() == 1


@pytest.mark.parametrize("status", ["submitted", "preselection", "decision"])
def test_assign_refuses_an_application_not_with_the_commission(call, org, crew, status):
    other = make_app(call, org, crew, status=status)
    with pytest.raises(ValidationError) as exc:
        services.assign(other, crew["e1"], by=crew["pm"])
    assert "status" in exc.value.message_dict
    assert not ExpertAssignment.objects.exists()


def test_assign_needs_the_programme_manager(app, crew):
    with pytest.raises(PermissionDenied):
        services.assign(app, crew["e1"], by=crew["chair"])


def test_cancel_needs_a_reason_and_an_open_assignment_and_frees_the_expert(app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.cancel_assignment(assignment, by=crew["pm"], reason=" ")
    assert "reason" in exc.value.message_dict
    services.cancel_assignment(assignment, by=crew["pm"], reason="Left the Fund's pool")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED
    again = services.assign(app, crew["e1"], by=crew["pm"])  # the cancelled row is put back to work
    assert again.pk == assignment.pk and again.status == AssignmentStatus.ASSIGNED
    done = reviewed(app, crew["e2"], crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.cancel_assignment(done, by=crew["pm"], reason="Too late")
    assert "status" in exc.value.message_dict


def test_load_counts_open_and_submitted_and_the_nearest_due_date(call, org, crew, app):
    second = make_app(call, org, crew, title="Second project")
    services.assign(app, crew["e1"], by=crew["pm"])
    a2 = services.assign(second, crew["e1"], by=crew["pm"])
    services.declare_conflict(a2, by=crew["e1"], has_conflict=False)  # reviewing: still open
    reviewed(app, crew["e2"], crew["pm"])
    recused = services.assign(second, crew["e3"], by=crew["pm"])
    services.declare_conflict(recused, by=crew["e3"], has_conflict=True, details="My brother's company")
    load = {row.expert.username: row for row in selectors.expert_load()}
    assert (load["e1"].open, load["e1"].submitted) == (2, 0)
    assert load["e1"].nearest_due == rules.review_due(assigned_on=almaty_date(timezone.now()))
    assert (load["e2"].open, load["e2"].submitted) == (0, 1)
    assert (load["e3"].open, load["e3"].submitted, load["e3"].nearest_due) == (0, 0, None)
    assert next(iter(load)) in ("e2", "e3")  # the least loaded first


# --- conflict of interest -------------------------------------------------------------------------


def test_a_conflict_needs_details_and_recuses_the_expert_who_then_cannot_score(app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.declare_conflict(assignment, by=crew["e1"], has_conflict=True, details="")
    assert "details" in exc.value.message_dict
    services.declare_conflict(assignment, by=crew["e1"], has_conflict=True, details="Former employer")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED and assignment.conflict_note == "Former employer"
    for action in (services.save_draft, services.submit_review):
        with pytest.raises(ValidationError) as exc:
            action(assignment, by=crew["e1"], scores=full_scores(), opinion="expedient", opinion_text="x")
        assert "status" in exc.value.message_dict
    assert not Score.objects.exists()
    assert selectors.readable_assignment(crew["e1"], assignment.pk) is None
    # A recused expert is never asked again on this application.
    with pytest.raises(ValidationError) as exc:
        services.request_review(app, crew["e1"], reason="Try again", by=crew["chair"])
    assert "expert" in exc.value.message_dict


def test_only_the_assigned_expert_declares_and_scores(app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.declare_conflict(assignment, by=crew["e2"], has_conflict=False)
    assert "expert" in exc.value.message_dict
    assert selectors.assignment_of(crew["e2"], assignment.pk) is None
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


# --- scores ---------------------------------------------------------------------------------------


@pytest.fixture
def reviewing(app, crew):
    assignment = services.assign(app, crew["e1"], by=crew["pm"])
    return services.declare_conflict(assignment, by=crew["e1"], has_conflict=False)


def test_a_score_out_of_range_is_refused_naming_the_criterion(reviewing, crew):
    with pytest.raises(ValidationError) as exc:
        services.submit_review(
            reviewing, by=crew["e1"], scores=full_scores(team=6), opinion="expedient", opinion_text="x"
        )
    assert set(exc.value.message_dict) == {"score_team"}
    with pytest.raises(ValidationError) as exc:
        services.save_draft(reviewing, by=crew["e1"], scores={"novelty": {"value": -1, "comment": "x"}})
    assert "score_novelty" in exc.value.message_dict
    assert not Score.objects.exists()


def test_submission_needs_every_criterion_a_comment_and_the_opinion(reviewing, crew):
    scores = full_scores()
    del scores["market"]
    scores["team"]["comment"] = ""
    with pytest.raises(ValidationError) as exc:
        services.submit_review(reviewing, by=crew["e1"], scores=scores, opinion="", opinion_text="")
    assert set(exc.value.message_dict) == {"score_market", "comment_team", "opinion", "opinion_text"}
    reviewing.refresh_from_db()
    assert reviewing.status == AssignmentStatus.REVIEWING and reviewing.total is None
    assert not Score.objects.exists()


def test_a_draft_keeps_the_scores_and_the_submission_completes_them(reviewing, crew):
    services.save_draft(
        reviewing, by=crew["e1"], scores={"novelty": {"value": 9, "comment": "New"}}, opinion="expedient"
    )
    assert {s.criterion.code: s.value for s in Score.objects.select_related("criterion")} == {"novelty": 9}
    reviewing.refresh_from_db()
    assert reviewing.status == AssignmentStatus.REVIEWING and reviewing.opinion == "expedient"
    done = services.submit_review(
        reviewing, by=crew["e1"], scores=full_scores(), opinion="expedient", opinion_text="Good"
    )
    assert done.status == AssignmentStatus.SUBMITTED
    assert Score.objects.count() == 3
    with pytest.raises(ValidationError) as exc:  # final
        services.save_draft(done, by=crew["e1"], scores=full_scores())
    assert "status" in exc.value.message_dict


def test_total_is_the_weighted_sum_over_the_scales(reviewing, crew):
    # weights 40/35/25, scales 10/10/5: 40×8/10 + 35×7/10 + 25×4/5 = 32 + 24.5 + 20 = 76.50
    done = services.submit_review(
        reviewing, by=crew["e1"], scores=full_scores(8, 7, 4), opinion="expedient", opinion_text="Good"
    )
    assert done.total == D("76.50")
    criteria = {c.code: c for c in reviewing.application.call.criteria.all()}
    pairs = [(criteria["novelty"], 10), (criteria["market"], 10), (criteria["team"], 5)]
    assert services.weighted_total(pairs) == D("100.00")
    pairs = [(criteria["novelty"], 1), (criteria["market"], 3), (criteria["team"], 1)]
    assert services.weighted_total(pairs) == D("19.50")  # 4 + 10.5 + 5
    assert services.weighted_total([(criteria["novelty"], 0)]) == D("0.00")


# --- aggregation ----------------------------------------------------------------------------------


def _row(call, app):
    return next(r for r in selectors.ranking(call) if r.application.pk == app.pk)


def test_ranking_counts_spread_and_a_spread_of_exactly_20_points_is_not_a_disagreement(call, org, crew):
    even = make_app(call, org, crew, title="Even")
    # 76.50 and 56.50: a spread of exactly 20.00 points (threshold 0.20 × 100)
    reviewed(even, crew["e1"], crew["pm"], novelty=8, market=7, team=4)
    reviewed(even, crew["e2"], crew["pm"], novelty=8, market=7, team=0)
    recused = services.assign(even, crew["e3"], by=crew["pm"])
    services.declare_conflict(recused, by=crew["e3"], has_conflict=True, details="Shareholder")
    row = _row(call, even)
    assert (row.submitted, row.assigned, row.recused) == (2, 3, 1)
    assert (row.low, row.high, row.spread, row.mean) == (D("56.50"), D("76.50"), D("20.00"), D("66.50"))
    assert (row.expedient, row.inexpedient) == (2, 0)
    assert row.disagreement is False
    assert row.enough is True


def test_a_spread_of_20_01_points_is_a_disagreement(policy_loaded):
    on = almaty_date(timezone.now())
    assert rules.disagreement(totals=[D("76.51"), D("56.50")], on=on) is True
    assert rules.disagreement(totals=[D("76.50"), D("56.50")], on=on) is False


def test_ranking_flags_a_disagreement_above_the_threshold_and_orders_by_mean(call, org, crew):
    split = make_app(call, org, crew, title="Split")
    top = make_app(call, org, crew, title="Top")
    # 100.00 and 56.50: 43.50 points apart
    reviewed(split, crew["e1"], crew["pm"], novelty=10, market=10, team=5)
    reviewed(split, crew["e2"], crew["pm"], novelty=8, market=7, team=0)
    reviewed(top, crew["e1"], crew["pm"], novelty=10, market=10, team=5)
    rows = selectors.ranking(call)
    assert [r.application.pk for r in rows] == [top.pk, split.pk]
    assert _row(call, split).disagreement is True
    single = _row(call, top)
    assert single.disagreement is False and single.enough is False and single.spread == D("0.00")


def test_ranking_costs_the_same_queries_for_more_applications(call, org, crew):
    first = make_app(call, org, crew, title="One")
    reviewed(first, crew["e1"], crew["pm"])
    selectors.ranking(call)
    with CaptureQueriesContext(connection) as one:
        selectors.ranking(call)
    for n in range(3):
        more = make_app(call, org, crew, title=f"More {n}")
        reviewed(more, crew["e1"], crew["pm"], novelty=n)
    with CaptureQueriesContext(connection) as four:
        rows = selectors.ranking(call)
    assert len(rows) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_ranking_reads_each_rule_once_whatever_the_spreads(call, org, crew):
    """Two reviews each, with a different spread per application: the disagreement rule is read
    once, not once per distinct (lowest, highest) pair."""
    first = make_app(call, org, crew, title="One")
    reviewed(first, crew["e1"], crew["pm"], novelty=0)
    reviewed(first, crew["e2"], crew["pm"], novelty=10)
    with CaptureQueriesContext(connection) as one:
        selectors.ranking(call)
    for n in range(1, 4):
        more = make_app(call, org, crew, title=f"More {n}")
        reviewed(more, crew["e1"], crew["pm"], novelty=n)
        reviewed(more, crew["e2"], crew["pm"], novelty=10 - n)
    with CaptureQueriesContext(connection) as four:
        rows = selectors.ranking(call)
    assert len({row.spread for row in rows}) == 4
    assert [row.disagreement for row in rows].count(True) >= 1  # the widest spread is flagged
    assert len(four.captured_queries) == len(one.captured_queries)


# --- the chair ------------------------------------------------------------------------------------


def test_the_chairs_request_opens_a_new_round_with_the_reason(app, crew):
    reviewed(app, crew["e1"], crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.request_review(app, crew["e2"], reason="", by=crew["chair"])
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.request_review(app, crew["e2"], reason="Scores differ", by=crew["pm"])
    extra = services.request_review(app, crew["e2"], reason="Scores differ", by=crew["chair"])
    assert (extra.round, extra.reason, extra.status) == (2, "Scores differ", AssignmentStatus.ASSIGNED)
    assert extra.due_on is not None
    # the same expert may be asked again in the new round
    again = services.request_review(app, crew["e1"], reason="Second look", by=crew["chair"])
    assert again.round == 3
    assert AuditEvent.objects.filter(action="grants.expertise.requested").count() == 2


def _opinion(app, crew, opinion="expedient", number="EC-1"):
    return services.give_opinion(
        app, opinion=opinion, by=crew["chair"], number=number,
        decided_on=almaty_date(timezone.now()), basis="Expertise rules (2015), item 20",
    )  # fmt: skip


def test_the_opinion_is_refused_with_one_review_and_recorded_with_two(app, crew):
    reviewed(app, crew["e1"], crew["pm"])
    with pytest.raises(ValidationError) as exc:
        _opinion(app, crew)
    assert "opinion" in exc.value.message_dict
    app.refresh_from_db()
    assert app.status == ApplicationStatus.EXPERTISE and not Decision.objects.exists()
    reviewed(app, crew["e2"], crew["pm"])
    done = _opinion(app, crew)
    assert done.status == ApplicationStatus.DECISION and done.opinion == "expedient"
    decision = done.opinion_decision
    assert (decision.body, decision.outcome, decision.number) == ("expert_commission", "approved", "EC-1")
    assert done.opinion_at is not None
    assert AuditEvent.objects.filter(action="grants.expertise.opinion").exists()
    assert Notification.objects.filter(recipient=crew["rep"], object_id=str(app.pk)).exists()
    with pytest.raises(ValidationError) as exc:  # given once
        _opinion(app, crew, number="EC-2")
    assert "status" in exc.value.message_dict


def test_an_inexpedient_opinion_declines_and_a_bad_decision_changes_nothing(app, crew):
    reviewed(app, crew["e1"], crew["pm"])
    reviewed(app, crew["e2"], crew["pm"])
    with pytest.raises(ValidationError) as exc:
        services.give_opinion(
            app, opinion="inexpedient", by=crew["chair"], number="", basis="x",
            decided_on=almaty_date(timezone.now()) + dt.timedelta(days=5),
        )  # fmt: skip
    assert {"number", "decided_on"} <= set(exc.value.message_dict)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.EXPERTISE and not app.opinion
    done = _opinion(app, crew, opinion="inexpedient")
    assert done.status == ApplicationStatus.DECLINED
    assert done.opinion_decision.outcome == "rejected"
