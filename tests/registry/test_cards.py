"""The dashboard tells each person what the register waits on them for."""

from datetime import date

import pytest

from innocluster.registry.cards import registry_cards as dashboard_cards
from innocluster.registry.services import applications, moderation
from tests.factories.registry import draft_application

pytestmark = pytest.mark.django_db


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("a", "b", "registrar", "commission")


@pytest.fixture
def people(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return people


def titles(cards) -> dict[str, object]:
    return {card.title: card for card in cards}


def test_registrar_sees_the_moderation_queue_with_overdue_ones(people):
    early, late = draft_application(people["a"]), draft_application(people["b"])
    applications.submit(early, by=people["a"], on=date(2026, 3, 19))  # due 31 March
    applications.submit(late, by=people["b"], on=date(2026, 3, 30))  # due 6 April
    card = titles(dashboard_cards(people["registrar"], date(2026, 4, 1)))["Completeness check"]
    assert card.text == "2 applications wait. 1 of them is past its deadline."
    assert card.warn and "overdue=on" in card.url
    assert "Selection commission" not in titles(dashboard_cards(people["registrar"], date(2026, 4, 1)))
    calm = titles(dashboard_cards(people["registrar"], date(2026, 3, 25)))["Completeness check"]
    assert calm.text == "2 applications wait." and not calm.warn


def test_commission_sees_its_queue_and_an_applicant_sees_only_their_own(people):
    mine = draft_application(people["a"])
    applications.submit(mine, by=people["a"], on=date(2026, 3, 19))
    moderation.accept(mine, by=people["registrar"], on=date(2026, 3, 30))
    card = titles(dashboard_cards(people["commission"], date(2026, 4, 1)))["Selection commission"]
    assert card.text == "1 application waits."
    own = titles(dashboard_cards(people["a"], date(2026, 4, 1)))["My application"]
    assert f"No. {mine.pk}" in own.text and "with the selection commission" in own.text
    assert f"/portal/applications/{mine.pk}/" == own.url
    assert "My application" not in titles(dashboard_cards(people["b"], date(2026, 4, 1)))
