"""The declaration reminder: to representatives of holders not yet declared, before the deadline."""

import datetime as dt

import pytest

from innocluster.levy.reminders import declaration_reminders
from innocluster.parties.services.representatives import add_representative
from tests.factories.levy import ContractFactory, declared, subsoil_user

pytestmark = pytest.mark.django_db


def test_representatives_of_undeclared_holders_are_reminded_before_the_deadline(levy_people):
    waiting, done = subsoil_user(), subsoil_user()
    ContractFactory(holders=[(waiting, "1")])
    declared(ContractFactory(holders=[(done, "1")]), 2025)
    add_representative(waiting, user=levy_people["rep"], role="head", by=None)
    add_representative(done, user=levy_people["stranger"], role="head", by=None)
    assert list(declaration_reminders(dt.date(2026, 3, 1))) == []  # more than 14 days before 1 April
    [reminder] = declaration_reminders(dt.date(2026, 3, 20))
    assert reminder.recipient == levy_people["rep"] and reminder.context["deadline"] == dt.date(2026, 4, 1)
    assert reminder.context["days_left"] == 12 and reminder.key == "reminder.deadline"
    assert list(declaration_reminders(dt.date(2026, 4, 2))) == []
