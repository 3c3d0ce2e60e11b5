"""The challenge pages read a constant number of queries whatever the number of challenges and
proposals they list (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.grants.models import ChallengeAnswer
from tests.factories.accounts import login_with_2fa
from tests.factories.registry import registered_participant
from tests.grants import test_challenges as base
from tests.grants.test_challenges import _challenge

pytestmark = pytest.mark.django_db
scene = base.scene  # the fixture: two posters, two participants and an open call


def _grow(scene, target, n: int) -> None:
    """Up to ``n`` challenges of the poster (every other one published) and ``n`` proposals to
    ``target``, each from a participant ``rep`` acts for (so ``rep`` answers for n + 1)."""
    while len(scene.setdefault("posted", [])) < n:
        scene["posted"].append(_challenge(scene, publish=len(scene["posted"]) % 2 == 0))
    while ChallengeAnswer.objects.filter(challenge=target).count() < n:
        organisation = registered_participant(scene["rep"]).organisation
        ChallengeAnswer.objects.create(
            challenge=target, organisation=organisation, submitted_by=scene["rep"],
            title=f"Proposal of {organisation.name}", approach="Sensors", amount="100", months=6,
            status=ChallengeAnswer.Status.SHORTLISTED if organisation.pk % 2 else ChallengeAnswer.Status.SUBMITTED,
        )  # fmt: skip


def _counts(client, scene, target) -> dict:
    pages = {
        "poster": ("/portal/grants/challenges/", f"/portal/grants/challenges/{target.pk}/"),
        "rep": ("/portal/grants/challenges/", f"/portal/grants/challenges/open/{target.pk}/"),
        None: ("/grants/challenges/",),
    }
    counts = {}
    for who, urls in pages.items():
        client.logout()
        if who:
            login_with_2fa(client, scene[who])
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[(who, url)] = len(queries)
    return counts


def test_the_pages_queries_do_not_grow_with_the_rows(client, scene):
    target = _challenge(scene)
    scene["posted"] = [target]
    _grow(scene, target, 2)
    few = _counts(client, scene, target)
    _grow(scene, target, 6)
    many = _counts(client, scene, target)
    assert many == few
    # The rows are there: the pages list them all.
    login_with_2fa(client, scene["rep"])
    assert client.get(f"/portal/grants/challenges/open/{target.pk}/").content.decode().count("<option") == 7
    assert client.get("/portal/grants/challenges/").content.decode().count("Proposal of ") == 6
    client.logout()
    login_with_2fa(client, scene["poster"])
    text = client.get(f"/portal/grants/challenges/{target.pk}/").content.decode()
    assert text.count("Proposal of ") == 6
