"""The meetings' pages: the secretary plans, convenes (members notified), builds the agenda,
records attendance and ballots and counts; a member votes online only after confirming their
identity again; a refused form comes back with its reason; members see only their own bodies'
convened meetings; the public sees only published resolutions."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.core.notifications.models import Notification
from innocluster.governance.models import (
    Ballot,
    BallotRound,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Position,
    Resolution,
)
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import meetings as svc
from innocluster.governance.services.members import appoint
from tests.factories.accounts import reauthenticate, user_with_role
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)


def _local(days: int, hour: int = 11) -> dt.datetime:
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=ALMATY)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    people = []
    for n in range(5):
        user = user_with_role("committee_member", f"cm{n}")
        position = Position.CHAIR if n == 0 else Position.MEMBER
        people.append(
            appoint(committee, full_name=f"Мүше {n}", position=position, term_start=START, user=user)
        )
    return people


def _plan(client, body, days=10, kind="remote"):
    return client.post(
        reverse("governance:meeting_plan"),
        {"body": body.pk, "starts_at": _local(days).strftime("%Y-%m-%dT%H:%M"), "kind": kind, "place": "Hub"},
    )


def test_the_secretary_runs_a_meeting_through_the_pages(committee, members, secretary):
    client = client_for(secretary)
    answer = _plan(client, committee)
    assert answer.status_code == 303
    meeting = Meeting.objects.get(body=committee)
    assert meeting.status == MeetingStatus.DRAFT and meeting.starts_at == _local(10)
    for title in ("Annual budget 2027", "Report of the Fund"):
        assert (
            client.post(reverse("governance:item_add", args=[meeting.pk]), {"title_en": title}).status_code
            == 303
        )
    first = meeting.items.get(title_en="Annual budget 2027")
    sub = client.post(
        reverse("governance:item_add", args=[meeting.pk]),
        {"title_en": "Capital expenditure", "parent": first.pk},
    )
    assert sub.status_code == 303
    page = client.get(reverse("governance:meeting", args=[meeting.pk]))
    numbers = [v.number for v in page.context["items"]]
    assert numbers == ["1", "1.1", "2"]  # the tree in reading order

    # Convening notifies every member with a term on the day.
    assert client.post(reverse("governance:meeting_convene", args=[meeting.pk])).status_code == 303
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED and not meeting.notice_late
    notified = set(
        Notification.objects.filter(key="governance.meeting.convened").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {f"cm{n}" for n in range(5)}

    # Attendance: three in the room, one online, one absent.
    rows = {f"m{m.pk}": "in_room" for m in members[:3]}
    rows[f"m{members[3].pk}"] = "online"
    rows[f"m{members[4].pk}"] = "absent"
    assert client.post(reverse("governance:attendance", args=[meeting.pk]), rows).status_code == 303
    assert meeting.attendance.filter(present=True).count() == 4

    # A round with an online deadline notifies the voters.
    deadline = _local(10, hour=18).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        reverse("governance:round_open", args=[first.pk]), {f"r{first.pk}-deadline": deadline}
    )
    assert answer.status_code == 303
    rnd = BallotRound.objects.get(item=first)
    assert Notification.objects.filter(key="governance.round.opened").count() == 5

    # The secretary records three votes in the room; a member votes online after confirming identity.
    for member, choice in ((members[0], "for"), (members[1], "for"), (members[2], "for")):
        answer = client.post(
            reverse("governance:round_record", args=[rnd.pk]),
            {
                f"b{first.pk}-membership": member.pk,
                f"b{first.pk}-choice": choice,
                f"b{first.pk}-mode": "in_room",
            },
        )
        assert answer.status_code == 303
    voter = client_for(members[3].user)
    assert voter.get(reverse("governance:vote", args=[rnd.pk])).status_code == 302  # asked to confirm
    assert not Ballot.objects.filter(round=rnd, membership=members[3]).exists()
    reauthenticate(voter, members[3].user)
    assert voter.get(reverse("governance:vote", args=[rnd.pk])).status_code == 200
    cast = voter.post(reverse("governance:vote", args=[rnd.pk]), {"choice": "against", "confirm": "on"})
    assert cast.status_code == 303
    assert Ballot.objects.get(round=rnd, membership=members[3]).mode == "online"
    again = voter.post(reverse("governance:vote", args=[rnd.pk]), {"choice": "for", "confirm": "on"})
    assert again.status_code == 400 and again.context["already"].choice == "against"
    assert Ballot.objects.get(round=rnd, membership=members[3]).choice == "against"

    # Counting: 3 for, 1 against of 4 present → adopted; the arithmetic is on the page.
    assert client.post(reverse("governance:round_close", args=[rnd.pk])).status_code == 303
    first.refresh_from_db()
    assert first.status == ItemStatus.ADOPTED
    page = client.get(reverse("governance:meeting", args=[meeting.pk]))
    text = page.content.decode()
    shown = next(v for v in page.context["items"] if v.item.pk == first.pk).rounds[0].shown_steps
    assert shown and all(step in text for step in shown)
    resolution = Resolution.objects.get(item=first)

    # Not public until published.
    public = Client().get(reverse("governance_public:resolutions"))
    assert public.status_code == 200 and "Annual budget 2027" not in public.content.decode()
    assert client.post(reverse("governance:resolution_publish", args=[resolution.pk])).status_code == 303
    public = Client().get(reverse("governance_public:resolutions"))
    assert "Annual budget 2027" in public.content.decode()


def test_a_refused_plan_comes_back_with_its_reason(committee, members, secretary):
    answer = _plan(client_for(secretary), committee, days=-1)
    assert answer.status_code == 400
    assert "choose a later time" in answer.content.decode()
    assert not Meeting.objects.exists()


def test_a_member_cannot_vote_without_a_term_or_for_another_body(committee, board, members, secretary):
    meeting = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_local(9), by=secretary), by=secretary
    )
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary, deadline=_local(9, hour=18))
    trustee = user_with_role("trustee", "trustee1")
    appoint(board, full_name="Trustee", term_start=START, user=trustee)
    client = client_for(trustee)
    reauthenticate(client, trustee)
    assert client.get(reverse("governance:vote", args=[rnd.pk])).status_code == 403
    assert client.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 403
    assert not Ballot.objects.exists()


def test_members_see_their_bodys_convened_meetings_only(committee, members, secretary):
    draft = svc.plan_meeting(committee, starts_at=_local(12), by=secretary)
    member = client_for(members[1].user)
    assert member.get(reverse("governance:meeting", args=[draft.pk])).status_code == 403
    assert draft not in member.get(reverse("governance:meetings")).context["rows"]
    svc.convene_meeting(draft, by=secretary)
    assert member.get(reverse("governance:meeting", args=[draft.pk])).status_code == 200
    page = member.get(reverse("governance:my"))
    assert page.status_code == 200 and [m.pk for m in page.context["upcoming"]] == [draft.pk]
    # A member cannot act as the secretary.
    assert member.post(reverse("governance:meeting_close", args=[draft.pk])).status_code == 403


def test_a_participant_representative_and_anonymous_are_refused(committee, members, secretary):
    meeting = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_local(9), by=secretary), by=secretary
    )
    rep = client_for(user_with_role("participant_rep", "rep1", enrolled=False))
    assert rep.get(reverse("governance:meetings")).status_code == 403
    assert rep.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 403
    assert Client().get(reverse("governance:meeting", args=[meeting.pk])).status_code == 302


def test_a_ballot_awaiting_a_member_is_listed_until_cast(committee, members, secretary):
    meeting = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_local(9), by=secretary, kind="remote"), by=secretary
    )
    item = svc.add_item(meeting, title_en="Rules of the Fund", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary, deadline=_local(9, hour=18))
    member = client_for(members[2].user)
    assert [r.pk for r in member.get(reverse("governance:my")).context["waiting"]] == [rnd.pk]
    ballots_svc.cast_ballot(rnd, by=members[2].user, choice="for")
    page = member.get(reverse("governance:my"))
    assert page.context["waiting"] == [] and len(page.context["cast"]) == 1


def test_a_member_declares_their_own_conflict_and_cannot_then_vote(committee, members, secretary):
    meeting = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_local(9), by=secretary, kind="remote"), by=secretary
    )
    item = svc.add_item(meeting, title_en="Grant to a company I advise", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary, deadline=_local(9, hour=18))
    me = members[2]
    client = client_for(me.user)
    assert (
        "I do not vote on this item"
        in client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    )
    # A member cannot declare for someone else: the only choice the form offers is themself.
    other = client.post(
        reverse("governance:conflict", args=[item.pk]),
        {f"c{item.pk}-membership": members[3].pk, f"c{item.pk}-reason": "not mine"},
    )
    assert other.status_code == 303 and not item.recusals.filter(membership=members[3]).exists()
    answer = client.post(
        reverse("governance:conflict", args=[item.pk]),
        {f"c{item.pk}-membership": me.pk, f"c{item.pk}-reason": "I advise the company"},
    )
    assert answer.status_code == 303 and item.recusals.get().membership == me
    reauthenticate(client, me.user)
    refused = client.post(reverse("governance:vote", args=[rnd.pk]), {"choice": "for", "confirm": "on"})
    assert refused.status_code == 400 and not Ballot.objects.filter(round=rnd).exists()
