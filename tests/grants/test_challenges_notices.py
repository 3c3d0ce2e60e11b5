"""Notices about challenges: a new proposal to the poster's representatives; shortlisted, not
shortlisted (with the reason), made a draft application (linked), and the challenge closed or
withdrawn while pending, to the answering organisation's representatives. Nobody else is told, a
refused action tells nobody, and each text is stored in the recipient's language (kk, ru)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from innocluster.core.notifications.models import Notification
from innocluster.core.notifications.rendering import render
from innocluster.grants.models import Challenge
from innocluster.grants.services import challenges as services
from tests.factories.accounts import user_with_role
from tests.factories.parties import make_representative
from tests.grants import test_challenges as base
from tests.grants.test_challenges import _answer, _challenge

pytestmark = pytest.mark.django_db
scene = base.scene  # the fixture: two posters, two participants and an open call
KEYS = (
    "grants.challenge.answered",
    "grants.challenge_answer.shortlisted",
    "grants.challenge_answer.declined",
    "grants.challenge_answer.converted",
    "grants.challenge.closed",
    "grants.challenge.withdrawn",
)


@pytest.fixture
def cast(scene):
    """The scene plus a second representative of the poster and of the first participant."""
    scene["poster_b"] = user_with_role("subsoil_rep", "poster_b", enrolled=False)
    make_representative(scene["company"], scene["poster_b"])
    scene["rep_b"] = user_with_role("participant_rep", "rep_b", enrolled=False)
    make_representative(scene["p1"], scene["rep_b"])
    return scene


def ours():
    """The challenges' notices (confirming the representatives' claims sent others)."""
    return Notification.objects.filter(key__startswith="grants.challenge")


def told(key: str) -> dict:
    """username → notification, for ``key``."""
    return {n.recipient.username: n for n in Notification.objects.filter(key=key).select_related("recipient")}


def test_a_new_proposal_tells_the_posters_representatives_with_a_link(cast):
    challenge = _challenge(cast)
    answer = _answer(cast, challenge)
    notices = told("grants.challenge.answered")
    assert set(notices) == {"poster", "poster_b"}  # not poster2, nor the answering side
    notice = notices["poster"]
    assert notice.url == f"/portal/grants/challenges/{challenge.pk}/"
    assert notice.object_id == str(answer.pk)
    assert "Acoustic sensors" in notice.body and cast["p1"].name in notice.body
    assert "Detect pipeline corrosion early" in notice.subject
    assert f"/portal/grants/challenges/{challenge.pk}/" in notice.body


def test_a_refused_proposal_tells_nobody(cast):
    challenge = _challenge(cast, publish=False)
    with pytest.raises(ValidationError):
        _answer(cast, challenge)  # not open
    services.publish_challenge(challenge, by=cast["poster"])
    Challenge.objects.filter(pk=challenge.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    challenge.refresh_from_db()
    with pytest.raises(ValidationError):
        _answer(cast, challenge)  # too late
    assert not ours().exists()


def test_shortlisted_and_declined_tell_the_answering_organisation_only(cast, settings):
    settings.LANGUAGE_CODE = "kk"  # the platform's language for people with no choice of their own
    challenge = _challenge(cast)
    first = _answer(cast, challenge)
    second = _answer(cast, challenge, who="rep2", org="p2")
    services.shortlist_answer(first, by=cast["poster"], comment="Promising: let us talk")
    notices = told("grants.challenge_answer.shortlisted")
    assert set(notices) == {"rep", "rep_b"}
    body = notices["rep"].body
    assert "Promising: let us talk" in body and "CH" in body  # the comment, the call it may go to
    assert notices["rep"].url == "/portal/grants/challenges/"
    services.decline_answer(second, by=cast["poster"], comment="Needs excavation")
    notices = told("grants.challenge_answer.declined")
    assert set(notices) == {"rep2"}
    assert "Needs excavation" in notices["rep2"].body
    assert notices["rep2"].language == "kk"
    assert notices["rep2"].subject == "Ұсыныс іріктеуге енгізілмеді: Acoustic sensors"
    assert "Себебі: Needs excavation" in notices["rep2"].body


def test_refused_decisions_tell_nobody(cast):
    challenge = _challenge(cast)
    answer = _answer(cast, challenge)
    before = ours().count()
    for action in (
        lambda: services.shortlist_answer(answer, by=cast["poster2"]),  # someone else's challenge
        lambda: services.decline_answer(answer, by=cast["poster"], comment=" "),  # no reason
        lambda: services.convert(answer, by=cast["poster"]),  # not shortlisted
    ):
        with pytest.raises(ValidationError):
            action()
    assert ours().count() == before


def test_conversion_tells_the_answering_organisation_and_links_the_draft(cast):
    challenge = _challenge(cast)
    answer = _answer(cast, challenge)
    _answer(cast, challenge, who="rep2", org="p2")
    services.shortlist_answer(answer, by=cast["poster"])
    application = services.convert(answer, by=cast["poster"])
    notices = told("grants.challenge_answer.converted")
    assert set(notices) == {"rep", "rep_b"}
    notice = notices["rep"]
    assert notice.url == f"/portal/grants/{application.pk}/"
    assert f"/portal/grants/{application.pk}/" in notice.body and "CH" in notice.body
    assert "draft project application" in notice.body and "draft application" in notice.subject


def test_conversion_refused_without_a_call_tells_nobody(cast):
    challenge = _challenge(cast, call=False)
    answer = _answer(cast, challenge)
    services.shortlist_answer(answer, by=cast["poster"])
    with pytest.raises(ValidationError):
        services.convert(answer, by=cast["poster"])
    assert not Notification.objects.filter(key="grants.challenge_answer.converted").exists()


def test_closing_tells_the_organisations_whose_proposal_is_pending(cast):
    challenge = _challenge(cast)
    _answer(cast, challenge)
    declined = _answer(cast, challenge, who="rep2", org="p2")
    services.decline_answer(declined, by=cast["poster"], comment="No")
    with pytest.raises(ValidationError):
        services.close_challenge(challenge, by=cast["poster2"])  # refused: nobody told
    assert not Notification.objects.filter(key="grants.challenge.closed").exists()
    services.close_challenge(challenge, by=cast["poster"])
    notices = told("grants.challenge.closed")
    assert set(notices) == {"rep", "rep_b"}  # p2's proposal was already declined
    assert "Acoustic sensors" in notices["rep"].body
    assert notices["rep"].object_id == str(challenge.pk)


def test_withdrawal_tells_the_pending_with_the_reason_and_stops_decisions(cast):
    challenge = _challenge(cast)
    first = _answer(cast, challenge)
    second = _answer(cast, challenge, who="rep2", org="p2")
    services.shortlist_answer(second, by=cast["poster"])
    with pytest.raises(ValidationError):
        services.withdraw_challenge(challenge, by=cast["poster"], reason="")  # no reason: nothing
    assert not Notification.objects.filter(key="grants.challenge.withdrawn").exists()
    services.withdraw_challenge(challenge, by=cast["poster"], reason="Solved in-house")
    notices = told("grants.challenge.withdrawn")
    assert set(notices) == {"rep", "rep_b", "rep2"}  # submitted and shortlisted alike
    assert all("Solved in-house" in n.body for n in notices.values())
    # The proposals of a withdrawn challenge are no longer decided on (nor told about).
    before = ours().count()
    with pytest.raises(ValidationError) as caught:
        services.shortlist_answer(first, by=cast["poster"])
    assert "withdrawn" in " ".join(caught.value.message_dict["status"])
    with pytest.raises(ValidationError):
        services.convert(second, by=cast["poster"])
    assert ours().count() == before


def test_notices_are_stored_in_the_recipients_language(cast, settings):
    settings.LANGUAGE_CODE = "ru"  # the platform's language for people with no choice of their own
    challenge = _challenge(cast)
    _answer(cast, challenge)
    notice = told("grants.challenge.answered")["poster"]
    assert notice.language == "ru"
    assert notice.subject == "Новое предложение по задаче «Detect pipeline corrosion early»"
    assert "Организация" in notice.body and "Здравствуйте" in notice.body


@pytest.mark.parametrize("key", KEYS)
def test_every_notice_has_its_own_kazakh_and_russian_text(key):
    context = {"challenge": "Ch", "poster": "Po", "proposal": "Pr", "organisation": "Org", "amount": 5,
               "months": 3, "comment": "Co", "reason": "Re", "status": "St", "link": "http://x/"}  # fmt: skip
    english = render(key, "en", context)
    greetings = {"kk": "Сәлеметсіз бе", "ru": "Здравствуйте"}
    for language in ("kk", "ru"):
        subject, body = render(key, language, context)
        assert (subject, body) != english
        assert body.startswith(greetings[language]) and "http://x/" in body
        assert "Pr" in subject + body or "Ch" in subject + body
