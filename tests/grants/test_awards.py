"""The award: only on a decision of the body the authority matrix names for the amount, only
within the requested amount, the call's maximum and the budget (nothing is created on a refusal);
an award creates the commitment, the agreement's version 1, the milestones and the planned
tranches; a Managing Committee resolution awards through the executor for the item's amount."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.executors import carry_out, executor_for
from innocluster.finance.models import Budget, Commitment
from innocluster.grants.models import AgreementVersion, Award, AwardMilestone, Tranche
from innocluster.grants.services import awards as svc
from tests.grants.awards_support import awaiting, cast_fixture, decision, org_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _nothing_created(app):
    app.refresh_from_db()
    assert app.status == "decision" and app.decided_at is None
    assert not Award.objects.exists() and not Commitment.objects.exists()
    assert not Tranche.objects.exists() and not AgreementVersion.objects.exists()


def test_an_award_creates_commitment_version_milestones_and_tranches(programme, cast, org):
    app = awaiting(programme, cast, org)
    taken = decision(cast["executive"])
    made = svc.award(app, amount=D("15000000.00"), decision=taken, by=cast["executive"])
    app.refresh_from_db()
    assert app.status == "awarded" and app.decided_at is not None
    assert made.number.startswith("GA-") and made.number.endswith("-0001")
    assert made.decision == taken and made.amount == D("15000000.00")
    commitment = made.commitment
    assert commitment.amount == D("15000000.00") and commitment.party == app.organisation
    budget = Budget.objects.get(line=programme.budget_line)
    assert budget.committed == D("15000000.00")
    (version,) = made.versions.all()
    assert (version.version, version.status) == (1, "approved")
    assert (version.starts_on, version.ends_on) == (app.starts_on, app.ends_on)
    milestones = list(AwardMilestone.objects.filter(award=made))
    assert [m.position for m in milestones] == [1, 2]
    assert [m.due_on for m in milestones] == [m.due_on for m in app.milestones.order_by("position")]
    tranches = list(made.tranches.order_by("position"))
    # The advance equals milestone 1's amount; tranche 2 is milestone 2's, released by milestone 1.
    assert [(t.position, t.milestone_id, t.amount) for t in tranches] == [
        (1, None, D("9000000.00")),
        (2, milestones[0].pk, D("6000000.00")),
    ]
    assert all(t.status == "planned" for t in tranches)
    assert AuditEvent.objects.filter(action="grants.award.made").count() == 1
    from innocluster.core.notifications.models import Notification

    assert Notification.objects.filter(recipient=cast["rep"], key="grants.award.made").exists()


def test_an_award_below_the_request_scales_the_tranches(programme, cast, org):
    app = awaiting(programme, cast, org)
    made = svc.award(app, amount=D("10000000.01"), decision=decision(cast["executive"]), by=cast["executive"])
    amounts = [t.amount for t in made.tranches.order_by("position")]
    assert amounts == [D("6000000.01"), D("4000000.00")] and sum(amounts) == D("10000000.01")


def test_the_tranche_plan_without_milestones_is_one_payment():
    assert svc.plan_tranches(D("100.00"), []) == [(None, D("100.00"))]
    assert svc.plan_tranches(D("100.00"), [D("1"), D("1"), D("1")]) == [
        (None, D("33.33")),
        (0, D("33.33")),
        (1, D("33.34")),
    ]


def test_the_fund_executive_cannot_award_above_its_band(programme, cast, org):
    app = awaiting(programme, cast, org, requested=D("60000000.00"), max_amount=D("100000000.00"))
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("60000000.00"), decision=decision(cast["executive"]), by=cast["executive"])
    assert set(exc.value.message_dict) == {"decision"}
    assert "Managing Committee" in exc.value.message_dict["decision"][0]
    _nothing_created(app)


def test_a_decision_of_another_body_or_not_approving_is_refused(programme, cast, org):
    app = awaiting(programme, cast, org)
    wrong = decision(cast["executive"], body="board_of_trustees", number="BT-1")
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("1000000.00"), decision=wrong, by=cast["executive"])
    assert "decision" in exc.value.message_dict
    rejected = decision(cast["executive"], number="FE-2", outcome="rejected")
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("1000000.00"), decision=rejected, by=cast["executive"])
    assert "decision" in exc.value.message_dict
    _nothing_created(app)


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0.00", "amount"), ("15000000.01", "amount"), ("12.345", "amount"), ("abc", "amount")],
)
def test_the_amount_is_checked(programme, cast, org, amount, field):
    app = awaiting(programme, cast, org)
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=amount, decision=decision(cast["executive"]), by=cast["executive"])
    assert set(exc.value.message_dict) == {field}
    _nothing_created(app)


def test_the_calls_maximum_is_checked(programme, cast, org):
    app = awaiting(programme, cast, org, requested=D("25000000.00"))
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("25000000.00"), decision=decision(cast["executive"]), by=cast["executive"])
    assert "20000000.00" in exc.value.message_dict["amount"][0]
    _nothing_created(app)


def test_a_short_budget_refuses_the_award_and_creates_nothing(programme, cast, org):
    from innocluster.finance.services.budgets import revise_budget

    app = awaiting(programme, cast, org)
    budget = Budget.objects.get(line=programme.budget_line)
    revise_budget(programme.budget_line, budget.year, "levy", D("-490000000.00"), reason="cut")
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("15000000.00"), decision=decision(cast["executive"]), by=cast["executive"])
    assert set(exc.value.message_dict) == {"amount"}
    assert "10000000.00" in exc.value.message_dict["amount"][0]
    _nothing_created(app)
    budget.refresh_from_db()
    assert budget.committed == 0


def test_only_an_expedient_application_awaiting_the_decision_is_awarded(programme, cast, org):
    app = awaiting(programme, cast, org)
    app.opinion = "inexpedient"
    app.save(update_fields=["opinion"])
    with pytest.raises(ValidationError) as exc:
        svc.award(app, amount=D("1000000.00"), decision=decision(cast["executive"]), by=cast["executive"])
    assert set(exc.value.message_dict) == {"opinion"}
    app.status, app.opinion = "expertise", "expedient"
    app.save(update_fields=["status", "opinion"])
    with pytest.raises(ValidationError) as exc:
        svc.award(
            app,
            amount=D("1000000.00"),
            decision=decision(cast["executive"], number="FE-2"),
            by=cast["executive"],
        )
    assert set(exc.value.message_dict) == {"status"}
    assert not Award.objects.exists()


def test_only_the_fund_executive_awards(programme, cast, org):
    app = awaiting(programme, cast, org)
    with pytest.raises(PermissionDenied):
        svc.award(app, amount=D("1000000.00"), decision=decision(cast["executive"]), by=cast["pm"])
    _nothing_created(app)


def test_decide_and_award_records_the_decision_or_nothing(programme, cast, org):
    from innocluster.core.decisions.models import Decision

    app = awaiting(programme, cast, org)
    with pytest.raises(ValidationError):
        svc.decide_and_award(
            app, amount="16000000.00", number="FE-9", decided_on=app.call.opens_at.date(), basis="matrix",
            by=cast["executive"],
        )  # fmt: skip
    assert not Decision.objects.exists()
    made = svc.decide_and_award(
        app, amount="15000000.00", number="FE-9", decided_on=app.call.opens_at.date(), basis="matrix",
        by=cast["executive"],
    )  # fmt: skip
    assert made.decision.body == "fund_executive" and made.decision.number == "FE-9"


def test_decline(programme, cast, org):
    app = awaiting(programme, cast, org)
    taken = decision(cast["executive"], outcome="rejected")
    with pytest.raises(ValidationError) as exc:
        svc.decline(app, decision=taken, by=cast["executive"], reason=" ")
    assert set(exc.value.message_dict) == {"reason"}
    svc.decline(app, decision=taken, by=cast["executive"], reason="The market is too small")
    app.refresh_from_db()
    assert app.status == "declined" and app.decided_at is not None
    assert not Commitment.objects.exists()


# --- the executor -------------------------------------------------------------------------------


def test_the_manifest_declares_the_decision_type_and_its_executor():
    from innocluster.core.decisions.executors import declared_bodies

    executor = executor_for("grants.award")
    assert executor.model == "grants.projectapplication"
    assert declared_bodies("grants.award") == ("fund_executive", "managing_committee")


def test_a_managing_committee_resolution_awards_the_items_amount(programme, cast, org):
    app = awaiting(programme, cast, org, requested=D("70000000.00"), max_amount=D("100000000.00"))
    executor = executor_for("grants.award")
    assert executor.find(app.number) == app
    executor.check(app)
    taken = decision(cast["secretary"], body="managing_committee", number="2026/12")
    carry_out(executor, app, decision=taken, by=cast["secretary"], text="Award", amount=D("60000000.00"))
    made = Award.objects.get(application=app)
    assert made.amount == D("60000000.00") and made.decision == taken
    assert made.commitment.amount == D("60000000.00")
    assert sum(t.amount for t in made.tranches.all()) == D("60000000.00")
    with pytest.raises(ValidationError) as exc:
        executor.check(app)
    assert "status" in exc.value.message_dict


def test_the_executor_refuses_a_small_award_decided_by_the_committee(programme, cast, org):
    app = awaiting(programme, cast, org)
    executor = executor_for("grants.award")
    taken = decision(cast["secretary"], body="managing_committee", number="2026/13")
    with pytest.raises(ValidationError) as exc:
        carry_out(executor, app, decision=taken, by=cast["secretary"], text="Award")
    assert "Fund executive" in exc.value.message_dict["decision"][0]
    _nothing_created(app)


def test_the_executor_runs_only_for_someone_who_carries_out_decisions(programme, cast, org):
    app = awaiting(programme, cast, org, requested=D("60000000.00"), max_amount=D("100000000.00"))
    taken = decision(cast["secretary"], body="managing_committee", number="2026/14")
    with pytest.raises(PermissionDenied):
        carry_out(
            executor_for("grants.award"),
            app,
            decision=taken,
            by=cast["pm"],
            text="Award",
            amount=D("60000000.00"),
        )
    with pytest.raises(PermissionDenied):  # outside carry_out the secretary does not award
        svc.award(app, amount=D("60000000.00"), decision=taken, by=cast["secretary"])
    _nothing_created(app)


# --- the pages ------------------------------------------------------------------------------------


def test_the_executive_decides_and_awards_from_the_page(client, programme, cast, org):
    from tests.factories.accounts import login_with_2fa

    app = awaiting(programme, cast, org)
    login_with_2fa(client, cast["pm"])
    page = client.get(f"/staff/grants/awards/applications/{app.pk}/")
    assert page.status_code == 200 and b"Fund executive" in page.content
    assert b'name="award-amount"' not in page.content  # the programme manager sees who decides
    client.logout()
    login_with_2fa(client, cast["executive"])
    page = client.get(f"/staff/grants/awards/applications/{app.pk}/")
    assert b'name="award-amount"' in page.content
    data = {
        "award-amount": "16000000.00",
        "award-number": "FE-3",
        "award-decided_on": app.call.opens_at.date().isoformat(),
        "award-basis": "matrix",
    }
    refused = client.post(f"/staff/grants/awards/applications/{app.pk}/award/", data)
    assert refused.status_code == 400 and not Award.objects.exists()
    done = client.post(
        f"/staff/grants/awards/applications/{app.pk}/award/", {**data, "award-amount": "15000000.00"}
    )
    made = Award.objects.get()
    assert done.status_code == 303 and done["Location"] == f"/staff/grants/awards/{made.pk}/"
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert page.status_code == 200 and made.number.encode() in page.content
    listing = client.get("/staff/grants/awards/")
    assert listing.status_code == 200 and made.number.encode() in listing.content


def test_above_the_band_the_page_sends_the_award_to_the_committee(client, programme, cast, org):
    from tests.factories.accounts import login_with_2fa

    app = awaiting(programme, cast, org, requested=D("60000000.00"), max_amount=D("100000000.00"))
    login_with_2fa(client, cast["executive"])
    page = client.get(f"/staff/grants/awards/applications/{app.pk}/")
    assert b"Managing Committee" in page.content and b'name="award-amount"' not in page.content
