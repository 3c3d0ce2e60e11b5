"""The staff's XLSX downloads and charts of project financing: the expert commission's ranking, the
awards list and the grantee reports queue. Each download is the page's own rows under the page's
filters (same view, same permission), with a translated header and numbers as numbers; the awards
list and the queue draw a chart beside the table and cost the same queries for 2 awards as for 5."""

import base64
import datetime as dt
import io
import re
from decimal import Decimal
from itertools import pairwise

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.grants.models import Award, GranteeReport, Tranche
from innocluster.grants.selectors import reports as report_selectors
from innocluster.grants.services import expertise as expertise_services
from innocluster.grants.services import reports as report_services
from tests.factories.accounts import Person, login_with_2fa, make_people
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call
from tests.grants.reports_helpers import make_award

D = Decimal
pytestmark = pytest.mark.django_db
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


def workbook_rows(response):
    """The response's only sheet: its title and its rows (header first)."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert (
        response["Content-Disposition"].startswith("attachment")
        and ".xlsx" in response["Content-Disposition"]
    )
    assert response.content[:2] == b"PK"  # a zip, as every XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1
    sheet = book.active
    return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]


def chart_svg(text: str) -> str:
    """The SVG of the page's chart (an ``<img>`` with a data URI: the CSP refuses inline styles)."""
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', text)
    assert found, "the page has no chart"
    return base64.b64decode(found.group(1)).decode()


# --- the expert commission's ranking ----------------------------------------------------------


@pytest.fixture
def crew(people):
    return {
        **people,
        **make_people(
            {
                "e1": Person("expert", "e1"),
                "e2": Person("expert", "e2"),
                "chair": Person("expert_chair", "chair"),
            }
        ),
    }


def scores(novelty, market, team):
    values = {"novelty": novelty, "market": market, "team": team}
    return {code: {"value": v, "comment": "ok"} for code, v in values.items()}


@pytest.fixture
def ranked(programme, crew):
    """A call with two applications with the commission: the first reviewed twice (76.50 and
    56.50: a spread of 20, no disagreement), the second not yet reviewed."""
    call = publish_now(ready_call(programme, crew["pm"]), crew["pm2"])
    apps = []
    for title in ("Digital twin of a gas processing line", "=HYPERLINK(evil)"):
        participant = registered_participant(crew["rep"])
        apps.append(application(call, participant.organisation, crew["rep"], status="expertise",
                                participant=participant, title=title))  # fmt: skip
    for expert, values in ((crew["e1"], (8, 7, 4)), (crew["e2"], (8, 7, 0))):
        assignment = expertise_services.assign(apps[0], expert, by=crew["pm"])
        expertise_services.declare_conflict(assignment, by=expert, has_conflict=False)
        expertise_services.submit_review(assignment, by=expert, scores=scores(*values), opinion="expedient",
                                         opinion_text="ok")  # fmt: skip
    expertise_services.assign(apps[1], crew["e1"], by=crew["pm"])
    return call, apps


def test_the_ranking_downloads_the_tables_rows_with_numbers_as_numbers(client, ranked, crew):
    call, (reviewed, waiting) = ranked
    signed_in(client, crew["chair"])
    url = reverse("grants_expertise:ranking", args=[call.pk])
    page = client.get(url).content.decode()
    assert 'href="?format=xlsx"' in page
    assert "data:image/svg+xml;base64," in page  # the chart it already had
    title, rows = workbook_rows(client.get(url + "?format=xlsx"))
    assert title == "Ranking of the applications"
    assert rows[0][:3] == ["Application number", "Applicant", "Project title"]
    assert len(rows[0]) == 14 and rows[0][-1] == "Enough reviews"
    # the page's rows, in the page's order
    assert [r[0] for r in rows[1:]] == re.findall(r'class="rank-row" data-number="([^"]+)"', page)
    first, second = rows[1], rows[2]
    assert first[0] == reviewed.number and first[1] == reviewed.organisation.name
    assert first[2] == "Digital twin of a gas processing line"
    assert first[3:6] == [2, 2, 0]
    assert [D(str(v)).quantize(D("0.01")) for v in first[6:10]] == [
        D("66.50"),
        D("56.50"),
        D("76.50"),
        D("20.00"),
    ]
    assert first[10:14] == [2, 0, "no", "yes"]
    # not yet reviewed: blank scores, last; a formula-like title stays text
    assert second[0] == waiting.number and second[2] == "=HYPERLINK(evil)"
    assert second[3:6] == [0, 1, 0] and second[6:10] == [None, None, None, None]
    assert second[12:14] == ["no", "no"]


