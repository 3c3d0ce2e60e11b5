"""The award page shows the pay form only on the tranches payable now and says why the others are
not, by the rule the payment service applies (``tranche_rule.tranche_problem``), in a number of
queries that does not grow with the tranches."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.grants.models import AwardMilestone, Tranche
from innocluster.grants.selectors import awards as selectors
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


def _pay_forms(content: bytes) -> set[int]:
    return {int(pk) for pk in re.findall(rb"/tranches/(\d+)/pay/", content)}


def test_the_selector_and_the_service_agree(made, cast):
    first, second = made.tranches.order_by("position")
    rows = selectors.payable_tranches(made)
    assert rows[0].problem == ""
    assert rows[1].problem == tranches.payable_problem(second)
    assert "earlier tranches" in rows[1].problem
    tranches.pay(first, on=_today(), by=cast["finance"])
    rows = selectors.payable_tranches(made)
    assert rows[0].problem == "This tranche is paid."
    assert "milestone 1" in rows[1].problem
    second.refresh_from_db()
    assert rows[1].problem == tranches.payable_problem(second)
    accept_report(made, second.milestone)
    assert selectors.payable_tranches(made)[1].problem == ""


def test_only_payable_tranches_show_the_pay_form(client, made, cast):
    from tests.factories.accounts import login_with_2fa

    first, second = made.tranches.order_by("position")
    login_with_2fa(client, cast["finance"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert _pay_forms(page.content) == {first.pk}
    assert b"The earlier tranches are paid first." in page.content
    tranches.pay(first, on=_today(), by=cast["finance"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert _pay_forms(page.content) == set()
    assert b"The report on milestone 1" in page.content
    accept_report(made, second.milestone)
    agreements.suspend(made, reason="Audit", by=cast["executive"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert _pay_forms(page.content) == set() and b"no tranche is paid" in page.content
    agreements.resume(made, reason="Audit closed", by=cast["executive"])
    page = client.get(f"/staff/grants/awards/{made.pk}/")
    assert _pay_forms(page.content) == {second.pk}


def _add_tranches(award, count: int):
    """``count`` more milestones, each with its tranche and an accepted report."""
    last = award.milestones.order_by("-position").first()
    for step in range(1, count + 1):
        milestone = AwardMilestone.objects.create(
            award=award, position=last.position + step, title=f"Step {step}", due_on=last.due_on
        )
        Tranche.objects.create(
            award=award,
            position=award.tranches.count() + 1,
            milestone=milestone,
            amount=D("1000.00"),
            planned_on=last.due_on + dt.timedelta(days=step),
        )
        accept_report(award, milestone)


@pytest.mark.parametrize("who", ["finance", "executive"])
def test_the_page_queries_do_not_grow_with_the_tranches(client, made, cast, who):
    from tests.factories.accounts import login_with_2fa

    login_with_2fa(client, cast[who])
    url = f"/staff/grants/awards/{made.pk}/"
    assert client.get(url).status_code == 200  # warm the caches
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _add_tranches(made, 3)
    assert made.tranches.count() == 5
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.status_code == 200
    assert len(five.captured_queries) == len(two.captured_queries)


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", "Соглашение в редакции присуждения"), ("en", "Agreement as awarded")],
)
def test_the_first_version_is_named_in_the_readers_language(client, made, cast, language, words):
    """The first version's note is not stored in whoever awarded's language: each reader sees it
    in theirs."""
    from tests.factories.accounts import login_with_2fa

    assert made.versions.get(version=1).reason == ""
    login_with_2fa(client, cast["finance"])
    page = client.get(f"/staff/grants/awards/{made.pk}/", headers={"accept-language": language})
    assert words in page.content.decode()
