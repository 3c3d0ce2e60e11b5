import pytest


@pytest.fixture
def finance_people(policy_loaded):
    from tests.factories.accounts import Person, make_people

    return make_people(
        {
            "officer": Person("finance_officer", "officer"),
            "chief": Person("chief_accountant", "chief"),
            "admin": "admin",
            "auditor": Person("auditor", "auditor"),
        }
    )
