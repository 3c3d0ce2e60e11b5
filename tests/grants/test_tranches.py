"""Paying tranches: the advance once the agreement is in force; tranche 2 only once milestone 1's
report is accepted; in order; never beyond the commitment; never while the award is suspended."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import Budget, Commitment, JournalLine
from innocluster.grants.services import agreements, tranches
from tests.grants.awards_support import accept_report, cast_fixture, make_award, org_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def made(programme, cast, org):
    return make_award(programme, cast, org)


def _today():
    from innocluster.core.policy import values as policy

    return policy.today()


def test_the_advance_then_tranche_2_after_milestone_1s_report(made, cast):
    first, second = made.tranches.order_by("position")
    with pytest.raises(ValidationError) as exc:  # in order
        tranches.pay(second, on=_today(), by=cast["finance"])
    assert set(exc.value.message_dict) == {"tranche"}
    paid = tranches.pay(first, on=_today(), by=cast["finance"])
    assert paid.status == "paid" and paid.paid_by == cast["finance"] and paid.paid_on == _today()
    lines = JournalLine.objects.filter(entry=paid.entry)
    assert {(line.account.key, line.debit, line.credit) for line in lines} == {
        (made.commitment.budget.line.expense_account.key, D("9000000.00"), D("0.00")),
        ("grants_payable", D("0.00"), D("9000000.00")),
    }
    commitment = Commitment.objects.get(pk=made.commitment_id)
    assert commitment.disbursed == D("9000000.00") and commitment.outstanding == D("6000000.00")
    with pytest.raises(ValidationError) as exc:  # milestone 1's report is not accepted
        tranches.pay(second, on=_today(), by=cast["finance"])
    assert "milestone 1" in exc.value.message_dict["tranche"][0]
    second.refresh_from_db()
    assert second.status == "planned" and second.entry is None
    accept_report(made, second.milestone)
    tranches.pay(second, on=_today(), by=cast["finance"])
    commitment.refresh_from_db()
    assert commitment.outstanding == 0 and commitment.status == "closed"
    budget = Budget.objects.get(pk=commitment.budget_id)
    assert budget.spent == D("15000000.00") and budget.committed == 0
    assert AuditEvent.objects.filter(action="grants.tranche.paid").count() == 2
    with pytest.raises(ValidationError):  # never twice
        tranches.pay(second, on=_today(), by=cast["finance"])


def test_a_payment_never_exceeds_the_commitment(made, cast):
    from innocluster.finance.services.budgets import release

    first = made.tranches.get(position=1)
    release(made.commitment, D("7000000.00"), reason="partly given back", by=cast["finance"])
    with pytest.raises(ValidationError) as exc:
        tranches.pay(first, on=_today(), by=cast["finance"])
    assert set(exc.value.message_dict) == {"amount"}
    assert "8000000.00" in exc.value.message_dict["amount"][0]
    first.refresh_from_db()
    assert first.status == "planned"
    assert Commitment.objects.get(pk=made.commitment_id).disbursed == 0


def test_a_suspended_award_pays_nothing_until_resumed(made, cast):
    first = made.tranches.get(position=1)
    agreements.suspend(made, reason="Audit under way", by=cast["executive"])
    with pytest.raises(ValidationError) as exc:
        tranches.pay(first, on=_today(), by=cast["finance"])
    assert "suspended" in exc.value.message_dict["tranche"][0]
    agreements.resume(made, reason="Audit closed", by=cast["executive"])
    assert tranches.pay(first, on=_today(), by=cast["finance"]).status == "paid"


def test_only_the_finance_officer_pays(made, cast):
    with pytest.raises(PermissionDenied):
        tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["pm"])


def test_the_finance_officer_pays_from_the_award_page(client, made, cast):
    from tests.factories.accounts import login_with_2fa

    first = made.tranches.get(position=1)
    login_with_2fa(client, cast["finance"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert page.status_code == 200 and f"/tranches/{first.pk}/pay/".encode() in page.content
    done = client.post(
        f"/staff/grants/awards/{made.pk}/tranches/{first.pk}/pay/", {"pay-on": _today().isoformat()}
    )
    assert done.status_code == 303
    first.refresh_from_db()
    assert first.status == "paid"
    second = made.tranches.get(position=2)
    refused = client.post(
        f"/staff/grants/awards/{made.pk}/tranches/{second.pk}/pay/", {"pay-on": _today().isoformat()}
    )
    assert refused.status_code == 400 and b"milestone 1" in refused.content
