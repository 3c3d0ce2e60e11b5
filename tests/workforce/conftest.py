import datetime as dt
from unittest import mock

import pytest

TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def workforce_ready(policy_loaded, settings, tmp_path):
    """The shipped rules and reference data, uploads in a temporary folder, today fixed in 2026."""
    from innocluster.registry.services.register import load_reference_data

    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_reference_data()
    with mock.patch("innocluster.core.policy.values.today", return_value=TODAY):
        yield


@pytest.fixture
def people(workforce_ready):
    from tests.factories.accounts import Person, make_people

    return make_people(
        {
            "hr": Person("hr_officer", "hr"),
            "rep": Person("participant_rep", "rep", enrolled=False),
            "other": Person("participant_rep", "other", enrolled=False),
            "auditor": Person("auditor", "auditor"),
            "executive": Person("fund_executive", "director"),
            "registrar": Person("registrar", "reg"),
        }
    )


@pytest.fixture
def employer(people):
    from tests.factories.workforce import participant_employer

    return participant_employer(people["rep"])


@pytest.fixture
def other_employer(people):
    from tests.factories.workforce import participant_employer

    return participant_employer(people["other"])


@pytest.fixture
def fund(people):
    from tests.factories.workforce import fund_organisation

    return fund_organisation()
