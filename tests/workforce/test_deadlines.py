"""The decision deadline in Kazakh working days (DOMAIN.md, deadline counting) and the SLA."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.manifest import metrics
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors import requests as selectors
from innocluster.workforce.services import requests
from tests.factories.workforce import draft_request, submitted_request

pytestmark = pytest.mark.django_db


def test_a_deadline_across_the_nauryz_holidays(people, employer):
    # 20 Mar (1); 21-25 Mar Nauryz and the days off carried from the weekend; 26 (2), 27 (3), 30 (4), 31 (5)
    request = submitted_request(employer, people["rep"], on=dt.date(2026, 3, 19))
    assert request.deadline == dt.date(2026, 3, 31)
    assert not selectors.is_breached(request, today=dt.date(2026, 3, 31))
    assert selectors.is_breached(request, today=dt.date(2026, 4, 1))


def test_a_return_stops_the_clock_and_a_resubmission_restarts_it(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = submitted_request(employer, rep, on=dt.date(2026, 3, 2))
    assert request.deadline == dt.date(2026, 3, 10)  # 3, 4, 5, 6, (9 Mar off: 8 March a Sunday) 10
    requests.return_for_revision(request, by=hr, reason="Blurred diploma.")
    request.refresh_from_db()
    assert request.deadline is None
    assert not selectors.is_breached(request, today=dt.date(2026, 4, 30))  # the employer's time
    requests.resubmit(request, by=rep, on=dt.date(2026, 4, 20))
    request.refresh_from_db()
    assert request.deadline == dt.date(2026, 4, 27)  # a full five working days again


def test_sla_breaches_and_compliance(people, employer):
    rep, hr = people["rep"], people["hr"]
    on_time = submitted_request(employer, rep, on=dt.date(2026, 4, 1))  # due 8 April
    requests.check(on_time, by=hr, on=dt.date(2026, 4, 2))
    requests.approve(on_time, by=hr, on=dt.date(2026, 4, 8))
    late = submitted_request(employer, rep, on=dt.date(2026, 4, 1))
    requests.refuse(late, by=hr, grounds="Not needed.", on=dt.date(2026, 4, 9))
    overdue = submitted_request(employer, rep, on=dt.date(2026, 4, 20))  # due 27 April, undecided
    draft_request(employer, rep)  # no deadline: not counted

    for row in (on_time, late, overdue):
        row.refresh_from_db()
    assert not selectors.is_breached(on_time) and selectors.is_breached(late)
    assert selectors.is_breached(overdue, today=dt.date(2026, 5, 4))
    assert [r.pk for r in selectors.breached_requests(dt.date(2026, 5, 4))] == [overdue.pk]

    figures = selectors.sla(dt.date(2026, 5, 4))
    assert (figures.decided, figures.on_time, figures.overdue, figures.breaches) == (2, 1, 1, 2)
    assert figures.compliance == Decimal("0.3333")
    # On 8 April only the first was due and it was decided on time.
    assert selectors.sla(dt.date(2026, 4, 8)).compliance == Decimal("1.0000")
    assert selectors.sla(dt.date(2026, 3, 1)).compliance is None  # nothing due yet

    found = metrics()
    assert found["workforce.sla_compliance"].value(dt.date(2026, 5, 4)) == Decimal("0.3333")
    assert found["workforce.sla_breaches"].value(dt.date(2026, 5, 4)) == 2
    assert found["workforce.pending"].value(dt.date(2026, 5, 4)) == 1
    assert found["workforce.active"].value(dt.date(2026, 6, 15)) == 0
    requests.activate(on_time, by=hr)
    assert found["workforce.active"].value(dt.date(2026, 6, 15)) == 1
    assert found["workforce.active"].value(dt.date(2026, 5, 31)) == 0  # the contract starts on 1 June
    assert EngagementRequest.objects.count() == 4


def test_the_request_page_warns_when_the_decision_deadline_crosses_kurban_ait_2026(client, people, employer):
    """Wednesday 20 May 2026 + 5 working days runs across the library's estimated 27 May."""
    from django.urls import reverse

    from innocluster.core.services import mark_year_checked, set_decree_override
    from tests.factories.accounts import login_with_2fa

    request = submitted_request(employer, people["rep"], on=dt.date(2026, 5, 20))
    assert request.deadline == dt.date(2026, 5, 28)
    login_with_2fa(client, people["hr"])
    url = reverse("workforce:request", args=[request.pk])
    html = client.get(url).content.decode()
    assert html.count('class="date-uncertain"') == 1 and "Eid al-Adha (estimated)" in html
    set_decree_override(day=dt.date(2026, 5, 27), is_working=False, decree="egov.kz calendar 2026 (test)")
    mark_year_checked(year=2026, decree="No transfers in 2026 (test)")
    html = client.get(url).content.decode()
    assert "date-uncertain" not in html and 'datetime="2026-05-28"' in html
