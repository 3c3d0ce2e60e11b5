"""Editing a draft challenge: ``services.update_draft`` (the creation's validation, drafts only, the
poster's representatives only, an audit entry naming the changed fields) and the edit page (filled
with the draft, 404 for someone else's, refused once published)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.grants.models import Challenge
from innocluster.grants.services import challenges as services
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.grants import publish_now
from tests.grants import test_challenges as base
from tests.grants.conftest import ready_call
from tests.grants.test_challenges import _challenge, in_days, refused

D = Decimal
pytestmark = pytest.mark.django_db
scene = base.scene  # the fixture: two posters, two participants and an open call
EDITED = "grants.challenge.edited"


def _row(challenge) -> tuple:
    row = Challenge.objects.get(pk=challenge.pk)
    return (row.title, row.problem, row.constraints, row.data_offered, row.budget, row.deadline,
            row.call_id, row.status)  # fmt: skip


# --- the service ---------------------------------------------------------------------------------


def test_update_draft_saves_the_changed_fields_and_audits_them_before_and_after(scene):
    draft = _challenge(scene, publish=False)
    old_deadline = draft.deadline
    deadline = in_days(40)
    services.update_draft(
        draft,
        {"title": "  Find corrosion without digging ", "budget": "45000000", "deadline": deadline,
         "call": None, "constraints": "No excavation"},
        by=scene["poster"],
    )  # fmt: skip
    row = Challenge.objects.get(pk=draft.pk)
    assert row.title == "Find corrosion without digging" and row.budget == D("45000000.00")
    assert row.deadline == deadline and row.call is None and row.status == "draft"
    assert row.problem == "Corrosion is found only at shutdowns."  # not given: kept
    event = AuditEvent.objects.get(action=EDITED)
    assert event.actor_id == scene["poster"].pk
    assert event.changes == {
        "title": ["Detect pipeline corrosion early", "Find corrosion without digging"],
        "budget": ["30000000.00", "45000000.00"],
        "deadline": [old_deadline.isoformat(), deadline.isoformat()],
        "call": ["CH", None],
    }  # the unchanged constraints are not recorded
    # Nothing changed: nothing recorded.
    services.update_draft(draft, {"title": "Find corrosion without digging"}, by=scene["poster"])
    assert AuditEvent.objects.filter(action=EDITED).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"deadline": "past"}, "deadline", "future"),
        ({"deadline": dt.datetime(2030, 1, 1)}, "deadline", "time zone"),
        ({"deadline": None}, "deadline", "deadline"),
        ({"budget": "-1"}, "budget", "negative"),
        ({"budget": "lots"}, "budget", "number"),
        ({"title": "  "}, "title", "title"),
        ({"problem": ""}, "problem", "problem"),
        ({"poster": "other"}, "poster", "cannot be changed"),
    ],
)
def test_update_draft_validates_as_at_creation_and_changes_nothing_on_a_refusal(scene, data, field, words):
    draft = _challenge(scene, publish=False)
    before = _row(draft)
    data = {k: (in_days(-1) if v == "past" else v) for k, v in data.items()}
    assert words in refused(lambda: services.update_draft(draft, data, by=scene["poster"]), field).lower()
    assert _row(draft) == before and not AuditEvent.objects.filter(action=EDITED).exists()
    # The very same refusal at creation, for the fields both take.
    if field != "poster":
        fields = {"title": "T", "problem": "P", "budget": "1", "deadline": in_days(5), **data}
        refused(lambda: services.create_challenge(scene["company"], by=scene["poster"], **fields), field)


def test_update_draft_refuses_a_call_that_closed(scene, programme, people):
    draft = _challenge(scene, publish=False, call=False)
    other = publish_now(ready_call(programme, people["pm"], code="OLD"), people["pm2"])
    type(other).objects.filter(pk=other.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    other.refresh_from_db()
    assert "not closed" in refused(
        lambda: services.update_draft(draft, {"call": other}, by=scene["poster"]), "call"
    )
    assert Challenge.objects.get(pk=draft.pk).call is None


@pytest.mark.parametrize("state", ["open", "closed", "withdrawn"])
def test_only_a_draft_is_edited(scene, state):
    challenge = _challenge(scene)
    if state == "closed":
        services.close_challenge(challenge, by=scene["poster"])
    elif state == "withdrawn":
        services.withdraw_challenge(challenge, by=scene["poster"], reason="Solved in-house")
    before = _row(challenge)
    message = refused(
        lambda: services.update_draft(challenge, {"title": "New"}, by=scene["poster"]), "status"
    )
    assert "Only a draft" in message
    assert _row(challenge) == before and not AuditEvent.objects.filter(action=EDITED).exists()


def test_only_the_posters_representatives_edit(scene):
    draft = _challenge(scene, publish=False)
    before = _row(draft)
    refused(lambda: services.update_draft(draft, {"title": "Mine"}, by=scene["poster2"]), "poster")
    refused(lambda: services.update_draft(draft, {"title": "Mine"}, by=scene["rep2"]), "poster")
    with pytest.raises(PermissionDenied):  # a role that posts no challenge at all
        services.update_draft(draft, {"title": "Mine"}, by=user_with_role("auditor", "aud2"))
    assert _row(draft) == before and not AuditEvent.objects.filter(action=EDITED).exists()


# --- the page ------------------------------------------------------------------------------------


def _form(deadline, **overrides) -> dict:
    data = {
        "challenge-title": "Flare gas use",
        "challenge-problem": "Gas is flared",
        "challenge-constraints": "",
        "challenge-data_offered": "",
        "challenge-budget": "1000000",
        "challenge-deadline": deadline.astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M"),
        "challenge-call": "",
    }
    return {**data, **{f"challenge-{k}": v for k, v in overrides.items()}}


def test_edit_page_is_filled_with_the_draft_and_saves_it(client, scene):
    draft = _challenge(scene, publish=False)
    login_with_2fa(client, scene["poster"])
    client.cookies["innocluster_language"] = "en"
    url = f"/portal/grants/challenges/{draft.pk}/edit/"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="Detect pipeline corrosion early"' in text and "Five years of inspection logs" in text
    assert draft.deadline.astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M") in text
    assert f'<option value="{scene["call"].pk}" selected>' in text
    assert 'name="challenge-poster"' not in text  # a draft stays its poster's
    # The challenge page and the list link to the edit page while it is a draft.
    assert url in client.get(f"/portal/grants/challenges/{draft.pk}/").content.decode()
    assert url in client.get("/portal/grants/challenges/").content.decode()

    deadline = timezone.now() + dt.timedelta(days=12)
    response = client.post(url, _form(deadline, call=scene["call"].pk))
    assert response.status_code == 303 and response["Location"].endswith(f"/challenges/{draft.pk}/")
    row = Challenge.objects.get(pk=draft.pk)
    assert (row.title, row.budget, row.call) == ("Flare gas use", D("1000000.00"), scene["call"])
    assert row.constraints == "" and row.deadline.astimezone(ALMATY).strftime(
        "%d %H:%M"
    ) == deadline.astimezone(ALMATY).strftime("%d %H:%M")
    assert AuditEvent.objects.filter(action=EDITED, object_id=str(draft.pk)).count() == 1


def test_edit_page_shows_refusals_beside_the_fields_and_changes_nothing(client, scene):
    draft = _challenge(scene, publish=False)
    before = _row(draft)
    login_with_2fa(client, scene["poster"])
    client.cookies["innocluster_language"] = "en"
    url = f"/portal/grants/challenges/{draft.pk}/edit/"
    response = client.post(url, _form(timezone.now() - dt.timedelta(days=1)))
    assert response.status_code == 400
    assert "The deadline for proposals must be in the future." in response.content.decode()
    response = client.post(url, _form(timezone.now() + dt.timedelta(days=3), budget="-5"))
    assert response.status_code == 400  # the form's own check, as at creation
    assert _row(draft) == before and not AuditEvent.objects.filter(action=EDITED).exists()


def test_someone_elses_draft_is_404(client, scene):
    draft = _challenge(scene, publish=False)
    before = _row(draft)
    login_with_2fa(client, scene["poster2"])
    url = f"/portal/grants/challenges/{draft.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, _form(timezone.now() + dt.timedelta(days=3))).status_code == 404
    assert _row(draft) == before


def test_a_published_challenge_is_not_edited_from_the_page(client, scene):
    challenge = _challenge(scene)
    before = _row(challenge)
    login_with_2fa(client, scene["poster"])
    client.cookies["innocluster_language"] = "en"
    url = f"/portal/grants/challenges/{challenge.pk}/edit/"
    page = client.get(url, follow=True)
    assert page.redirect_chain[-1][0].endswith(f"/challenges/{challenge.pk}/")
    assert "Only a draft can be edited" in page.content.decode()
    assert url not in page.content.decode()  # no "Edit" link once published
    assert url not in client.get("/portal/grants/challenges/").content.decode()
    for deadline in (timezone.now() + dt.timedelta(days=3), timezone.now() - dt.timedelta(days=3)):
        response = client.post(url, _form(deadline))  # valid or not, the status is what is refused
        assert response.status_code == 400 and "Only a draft can be edited" in response.content.decode()
    assert _row(challenge) == before and not AuditEvent.objects.filter(action=EDITED).exists()
