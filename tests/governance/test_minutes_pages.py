"""The minutes page and the PDFs of the minutes and of a resolution's extract: who reads them,
the secretary's steps and a member's comment through the page, each PDF wholly in Kazakh or in
Russian (the body's name, the resolution's number, the stored arithmetic), 400 on another
language, 403 for a participant's representative."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from innocluster.core.policy import values as policy
from innocluster.governance import pdf
from innocluster.governance.models import BallotRound, Minutes, MinutesStatus, Resolution
from innocluster.governance.services import minutes as minutes_svc
from tests.factories.accounts import user_with_role
from tests.governance.test_minutes import hold_meeting
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    from innocluster.governance.models import Position
    from innocluster.governance.services.members import appoint

    return [
        appoint(
            committee,
            full_name=f"Member {n}",
            position=Position.CHAIR if n == 0 else Position.MEMBER,
            term_start=START,
            user=user_with_role("committee_member", f"member{n}"),
        )
        for n in range(6)
    ]


@pytest.fixture
def meeting(committee, members, secretary):
    return hold_meeting(committee, members, secretary)


@pytest.fixture
def minutes(meeting, secretary):
    minutes = minutes_svc.draft_minutes(meeting, secretary)
    return minutes_svc.edit_minutes(
        minutes,
        secretary,
        summary_en="The plan was discussed.",
        summary_kk="Жоспар талқыланды.",
        summary_ru="План обсуждён.",
    )


def _text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_the_secretary_runs_the_minutes_through_the_page(meeting, members, secretary):
    client = client_for(secretary)
    url = reverse("governance:minutes", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_draft"] and page.context["minutes"] is None
    step = lambda action: reverse("governance:minutes_action", args=[meeting.pk, action])  # noqa: E731
    assert client.post(step("draft")).status_code == 303
    minutes = Minutes.objects.get(meeting=meeting)
    response = client.post(
        step("edit"), {"summary_en": "Discussed.", "summary_kk": "Талқыланды.", "summary_ru": "Обсуждено."}
    )
    assert response.status_code == 303
    assert Minutes.objects.get(pk=minutes.pk).summary_ru == "Обсуждено."
    bad = client.post(step("circulate"), {"comments_due": "2000-01-01"})
    assert bad.status_code == 400 and bad.context["forms"]["circulate"].errors["comments_due"]
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT
    due = policy.today() + dt.timedelta(days=3)
    assert client.post(step("circulate"), {"comments_due": due.isoformat()}).status_code == 303
    # a member with a vote comments through the page
    member = client_for(members[1].user)
    page = member.get(url)
    assert page.status_code == 200 and "comment" in page.context["forms"]
    assert "edit" not in page.context["forms"] and not page.context["runs"]
    comment_url = reverse("governance:minutes_comment", args=[meeting.pk])
    assert member.post(comment_url, {"text": ""}).status_code == 400
    assert member.post(comment_url, {"text": "Add the figures."}).status_code == 303
    assert member.post(step("approve")).status_code == 403  # a member does not run the minutes
    assert client.post(step("lock")).status_code == 303  # refused: not approved yet (shown as a message)
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.CIRCULATED
    assert client.post(step("approve")).status_code == 303
    assert client.post(step("lock")).status_code == 303
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert minutes.status == MinutesStatus.LOCKED
    page = client.get(url)
    text = page.content.decode()
    assert minutes.sha256 in text and "Add the figures." in text and page.context["intact"] is True
    assert client.post(reverse("governance:minutes_action", args=[meeting.pk, "nonsense"])).status_code == 404


def test_the_page_shows_the_record_in_the_readers_language(meeting, minutes, members):
    client = client_for(members[2].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("governance:minutes", args=[meeting.pk]))
    text = page.content.decode()
    rnd = BallotRound.objects.get(item__meeting=meeting, item__position=1)
    assert "Утвердить план" in text and "План обсуждён." in text
    assert rnd.steps["ru"][0] in text
    assert page.context["c"]["body"]["name"] == "Управляющий комитет"


def test_who_reads_the_minutes(meeting, minutes, board, secretary):
    from innocluster.governance.services.members import appoint

    url = reverse("governance:minutes", args=[meeting.pk])
    assert client_for(user_with_role("auditor", "auditor")).get(url).status_code == 200
    assert client_for(secretary).get(url).status_code == 200
    trustee = user_with_role("trustee", "trustee1")
    appoint(board, full_name="A trustee", term_start=START, user=trustee)
    assert client_for(trustee).get(url).status_code == 403  # a member of another body
    rep = client_for(user_with_role("participant_rep", "rep"))
    assert rep.get(url).status_code == 403
    assert client_for(secretary).get(reverse("governance:minutes", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("language", "body_name", "title", "word"),
    [
        ("kk", "Басқарушы комитет", "Жоспарды бекіту", "Жоспар талқыланды."),
        ("ru", "Управляющий комитет", "Утвердить план", "План обсуждён."),
    ],
)
def test_the_minutes_pdf_in_each_language(
    meeting, minutes, secretary, members, language, body_name, title, word
):
    minutes = minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    minutes = minutes_svc.lock_minutes(minutes_svc.approve_minutes(minutes, secretary), secretary)
    html = pdf.minutes_html(minutes, language)
    assert f'<html lang="{language}">' in html
    assert body_name in html and title in html and word in html and minutes.sha256 in html
    rnd = BallotRound.objects.get(item__meeting=meeting, item__position=1)
    assert all(step in html for step in rnd.steps[language])
    other = {"kk": "ru", "ru": "kk"}[language]
    assert not any(step in html for step in rnd.steps[other])
    content = pdf.minutes_pdf(minutes, language)
    assert content.startswith(b"%PDF")
    text = _text(content)
    assert body_name in text and title in text and minutes.sha256[:16] in text
    response = client_for(secretary).get(
        reverse("governance:minutes_pdf", args=[meeting.pk]), {"lang": language}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "body_name", "title"),
    [("kk", "Басқарушы комитет", "Жоспарды бекіту"), ("ru", "Управляющий комитет", "Утвердить план")],
)
def test_the_resolution_extract_in_each_language(
    meeting, minutes, secretary, members, language, body_name, title
):
    resolution = Resolution.objects.get(item__meeting=meeting)
    html = pdf.resolution_extract_html(resolution, language)
    assert body_name in html and title in html
    rnd = BallotRound.objects.get(item=resolution.item)
    assert all(step in html for step in rnd.steps[language])
    response = client_for(members[3].user).get(
        reverse("governance:resolution_extract", args=[resolution.pk]), {"lang": language}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert body_name in text and title in text
    assert f"№ {resolution.number}" in text or f"No. {resolution.number}" in text


def test_pdfs_refuse_another_language_and_a_participant(meeting, minutes, secretary):
    resolution = Resolution.objects.get(item__meeting=meeting)
    minutes_url = reverse("governance:minutes_pdf", args=[meeting.pk])
    extract_url = reverse("governance:resolution_extract", args=[resolution.pk])
    staff = client_for(secretary)
    for url in (minutes_url, extract_url):
        assert staff.get(url, {"lang": "xx"}).status_code == 400
        assert staff.get(url, {"lang": "en"}).status_code == 400
        assert staff.get(url).status_code == 400
    rep = client_for(user_with_role("participant_rep", "rep"))
    for url in (minutes_url, extract_url):
        assert rep.get(url, {"lang": "kk"}).status_code == 403
    assert (
        staff.get(reverse("governance:resolution_extract", args=[999999]), {"lang": "kk"}).status_code == 404
    )


def test_a_meeting_without_minutes_has_no_pdf(meeting, secretary):
    response = client_for(secretary).get(reverse("governance:minutes_pdf", args=[meeting.pk]), {"lang": "kk"})
    assert response.status_code == 404
