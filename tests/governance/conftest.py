import pytest


@pytest.fixture
def bodies_loaded(policy_loaded):
    """The shipped regimes and the bodies of each, loaded like a deployment does."""
    from innocluster.governance.services.bodies import load_bodies

    return load_bodies()


@pytest.fixture
def committee(bodies_loaded):
    """The Managing Committee of the amended law (astana-hub-2025, from 2025-10-10)."""
    from innocluster.governance.models import Body

    return Body.objects.get(code="managing_committee", regime__code="astana-hub-2025")


@pytest.fixture
def board(bodies_loaded):
    from innocluster.governance.models import Body

    return Body.objects.get(code="board_of_trustees", regime__code="astana-hub-2025")


# --- strategy and KPIs ----------------------------------------------------------------------


def board_decision(
    by, *, number: str = "PS-1", outcome: str = "approved", body: str = "board_of_trustees", on=None
):
    """A decision record of ``body`` (the Board of Trustees by default), as the secretary enters it."""
    import datetime as dt

    from innocluster.core.decisions.services import record_decision

    return record_decision(
        body=body,
        number=number,
        decided_on=on or dt.date(2026, 2, 20),
        basis="Charter of the Fund, item 31: the Board of Trustees approves the development strategy",
        outcome=outcome,
        summary="Development strategy 2025–2029",
        by=by,
    )


def drafted_strategy(
    by, *, metric: str = "registry.participants", first_year: int = 2025, last_year: int = 2029
):
    """A strategy whose first version (a draft) has one goal with one KPI read from ``metric`` and
    a target per year (100 in the first year, +50 each year after)."""
    from innocluster.governance.services import strategy as s

    found = s.create_strategy(
        title_en="Development strategy",
        title_kk="Даму стратегиясы",
        title_ru="Стратегия развития",
        first_year=first_year,
        last_year=last_year,
        by=by,
    )
    version = found.versions.get()
    goal = s.add_goal(version, title_en="Grow the cluster", title_ru="Рост кластера", by=by)
    kpi = s.add_kpi(goal, title_en="Participants in the register", metric=metric, by=by)
    for offset, year in enumerate(range(first_year, last_year + 1)):
        s.set_target(kpi, year=year, value=100 + 50 * offset, by=by)
    return found, version, goal, kpi
