"""Amendments within the reallocation tolerance (exactly 10% is allowed, more is refused), approved
by another person; termination cancels the planned tranches and releases the commitment; a
clawback posts a balanced receivable and never exceeds what was paid."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import Budget, Commitment, JournalLine
from innocluster.grants.models import AgreementVersion, Clawback
from innocluster.grants.services import agreements as svc
from innocluster.grants.services import tranches
from tests.grants.awards_support import accept_report, cast_fixture, make_award, org_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def made(programme, cast, org):
    """15 million: tranche 1 (advance) 9 million, tranche 2 6 million."""
    return make_award(programme, cast, org)


def _today():
    from innocluster.core.policy import values as policy

    return policy.today()


def test_exactly_the_tolerance_may_move_and_another_person_approves(made, cast):
    # 10% of 15 million is 1.5 million: tranche 2 down, tranche 1 up by exactly that.
    moves = {1: {"amount": "10500000.00"}, 2: {"amount": "4500000.00"}}
    too_much = {1: {"amount": "10500000.01"}, 2: {"amount": "4499999.99"}}
    with pytest.raises(ValidationError) as exc:
        svc.propose_amendment(made, milestones=too_much, reason="Equipment earlier", by=cast["pm"])
    assert set(exc.value.message_dict) == {"milestones"}
    assert not AgreementVersion.objects.filter(status="proposed").exists()
    version = svc.propose_amendment(made, milestones=moves, reason="Equipment earlier", by=cast["pm"])
    assert (version.version, version.status) == (2, "proposed")
    assert version.changes["milestones"]["1"]["amount"] == ["9000000.00", "10500000.00"]
    with pytest.raises(ValidationError) as exc:
        svc.approve_amendment(version, by=cast["pm"])
    assert set(exc.value.message_dict) == {"version"}
    svc.approve_amendment(version, by=cast["pm2"])
    assert [t.amount for t in made.tranches.order_by("position")] == [D("10500000.00"), D("4500000.00")]
    statuses = dict(made.versions.values_list("version", "status"))
    assert statuses == {1: "superseded", 2: "approved"}
    assert AuditEvent.objects.filter(action="grants.agreement.approved").count() == 1


def test_an_amendment_keeps_the_total_and_the_dates_in_order(made, cast):
    version1 = made.versions.get()
    with pytest.raises(ValidationError) as exc:
        svc.propose_amendment(made, milestones={2: {"amount": "6000000.01"}}, reason="More", by=cast["pm"])
    assert "total" in exc.value.message_dict["milestones"][0]
    with pytest.raises(ValidationError) as exc:
        svc.propose_amendment(made, ends_on=version1.starts_on, reason="Inverted", by=cast["pm"])
    assert set(exc.value.message_dict) == {"ends_on"}
    m1 = made.milestones.get(position=1)
    with pytest.raises(ValidationError) as exc:
        svc.propose_amendment(
            made, milestones={2: {"due_on": m1.due_on.replace(day=1)}}, reason="Early", by=cast["pm"]
        )
    assert "order" in exc.value.message_dict["milestones"][0]
    later = svc.propose_amendment(
        made, ends_on=version1.ends_on.replace(year=version1.ends_on.year + 1), reason="Delay", by=cast["pm"]
    )
    svc.refuse_amendment(later, reason="Not justified", by=cast["pm2"])
    later.refresh_from_db()
    assert later.status == "refused"
    m1.refresh_from_db()
    assert made.versions.get(status="approved").version == 1


def test_an_amendment_cannot_touch_a_paid_tranche(made, cast):
    first = made.tranches.get(position=1)
    tranches.pay(first, on=_today(), by=cast["finance"])
    with pytest.raises(ValidationError) as exc:
        svc.propose_amendment(
            made,
            milestones={1: {"amount": "8000000.00"}, 2: {"amount": "7000000.00"}},
            reason="x",
            by=cast["pm"],
        )
    assert "paid" in exc.value.message_dict["milestones"][0]


def test_termination_cancels_the_planned_tranches_and_releases(made, cast):
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    svc.terminate(made, reason="The grantee stopped the project", by=cast["executive"])
    made.refresh_from_db()
    assert made.status == "terminated" and made.closed_at is not None
    assert list(made.tranches.order_by("position").values_list("status", flat=True)) == ["paid", "cancelled"]
    commitment = Commitment.objects.get(pk=made.commitment_id)
    assert commitment.released == D("6000000.00") and commitment.outstanding == 0
    budget = Budget.objects.get(pk=commitment.budget_id)
    assert budget.committed == 0 and budget.spent == D("9000000.00")
    with pytest.raises(ValidationError):
        svc.resume(made, reason="again", by=cast["executive"])


def test_a_clawback_posts_a_balanced_receivable_within_what_was_paid(made, cast):
    with pytest.raises(ValidationError) as exc:  # nothing paid yet
        svc.clawback(made, amount="1.00", reason="Misuse", by=cast["executive"])
    assert set(exc.value.message_dict) == {"amount"}
    tranches.pay(made.tranches.get(position=1), on=_today(), by=cast["finance"])
    made_back = svc.clawback(made, amount="2000000.00", reason="Ineligible spending", by=cast["executive"])
    lines = list(JournalLine.objects.filter(entry=made_back.entry).select_related("account"))
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines) == D("2000000.00")
    receivable = next(line for line in lines if line.debit)
    assert receivable.account.key == "grants_refundable"
    assert receivable.party_id == made.application.organisation_id
    budget = Budget.objects.get(pk=made.commitment.budget_id)
    assert budget.spent == D("7000000.00")
    with pytest.raises(ValidationError) as exc:  # 9 million paid, 2 million already claimed
        svc.clawback(made, amount="7000000.01", reason="More", by=cast["executive"])
    assert "7000000.00" in exc.value.message_dict["amount"][0]
    assert Clawback.objects.count() == 1


# --- the agreement's PDF ------------------------------------------------------------------------


def _text(content: bytes) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().replace("\xa0", " ").replace("\u202f", " ").split())


def test_the_agreement_pdf_in_kazakh_and_russian(client, made, cast):
    from tests.factories.accounts import login_with_2fa

    login_with_2fa(client, cast["rep"])  # the grantee's representative
    kk = client.get(f"/portal/grants/agreements/{made.pk}/pdf/?lang=kk")
    assert kk.status_code == 200 and kk["Content-Type"] == "application/pdf"
    text = _text(kk.content)
    assert made.number in text and "15 000 000,00" in text
    assert "Грант беру туралы келісім".upper() in text.upper() and "БСН" in text
    assert "Соглашение" not in text
    client.logout()
    login_with_2fa(client, cast["pm"])
    ru = client.get(f"/portal/grants/agreements/{made.pk}/pdf/?lang=ru")
    text = _text(ru.content)
    assert made.number in text and "15 000 000,00" in text and "БИН" in text
    assert "келісім" not in text
    assert client.get(f"/portal/grants/agreements/{made.pk}/pdf/?lang=en").status_code == 404


def test_someone_elses_agreement_is_not_found(client, made, cast):
    from tests.factories.accounts import Person, login_with_2fa, make_people

    stranger = make_people({"other": Person("participant_rep", "other", enrolled=False)})["other"]
    login_with_2fa(client, stranger)
    assert client.get(f"/portal/grants/agreements/{made.pk}/pdf/?lang=kk").status_code == 404


def test_an_amendment_through_the_pages(client, made, cast):
    from tests.factories.accounts import login_with_2fa

    login_with_2fa(client, cast["pm"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert page.status_code == 200 and b'name="amend-amount_1"' in page.content
    data = {"amend-amount_1": "9500000.00", "amend-amount_2": "5500000.00", "amend-reason": "Equipment"}
    assert client.post(f"/staff/grants/awards/{made.pk}/amend/", data).status_code == 303
    version = made.versions.get(status="proposed")
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert b"approve/" not in page.content  # the proposer does not approve
    client.logout()
    login_with_2fa(client, cast["pm2"])
    done = client.post(f"/staff/grants/awards/{made.pk}/versions/{version.pk}/approve/")
    assert done.status_code == 303
    assert made.tranches.get(position=1).amount == D("9500000.00")