def test_the_rankings_header_is_in_the_readers_language(client, ranked, crew):
    call, _apps = ranked
    signed_in(client, crew["chair"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    title, rows = workbook_rows(
        client.get(reverse("grants_expertise:ranking", args=[call.pk]) + "?format=xlsx")
    )
    assert title == "Рейтинг заявок"
    assert rows[0][:3] == ["Номер заявки", "Заявитель", "Название проекта"]
    assert rows[1][12:14] == ["нет", "да"]


def test_an_expert_is_refused_the_rankings_xlsx(client, ranked, crew):
    call, _apps = ranked
    signed_in(client, crew["e1"])
    response = client.get(reverse("grants_expertise:ranking", args=[call.pk]) + "?format=xlsx")
    assert response.status_code == 403
    assert response["Content-Type"] != XLSX_TYPE


def test_the_ranking_of_no_call_is_404_for_the_xlsx_too(client, crew):
    signed_in(client, crew["chair"])
    assert client.get(reverse("grants_expertise:ranking", args=[999999]) + "?format=xlsx").status_code == 404


# --- the awards list --------------------------------------------------------------------------


def awards_of(programme, people, count: int) -> list[Award]:
    return [make_award(programme, people, number=f"AG-{n}", code=f"C{n}") for n in range(1, count + 1)]


@pytest.fixture
def two_awards(programme, people):
    """AG-1 with its advance of 3 million paid; AG-2 terminated, its tranches cancelled."""
    first, second = awards_of(programme, people, 2)
    Tranche.objects.filter(award=first, position=1).update(
        status=Tranche.Status.PAID, paid_on=dt.date.today()
    )
    Tranche.objects.filter(award=second).update(status=Tranche.Status.CANCELLED)
    Award.objects.filter(pk=second.pk).update(status=Award.Status.TERMINATED)
    return first, second


def test_the_awards_xlsx_has_the_pages_rows_with_the_amounts(client, two_awards, people):
    first, _second = two_awards
    signed_in(client, people["pm"])
    url = reverse("grants_awards:list")
    page = client.get(url).content.decode()
    assert 'href="?format=xlsx"' in page
    title, rows = workbook_rows(client.get(url + "?format=xlsx"))
    assert title == "Grant awards"
    assert rows[0] == ["Agreement", "Grantee", "Programme", "Project", "Amount awarded, ₸", "Paid so far, ₸",
                       "Still to pay, ₸", "Status", "Decision number", "Decision date"]  # fmt: skip
    numbers = [r[0] for r in rows[1:]]
    assert sorted(numbers) == ["AG-1", "AG-2"]
    on_page = [page.index(f">{n}</a>") for n in numbers]
    assert on_page == sorted(on_page)  # the page's order (newest first)
    row = {r[0]: r for r in rows[1:]}
    one, two = row["AG-1"], row["AG-2"]
    assert one[1] == first.application.organisation.name and one[2] == "IND"
    assert one[3] == "Digital twin of a gas processing line"
    assert [D(str(v)) for v in one[4:7]] == [D("15000000"), D("3000000"), D("12000000")]
    assert one[7] == "in progress" and one[8] == "D-AG-1"
    assert one[9].date() == first.decision.decided_on
    # terminated: nothing paid, nothing still to pay (its tranches are cancelled)
    assert [D(str(v)) for v in two[4:7]] == [D("15000000"), D("0"), D("0")]
    assert two[7] == "terminated"


def test_the_awards_list_draws_awarded_and_paid_per_programme(client, two_awards, people):
    signed_in(client, people["pm"])
    page = client.get(reverse("grants_awards:list")).content.decode()
    svg = chart_svg(page)
    assert svg.startswith("<svg") and "Amounts awarded and paid per programme" in svg
    assert "IND" in svg and "Amount awarded" in svg and "Paid so far" in svg
    assert '<figure class="chart"><img src="data:image/svg+xml' in page  # with the table


def test_the_awards_list_without_awards_has_no_chart_and_an_empty_xlsx(client, people):
    signed_in(client, people["pm"])
    page = client.get(reverse("grants_awards:list")).content.decode()
    assert "data:image/svg+xml" not in page and "No grant has been awarded yet." in page
    _title, rows = workbook_rows(client.get(reverse("grants_awards:list") + "?format=xlsx"))
    assert len(rows) == 1


def test_a_representative_is_refused_the_awards_xlsx(client, two_awards, people):
    signed_in(client, people["rep"])
    response = client.get(reverse("grants_awards:list") + "?format=xlsx")
    assert response.status_code == 403 and response["Content-Type"] != XLSX_TYPE


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_awards_list_and_its_xlsx_cost_the_same_queries_for_2_awards_as_for_5(client, programme, people):
    awards_of(programme, people, 2)
    signed_in(client, people["pm"])
    url = reverse("grants_awards:list")
    queries(client, url)  # warm: the session, the policy
    page, xlsx = queries(client, url), queries(client, url + "?format=xlsx")
    for n in range(3, 6):
        make_award(programme, people, number=f"AG-{n}", code=f"C{n}")
    assert Award.objects.count() == 5
    assert queries(client, url) == page
    assert queries(client, url + "?format=xlsx") == xlsx


# --- the grantee reports queue ----------------------------------------------------------------


def scheduled(programme, people, count: int) -> list[Award]:
    found = awards_of(programme, people, count)
    for award in found:
        report_services.schedule_reports(award, by=people["pm"])
    return found


@pytest.fixture
def queue(programme, people):
    """Two awards' reports: of the first, the earliest accepted, the next submitted, one far
    ahead (not late), the others as scheduled; of the second, one cancelled by an amendment."""
    first, second = scheduled(programme, people, 2)
    reports = list(first.reports.order_by("due_on", "id"))
    GranteeReport.objects.filter(pk=reports[0].pk).update(status=GranteeReport.Status.ACCEPTED)
    GranteeReport.objects.filter(pk=reports[1].pk).update(status=GranteeReport.Status.SUBMITTED)
    ahead = report_selectors.today() + dt.timedelta(days=400)
    GranteeReport.objects.filter(pk=reports[-1].pk).update(due_on=ahead)
    last = second.reports.order_by("-due_on").first()
    GranteeReport.objects.filter(pk=last.pk).update(status=GranteeReport.Status.CANCELLED)
    return first, second


def page_report_ids(text: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/staff/grants/reports/(\d+)/"', text)]


def expected(show: str = "") -> list[GranteeReport]:
    return list(report_selectors.report_queue(show=show, on=report_selectors.today()))


@pytest.mark.parametrize("show", ["", "late", "accepted", "due"])
def test_the_queues_xlsx_has_the_rows_shown_under_the_filters(client, queue, people, show):
    signed_in(client, people["pm"])
    url = reverse("grants_reports:queue") + (f"?show={show}" if show else "")
    page = client.get(url).content.decode()
    link = "?" + (f"show={show}&amp;" if show else "") + "format=xlsx"
    assert f'href="{link}"' in page
    title, rows = workbook_rows(client.get(url + ("&" if show else "?") + "format=xlsx"))
    assert title == "Grantee reports"
    assert rows[0] == [
        "Agreement",
        "Organisation",
        "Report kind",
        "Milestone",
        "Period end",
        "Due",
        "Status",
        "Late",
    ]
    reports = expected(show)
    assert [r.pk for r in reports] == page_report_ids(page)  # the same rows as the page …
    assert len(rows) - 1 == len(reports) > 0  # … one line each, in its order
    today = report_selectors.today()
    for line, report in zip(rows[1:], reports, strict=True):
        assert line[0] == report.award.number
        assert line[1] == report.award.application.organisation.name
        assert line[2] == str(report.get_kind_display())
        assert line[3] == (report.milestone.title if report.milestone else None)
        assert (line[4].date() if line[4] else None) == report.period_end
        assert line[5].date() == report.due_on
        assert line[6] == str(report.get_status_display())
        assert line[7] == ("yes" if report_selectors.is_late(report, today) else "no")
    if show == "late":
        assert {line[7] for line in rows[1:]} == {"yes"}
    if show == "accepted":
        assert [line[6] for line in rows[1:]] == ["accepted"]


def test_the_queue_filtered_by_another_programme_downloads_only_the_header(client, queue, people):
    signed_in(client, people["pm"])
    _title, rows = workbook_rows(
        client.get(reverse("grants_reports:queue") + "?programme=999999&format=xlsx")
    )
    assert rows == [rows[0]] and rows[0][0] == "Agreement"


def test_the_queues_chart_counts_the_reports_by_month_and_standing(client, queue, people):
    today = report_selectors.today()
    months = report_selectors.queue_by_month(on=today)
    reports = expected()
    counted = [r for r in reports if r.status != GranteeReport.Status.CANCELLED]
    assert sum(sum(c.values()) for _m, c in months) == len(counted)
    late = sum(c["late"] for _m, c in months)
    assert late == sum(1 for r in reports if report_selectors.is_late(r, today)) > 0
    assert sum(c["accepted"] for _m, c in months) == 1 and sum(c["submitted"] for _m, c in months) == 1
    firsts = [m for m, _c in months]
    assert {m for m, c in months if sum(c.values())} == {r.due_on.replace(day=1) for r in counted}
    assert firsts[0] == min(r.due_on for r in counted).replace(day=1)
    assert all((b - a).days in (28, 29, 30, 31) for a, b in pairwise(firsts))  # no gap
    assert report_selectors.queue_by_month(show="accepted", on=today)[0][1]["accepted"] == 1
    signed_in(client, people["pm"])
    page = client.get(reverse("grants_reports:queue")).content.decode()
    svg = chart_svg(page)
    assert "Grantee reports by month of the deadline" in svg
    for legend in ("Accepted", "Submitted", "Late"):
        assert legend in svg


def test_an_empty_queue_has_no_chart(client, people):
    signed_in(client, people["pm"])
    page = client.get(reverse("grants_reports:queue")).content.decode()
    assert "No reports match." in page and "data:image/svg+xml" not in page


def test_a_representative_is_refused_the_queues_xlsx(client, queue, people):
    signed_in(client, people["rep"])
    response = client.get(reverse("grants_reports:queue") + "?format=xlsx")
    assert response.status_code == 403 and response["Content-Type"] != XLSX_TYPE


def test_the_queue_and_its_xlsx_cost_the_same_queries_for_2_awards_as_for_5(client, programme, people):
    scheduled(programme, people, 2)
    signed_in(client, people["pm"])
    url = reverse("grants_reports:queue")
    queries(client, url)  # warm: the session, the policy
    page, xlsx = queries(client, url), queries(client, url + "?format=xlsx")
    for award in (make_award(programme, people, number=f"AG-{n}", code=f"C{n}") for n in range(3, 6)):
        report_services.schedule_reports(award, by=people["pm"])
    assert GranteeReport.objects.values("award").distinct().count() == 5
    assert queries(client, url) == page
    assert queries(client, url + "?format=xlsx") == xlsx
