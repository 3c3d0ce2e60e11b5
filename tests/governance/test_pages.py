"""The bodies' pages: staff and the auditor read every body; a member reads the bodies they sit
on (403 on the others); a participant's representative gets 403; anonymous goes to the login."""

import datetime as dt

import pytest
from django.urls import reverse

from innocluster.core.policy import values as policy
from innocluster.governance.models import Position
from innocluster.governance.services.members import appoint, end_term
from tests.factories.accounts import Person
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db

PEOPLE = {
    "trustee": Person("trustee", "trustee"),
    "member": Person("committee_member", "committee-member"),
    "auditor": Person("auditor", "auditor"),
    "secretary": Person("corporate_secretary", "secretary"),
    "rep": "rep",
}


@pytest.fixture
def seated(people, board, committee):
    today = policy.today()
    appoint(
        board,
        full_name="Нұрланова Динара",
        position=Position.MEMBER,
        term_start=board.exists_from,
        user=people["trustee"],
        organisation="Назарбаев Университет",
    )
    appoint(board, full_name="Сәрсенбаев Ерлан", position=Position.CHAIR, term_start=board.exists_from)
    gone = appoint(board, full_name="Ахметов Бауыржан", term_start=board.exists_from)
    end_term(gone, on=today - dt.timedelta(days=1), reason="resigned")
    appoint(committee, full_name="Қасымов Ержан", term_start=committee.exists_from, user=people["member"])
    return people


def test_a_trustee_sees_their_body_with_composition_and_rules(seated, board):
    page = client_for(seated["trustee"]).get(reverse("governance:body", args=[board.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Board of Trustees" in text and "the President of the Republic of Kazakhstan" in text
    assert "Нұрланова Динара" in text and "Сәрсенбаев Ерлан" in text
    members = page.context["members"]
    assert members[0].full_name == "Сәрсенбаев Ерлан"  # the chair first
    assert "Ахметов Бауыржан" not in {m.full_name for m in members}  # the ended term is not current
    assert "Ахметов Бауыржан" in {m.full_name for m in page.context["past"]}
    assert "2/3 of the members" in text and "14 calendar days" in text
    assert "simple majority of the members present" in text and "Design default" in text


def test_a_trustee_may_not_read_a_body_they_do_not_sit_on(seated, committee):
    assert (
        client_for(seated["trustee"]).get(reverse("governance:body", args=[committee.pk])).status_code == 403
    )
    assert (
        client_for(seated["member"]).get(reverse("governance:body", args=[committee.pk])).status_code == 200
    )


def test_the_list_shows_the_bodies_in_force_today_and_links_the_readable_ones(seated, board, committee):
    page = client_for(seated["trustee"]).get(reverse("governance:bodies"))
    assert page.status_code == 200
    rows = {row["body"].code: row for row in page.context["rows"]}
    assert set(rows) == {
        "board_of_trustees",
        "managing_committee",
        "fund_executive",
        "selection_commission",
        "expert_commission",
    }
    assert {row["body"].regime.code for row in rows.values()} == {policy.regime_on(policy.today())}
    assert rows["board_of_trustees"]["readable"] and not rows["managing_committee"]["readable"]
    assert reverse("governance:body", args=[board.pk]) in page.content.decode()
    assert reverse("governance:body", args=[committee.pk]) not in page.content.decode()


def test_the_list_on_a_past_day_shows_the_first_regimes_bodies(seated):
    page = client_for(seated["auditor"]).get(reverse("governance:bodies"), {"on": "2020-01-01"})
    assert page.status_code == 200
    assert {row["body"].regime.code for row in page.context["rows"]} == {"pit-2014"}
    assert all(row["readable"] for row in page.context["rows"])


def test_staff_and_the_auditor_read_every_body(seated, committee):
    for who in ("auditor", "secretary"):
        assert client_for(seated[who]).get(reverse("governance:body", args=[committee.pk])).status_code == 200


def test_a_participant_and_anonymous_are_refused(seated, client, board):
    rep = client_for(seated["rep"])
    assert rep.get(reverse("governance:bodies")).status_code == 403
    assert rep.get(reverse("governance:body", args=[board.pk])).status_code == 403
    assert client.get(reverse("governance:body", args=[board.pk])).status_code == 302


def test_an_unknown_body_is_404(seated):
    assert client_for(seated["auditor"]).get(reverse("governance:body", args=[999999])).status_code == 404
