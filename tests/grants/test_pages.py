"""The staff pages, the public list of calls and the API: who sees what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from innocluster.grants.models import Call, CallStatus
from innocluster.grants.services import calls
from tests.factories.accounts import login_with_2fa
from tests.grants.conftest import ready_call, window

D = Decimal
pytestmark = pytest.mark.django_db


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


@pytest.fixture
def published(programme, people):
    call = ready_call(programme, people["pm"], code="OPEN", title_en="Open call for robots")
    calls.submit_call(call, by=people["pm"])
    return calls.approve_call(call, by=people["pm2"])


@pytest.fixture
def draft(programme, people):
    return ready_call(programme, people["pm"], code="DRAFT", title_en="Draft call for drones", budget=D("1000000.00"),
                      max_amount=D("100000.00"))  # fmt: skip


def test_public_page_lists_a_published_open_call_and_not_a_draft(client, published, draft):
    response = client.get("/grants/calls/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Open call for robots" in text
    assert "Draft call for drones" not in text
    # The window in Almaty time: 10:00 there whatever the instant's zone in the database.
    opens = published.opens_at.astimezone(__import__("innocluster.core.calendar", fromlist=["ALMATY"]).ALMATY)
    assert opens.strftime("%d.%m.%Y") + " 10:00" in text
    assert "Business plan" in text and "Novelty" in text and "Company" in text
    assert "20,000,000.00\xa0₸" in text  # the largest award
    assert "20%" in text  # the minimum co-financing share


def test_public_page_lists_a_coming_call_apart(client, programme, people):
    opens, closes = window(10, 20)
    call = ready_call(
        programme, people["pm"], code="SOON", title_en="Coming call", opens_at=opens, closes_at=closes
    )
    calls.submit_call(call, by=people["pm"])
    calls.approve_call(call, by=people["executive"])
    text = client.get("/grants/calls/").content.decode()
    assert text.index("Coming call") > text.index("coming-h")


def test_public_page_in_russian(client, published, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    text = client.get("/grants/calls/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Индустриальные инновации 2026" in text


def test_participant_representative_gets_403_on_staff_pages(client, people, published):
    signed_in(client, people["rep"])
    for url in (
        "/staff/grants/",
        reverse("grants:programme", args=[published.programme_id]),
        reverse("grants:call", args=[published.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("grants:call_withdraw", args=[published.pk]), {"withdraw-reason": "x"}
        ).status_code
        == 403
    )
    assert client.get("/grants/calls/").status_code == 200


def test_auditor_reads_but_cannot_edit(client, people, draft):
    signed_in(client, people["auditor"])
    assert client.get("/staff/grants/").status_code == 200
    page = client.get(reverse("grants:call", args=[draft.pk]))
    assert page.status_code == 200 and b"Save the call" not in page.content
    assert client.post(reverse("grants:call_submit", args=[draft.pk])).status_code == 403


def test_manager_drafts_a_call_in_the_browser_and_another_approves(client, people, programme):
    signed_in(client, people["pm"])
    index = client.get("/staff/grants/")
    assert index.status_code == 200 and b"Grants for industrial innovation" in index.content
    year = programme.budget_line.budgets.get().year
    response = client.post(
        reverse("grants:call_create", args=[programme.pk]),
        {
            "call-code": "WEB", "call-title_en": "Web call", "call-opens_at": "2020-01-01T10:00",
            "call-closes_at": "2099-01-01T18:00", "call-year": year, "call-budget": "1000000",
            "call-max_amount": "200000", "call-max_months": "12", "call-cofinancing_share": "0.1",
            "call-eligible_categories": ["company"],
        },
    )  # fmt: skip
    assert response.status_code == 303
    call = Call.objects.get(code="WEB")
    assert call.closes_at.hour == 13  # 18:00 in Almaty is 13:00 UTC
    page = client.get(reverse("grants:call", args=[call.pk]))
    assert b"List at least one required document." in page.content
    # Submitting an incomplete call: refused, the reasons shown, nothing changes.
    refused = client.post(reverse("grants:call_submit", args=[call.pk]))
    assert refused.status_code == 400 and b"Add at least one scoring criterion." in refused.content
    client.post(reverse("grants:document_add", args=[call.pk]),
                {"document-code": "plan", "document-title_en": "Plan", "document-required": "on"})  # fmt: skip
    bad = client.post(
        reverse("grants:criterion_add", args=[call.pk]),
        {
            "criterion-code": "x",
            "criterion-title_en": "X",
            "criterion-weight": "100",
            "criterion-scale_max": "0",
        },
    )
    assert bad.status_code == 400
    client.post(
        reverse("grants:criterion_add", args=[call.pk]),
        {
            "criterion-code": "x",
            "criterion-title_en": "X",
            "criterion-weight": "100",
            "criterion-scale_max": "5",
        },
    )
    assert client.post(reverse("grants:call_submit", args=[call.pk])).status_code == 303
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED
    # The submitter sees no approve button and is refused by the service.
    assert b"Approve and publish" not in client.get(reverse("grants:call", args=[call.pk])).content
    assert client.post(reverse("grants:call_approve", args=[call.pk])).status_code == 400
    second = signed_in(type(client)(), people["pm2"])
    assert b"Approve and publish" in second.get(reverse("grants:call", args=[call.pk])).content
    assert second.post(reverse("grants:call_approve", args=[call.pk])).status_code == 303
    assert Call.objects.get(pk=call.pk).status == CallStatus.PUBLISHED


def test_return_in_the_browser_needs_a_reason(client, people, programme):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    signed_in(client, people["executive"])
    assert (
        client.post(reverse("grants:call_return", args=[call.pk]), {"return-reason": ""}).status_code == 400
    )
    ok = client.post(
        reverse("grants:call_return", args=[call.pk]), {"return-reason": "Add a criterion on jobs"}
    )
    assert ok.status_code == 303
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_api_lists_published_calls_only(client, published, draft, people):
    submitted = ready_call(
        published.programme, people["pm"], code="WAIT", budget=D("1000000.00"), max_amount=D("1000.00")
    )
    calls.submit_call(submitted, by=people["pm"])
    response = client.get("/api/v1/grants/calls/")
    assert response.status_code == 200
    body = response.json()
    assert [row["code"] for row in body["results"]] == ["OPEN"]
    row = body["results"][0]
    assert row["phase"] == "open" and row["eligible_categories"] == ["company", "science_org"]
    assert [c["weight"] for c in row["criteria"]] == ["40.00", "35.00", "25.00"]
    assert [d["code"] for d in row["documents"]] == ["business_plan", "letters"]


def _tabs(html: str) -> list[str]:
    """The hrefs of the project-financing tabs on a page, in order."""
    import re

    found = re.search(r'<nav class="subnav" aria-label="Project financing">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', found.group(1)) if found else []


def test_staff_see_one_navigation_entry_and_the_stages_as_tabs(client, people):
    html = signed_in(client, people["pm"]).get("/staff/grants/applications/").content.decode()
    assert html.count('href="/staff/grants/"') >= 2  # the navigation entry and the first tab
    assert "Project financing" in html and "Pre-selection by subsoil users</a>" not in html
    assert _tabs(html) == [
        "/staff/grants/",
        "/staff/grants/applications/",
        "/staff/grants/preselection/",
        "/staff/grants/expertise/",
        "/staff/grants/awards/",
        "/staff/grants/reports/",
    ]
    assert 'href="/staff/grants/applications/" aria-current="page"' in html
    assert 'href="/staff/grants/" aria-current="page"' not in html


def test_tabs_show_only_the_stages_the_reader_may_open(client, people):
    html = signed_in(client, people["auditor"]).get("/staff/grants/").content.decode()
    tabs = _tabs(html)
    assert "/staff/grants/preselection/" not in tabs  # the auditor does not manage financers
    assert "/staff/grants/expertise/" in tabs and "/staff/grants/awards/" in tabs
    assert 'href="/staff/grants/" aria-current="page"' in html


def test_the_chair_of_the_commission_has_an_entry_and_no_tabs(client, people):
    from tests.factories.accounts import Person, make_people

    chair = make_people({"chair": Person("expert_chair", "chair")})["chair"]
    html = signed_in(client, chair).get("/staff/grants/expertise/").content.decode()
    assert 'href="/staff/grants/expertise/"' in html  # the navigation entry
    assert _tabs(html) == []
    assert signed_in(client, chair).get("/staff/grants/").status_code == 403
