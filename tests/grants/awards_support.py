"""Scenes for the awards stage's tests: an application awaiting the decision with an expedient
opinion, the people who decide, pay and amend, and decision records of either body."""

import datetime as dt
from decimal import Decimal

import pytest

D = Decimal


@pytest.fixture(name="cast")
def cast_fixture(people):
    from tests.factories.accounts import Person, make_people

    more = make_people(
        {
            "finance": Person("finance_officer", "finance"),
            "secretary": Person("corporate_secretary", "corpsec"),
        }
    )
    return {**people, **more}


@pytest.fixture(name="org")
def org_fixture(cast):
    from tests.factories.registry import registered_participant

    return registered_participant(cast["rep"])


REQUESTED = D("15000000.00")
MAXIMUM = D("20000000.00")


def awaiting(programme, cast, org, *, code="C1", requested=REQUESTED, max_amount=MAXIMUM):
    """An application to a new published call, awaiting the decision, found expedient."""
    from tests.factories.grants import application, publish_now
    from tests.grants.conftest import ready_call

    call = publish_now(ready_call(programme, cast["pm"], code=code, max_amount=max_amount), cast["pm2"])
    app = application(
        call, org.organisation, cast["rep"], status="decision", participant=org, requested=requested
    )
    app.opinion = "expedient"
    app.save(update_fields=["opinion"])
    return app


def decision(by, *, body="fund_executive", number="FE-1", outcome="approved", on=None):
    from innocluster.core.decisions.services import record_decision

    return record_decision(
        body=body,
        number=number,
        decided_on=on or dt.date.today(),
        basis="Authority matrix: grants.award",
        outcome=outcome,
        summary="Grant award",
        by=by,
    )


def make_award(programme, cast, org, **kwargs):
    from innocluster.grants.services.awards import award

    app = awaiting(programme, cast, org, **kwargs)
    return award(app, amount=app.requested_amount, decision=decision(cast["executive"]), by=cast["executive"])


def accept_report(award, milestone):
    from innocluster.grants.models import GranteeReport

    return GranteeReport.objects.create(
        award=award, kind="milestone", milestone=milestone, due_on=milestone.due_on, status="accepted"
    )
