import datetime as dt

import pytest


@pytest.fixture
def levy_ready(policy_loaded, settings, tmp_path):
    """The shipped rules and reference data, uploads kept in a temporary folder, and today fixed
    inside 2026 (declarations of 2025 are not in the future; the 2026 obligation is assessable)."""
    from unittest import mock

    from innocluster.registry.services.register import load_reference_data

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_reference_data()
    with mock.patch("innocluster.core.policy.values.today", return_value=dt.date(2026, 5, 4)):
        yield


@pytest.fixture
def levy_people(levy_ready):
    from tests.factories.accounts import Person, make_people

    return make_people(
        {
            "officer": Person("finance_officer", "officer"),
            "officer2": Person("finance_officer", "officer2"),
            "chief": Person("chief_accountant", "chief"),
            "rep": Person("subsoil_rep", "rep", enrolled=False),
            "stranger": Person("subsoil_rep", "stranger", enrolled=False),
        }
    )


@pytest.fixture
def one_year_carry_forward(levy_ready):
    """A regime that caps the carry-forward: the shipped rules set none (null), so tests of expiry
    add a dated value of one year, as an administrator of such a regime would."""
    from innocluster.core.policy.models import RegimePeriod
    from innocluster.core.policy.services import add_value

    rows = []
    for period in RegimePeriod.objects.select_related("regime"):  # whichever regime a year falls in
        rows.append(
            add_value(
                regime=period.regime,
                key="levy.carry_forward_years",
                valid_from=max(period.starts_on + dt.timedelta(days=1), dt.date(2015, 1, 1)),
                kind="years",
                value=1,
                reference="test: a regime with a one-year carry-forward",
                source="design",
            )
        )
    return rows
