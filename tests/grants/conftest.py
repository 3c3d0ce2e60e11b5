import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.calendar import ALMATY

# The tests' now is the real clock; windows are set relative to it.
D = Decimal


@pytest.fixture
def people(policy_loaded):
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.accounts import Person, make_people

    load_reference_data()
    return make_people(
        {
            "pm": Person("programme_manager", "pm"),
            "pm2": Person("programme_manager", "pm2"),
            "executive": Person("fund_executive", "director"),
            "auditor": Person("auditor", "auditor"),
            "rep": Person("participant_rep", "rep", enrolled=False),
        }
    )


@pytest.fixture
def programme(people):
    """A grants programme funded from the levy, with 500 million for this year."""
    from django.utils import timezone

    from innocluster.finance.services.budgets import revise_budget
    from innocluster.grants.services.programmes import create_programme

    found = create_programme(
        code="IND",
        kind="grant",
        title_en="Grants for industrial innovation",
        title_ru="Гранты на индустриальные инновации",
        title_kk="Индустриялық инновацияларға гранттар",
        fund_source="levy",
        by=people["pm"],
    )
    revise_budget(found.budget_line, timezone.now().year, "levy", D("500000000.00"), reason="approved budget")
    return found


def window(days_from_now: int = 1, length_days: int = 30):
    """An opening and closing instant at 10:00 Almaty time, ``days_from_now`` days from today."""
    from django.utils import timezone

    today = timezone.now().astimezone(ALMATY).date()
    opens = dt.datetime.combine(today + dt.timedelta(days=days_from_now), dt.time(10, 0), tzinfo=ALMATY)
    return opens, opens + dt.timedelta(days=length_days)


def ready_call(programme, by, *, code: str = "C1", days_from_now: int = -1, **overrides):
    """A draft complete enough to submit: open from yesterday for 30 days, 100 million, three
    criteria summing to 100, two documents."""
    from django.utils import timezone

    from innocluster.grants.services import calls

    opens, closes = window(days_from_now)
    fields = {
        "title_en": "Industrial innovation 2026",
        "title_ru": "Индустриальные инновации 2026",
        "opens_at": opens,
        "closes_at": closes,
        "year": timezone.now().year,
        "budget": D("100000000.00"),
        "max_amount": D("20000000.00"),
        "max_months": 24,
        "cofinancing_share": D("0.2"),
        "eligible_categories": ["company", "science_org"],
        **overrides,
    }
    call = calls.create_call(programme, code=code, by=by, **fields)
    calls.set_documents(
        call,
        [
            {"code": "business_plan", "title_en": "Business plan", "required": True},
            {"code": "letters", "title_en": "Letters of support", "required": False},
        ],
        by=by,
    )
    calls.set_criteria(
        call,
        [
            {"code": "novelty", "title_en": "Novelty", "weight": "40", "scale_max": 10},
            {"code": "market", "title_en": "Market", "weight": "35", "scale_max": 10},
            {"code": "team", "title_en": "Team", "weight": "25", "scale_max": 5},
        ],
        by=by,
    )
    call.refresh_from_db()
    return call
