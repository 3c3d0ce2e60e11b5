"""Open-innovation challenges: posting, the lifecycle, answers (deadline, one per organisation,
not the poster's own), the poster's decisions, conversion into a draft application with the
pre-selection done, and the pages (someone else's answers are a 404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.grants.models import (
    CallFinancer,
    Challenge,
    ChallengeAnswer,
    PreselectionMark,
    ProjectApplication,
)
from innocluster.grants.services import challenges as services
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.grants import publish_now
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db


def refused(call_, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call_()
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


def in_days(days: float):
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def scene(programme, people):
    """A subsoil company (rep ``poster``), a second one (rep ``poster2``), two participants in good
    standing (reps ``rep`` and ``rep2``) and an open published call."""
    from innocluster.parties.services.representatives import add_representative
    from tests.factories.levy import subsoil_user
    from tests.factories.registry import registered_participant

    call = publish_now(ready_call(programme, people["pm"], code="CH"), people["pm2"])
    poster = user_with_role("subsoil_rep", "poster", enrolled=False)
    poster2 = user_with_role("subsoil_rep", "poster2", enrolled=False)
    company, company2 = subsoil_user(), subsoil_user()
    add_representative(company, user=poster, role="head", by=None)
    add_representative(company2, user=poster2, role="head", by=None)
    rep2 = user_with_role("participant_rep", "rep2", enrolled=False)
    first, second = registered_participant(people["rep"]), registered_participant(rep2)
    return {"call": call, "poster": poster, "poster2": poster2, "company": company, "company2": company2,
            "rep": people["rep"], "rep2": rep2, "p1": first.organisation, "p2": second.organisation}  # fmt: skip


def _challenge(scene, *, publish=True, deadline=None, call=True):
    challenge = services.create_challenge(
        scene["company"],
        by=scene["poster"],
        title="Detect pipeline corrosion early",
        problem="Corrosion is found only at shutdowns.",
        constraints="No excavation",
        data_offered="Five years of inspection logs",
        budget="30000000",
        deadline=deadline or in_days(20),
        call=scene["call"] if call else None,
    )
    if publish:
        services.publish_challenge(challenge, by=scene["poster"])
        challenge.refresh_from_db()
    return challenge


def _answer(scene, challenge, who="rep", org="p1", amount="12000000"):
    return services.answer_challenge(
        challenge, scene[org], by=scene[who], title="Acoustic sensors", approach="Fibre-optic acoustics",
        amount=amount, months=18,
    )  # fmt: skip


# --- lifecycle -----------------------------------------------------------------------------------


def test_lifecycle_draft_open_closed_and_withdraw_with_reason(scene):
    challenge = _challenge(scene, publish=False)
    assert challenge.status == "draft" and challenge.budget == D("30000000.00")
    services.publish_challenge(challenge, by=scene["poster"])
    challenge.refresh_from_db()
    assert challenge.status == "open" and challenge.published_at is not None
    assert "cannot be changed" in refused(
        lambda: services.publish_challenge(challenge, by=scene["poster"]), "status"
    )
    services.close_challenge(challenge, by=scene["poster"])
    assert Challenge.objects.get(pk=challenge.pk).status == "closed"
    refused(lambda: services.withdraw_challenge(challenge, by=scene["poster"], reason="x"), "status")
    other = _challenge(scene)
    refused(lambda: services.withdraw_challenge(other, by=scene["poster"], reason=" "), "reason")
    services.withdraw_challenge(other, by=scene["poster"], reason="Solved in-house")
    assert Challenge.objects.get(pk=other.pk).status == "withdrawn"
    assert AuditEvent.objects.get(action="grants.challenge.withdrawn").reason == "Solved in-house"
    # Only the poster's representatives change a challenge.
    draft = _challenge(scene, publish=False)
    refused(lambda: services.publish_challenge(draft, by=scene["poster2"]), "poster")
    assert Challenge.objects.get(pk=draft.pk).status == "draft"


def test_posting_refusals_name_the_field(scene):
    past = in_days(-1)
    assert "future" in refused(lambda: _challenge(scene, publish=False, deadline=past), "deadline")
    assert not Challenge.objects.exists()
    # A draft whose deadline passed while it waited is not published.
    draft = _challenge(scene, publish=False)
    Challenge.objects.filter(pk=draft.pk).update(deadline=past)
    draft.refresh_from_db()
    assert "passed" in refused(lambda: services.publish_challenge(draft, by=scene["poster"]), "deadline")
    assert Challenge.objects.get(pk=draft.pk).status == "draft"
    refused(
        lambda: services.create_challenge(scene["company2"], by=scene["poster"], title="T", problem="P",
                                          budget="1", deadline=in_days(5)),
        "poster",
    )  # fmt: skip
    refused(
        lambda: services.create_challenge(scene["company"], by=scene["poster"], title="", problem="P",
                                          budget="1", deadline=dt.datetime(2030, 1, 1)),
        "deadline",
    )  # fmt: skip


# --- answers -------------------------------------------------------------------------------------


def test_answer_after_the_deadline_is_refused_with_the_deadline_in_almaty_time(scene):
    challenge = _challenge(scene)
    deadline = timezone.now() - dt.timedelta(hours=1)
    Challenge.objects.filter(pk=challenge.pk).update(deadline=deadline)
    challenge.refresh_from_db()
    message = refused(lambda: _answer(scene, challenge), "deadline")
    assert deadline.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") in message
    assert not ChallengeAnswer.objects.exists()


def test_answer_refused_when_not_open(scene):
    challenge = _challenge(scene, publish=False)
    assert "not open" in refused(lambda: _answer(scene, challenge), "status")


def test_one_answer_per_organisation(scene):
    challenge = _challenge(scene)
    _answer(scene, challenge)
    assert "already answered" in refused(lambda: _answer(scene, challenge), "organisation")
    _answer(scene, challenge, who="rep2", org="p2")
    assert ChallengeAnswer.objects.count() == 2


def test_poster_cannot_answer_its_own_challenge_and_only_participants_answer(scene):
    from innocluster.parties.services.representatives import add_representative
    from tests.factories.levy import subsoil_user

    challenge = _challenge(scene)
    # The participant p1 posts a challenge; its own rep cannot answer it.
    own = services.create_challenge(scene["p1"], by=scene["rep"], title="Own", problem="P", budget="1",
                                    deadline=in_days(3))  # fmt: skip
    services.publish_challenge(own, by=scene["rep"])
    assert "own challenge" in refused(lambda: _answer(scene, own), "organisation")
    # A company that is not a participant in good standing cannot answer.
    outsider = subsoil_user()
    add_representative(outsider, user=scene["rep2"], role="head", by=None)
    scene["outsider"] = outsider
    assert "good standing" in refused(
        lambda: _answer(scene, challenge, who="rep2", org="outsider"), "organisation"
    )
    assert not ChallengeAnswer.objects.exists()


# --- decisions and conversion --------------------------------------------------------------------


def test_convert_creates_the_draft_with_the_financer_and_the_mark(scene):
    challenge = _challenge(scene)
    answer = _answer(scene, challenge)
    assert "cannot be changed" in refused(lambda: services.convert(answer, by=scene["poster"]), "status")
    refused(lambda: services.decline_answer(answer, by=scene["poster"], comment=""), "comment")
    services.shortlist_answer(answer, by=scene["poster"], comment="Promising")
    refused(lambda: services.convert(answer, by=scene["poster2"]), "poster")
    application = services.convert(answer, by=scene["poster"])
    application.refresh_from_db()
    assert application.status == "draft" and application.call == scene["call"]
    assert application.organisation == scene["p1"] and application.challenge_answer == answer
    assert application.project.title == "Acoustic sensors"
    assert application.summary == "Fibre-optic acoustics"
    assert application.requested_amount == D("12000000.00")
    financer = CallFinancer.objects.get(call=scene["call"], organisation=scene["company"])
    assert financer.pledged == D("0.00")
    mark = PreselectionMark.objects.get(application=application)
    assert mark.financer == financer and mark.interested and mark.amount == D("12000000.00")
    assert mark.marked_by == scene["poster"]
    assert ChallengeAnswer.objects.get(pk=answer.pk).status == "converted"
    assert AuditEvent.objects.filter(action="grants.challenge_answer.converted").count() == 1
    refused(lambda: services.convert(answer, by=scene["poster"]), "status")
    assert ProjectApplication.objects.count() == 1


def test_convert_refused_without_an_open_call(scene):
    challenge = _challenge(scene, call=False)
    answer = _answer(scene, challenge)
    services.shortlist_answer(answer, by=scene["poster"])
    assert "no call" in refused(lambda: services.convert(answer, by=scene["poster"]), "call")
    assert not ProjectApplication.objects.exists() and not CallFinancer.objects.exists()
    assert ChallengeAnswer.objects.get(pk=answer.pk).status == "shortlisted"


# --- pages ---------------------------------------------------------------------------------------


def test_public_page_lists_open_challenges_only(client, scene):
    _challenge(scene)
    draft = _challenge(scene, publish=False)
    Challenge.objects.filter(pk=draft.pk).update(title="Secret draft")
    response = client.get("/grants/challenges/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Detect pipeline corrosion early" in text and "Secret draft" not in text
    assert scene["company"].name in text and "30,000,000.00" in text


def test_someone_elses_challenge_and_answers_are_404(client, scene):
    challenge = _challenge(scene)
    answer = _answer(scene, challenge)
    login_with_2fa(client, scene["poster2"])
    assert client.get(f"/portal/grants/challenges/{challenge.pk}/").status_code == 404
    assert client.post(f"/portal/grants/challenges/answers/{answer.pk}/shortlist/").status_code == 404
    assert client.post(f"/portal/grants/challenges/answers/{answer.pk}/convert/").status_code == 404
    assert ChallengeAnswer.objects.get(pk=answer.pk).status == "submitted"
    client.logout()
    login_with_2fa(client, scene["poster"])
    response = client.get(f"/portal/grants/challenges/{challenge.pk}/")
    assert response.status_code == 200 and "Acoustic sensors" in response.content.decode()
    response = client.post(
        f"/portal/grants/challenges/answers/{answer.pk}/shortlist/", {"answer-comment": "ok"}
    )
    assert response.status_code == 303
    assert ChallengeAnswer.objects.get(pk=answer.pk).status == "shortlisted"


def test_portal_post_and_answer_pages(client, scene):
    login_with_2fa(client, scene["poster"])
    deadline = timezone.now().astimezone(ALMATY) + dt.timedelta(days=10)
    response = client.post(
        "/portal/grants/challenges/new/",
        {"challenge-poster": scene["company"].pk, "challenge-title": "Flare gas use",
         "challenge-problem": "Gas is flared", "challenge-budget": "1000000",
         "challenge-deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "challenge-call": scene["call"].pk},
    )  # fmt: skip
    assert response.status_code == 303
    challenge = Challenge.objects.get(title="Flare gas use")
    assert challenge.call == scene["call"] and challenge.poster == scene["company"]
    assert client.post(f"/portal/grants/challenges/{challenge.pk}/publish/").status_code == 303
    index = client.get("/portal/grants/challenges/")
    assert index.status_code == 200 and "Flare gas use" in index.content.decode()
    client.logout()
    login_with_2fa(client, scene["rep"])
    assert client.get(f"/portal/grants/challenges/open/{challenge.pk}/").status_code == 200
    response = client.post(
        f"/portal/grants/challenges/open/{challenge.pk}/answer/",
        {"answer-organisation": scene["p1"].pk, "answer-title": "Mini turbines", "answer-approach": "Burn it",
         "answer-amount": "900000", "answer-months": "12"},
    )  # fmt: skip
    assert response.status_code == 303
    assert ChallengeAnswer.objects.get().organisation == scene["p1"]
    index = client.get("/portal/grants/challenges/")
    assert index.status_code == 200 and "Mini turbines" in index.content.decode()
