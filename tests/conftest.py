import pytest


@pytest.fixture
def policy_loaded(db):
    """The shipped regimes and values, loaded through the service like a deployment does."""
    from innocluster.core.policy.services import load_defaults

    return load_defaults()


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English unless they choose a language; the deployment default stays Kazakh."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def people(request, policy_loaded):
    """The people a test acts as, by name, on the shipped policy: the test module's ``PEOPLE``
    (names from ``tests.factories.accounts.CAST``, or a mapping of names to a ``Person``), the
    registry's usual four by default. A module or folder that needs more setup overrides this
    fixture and asks for it by the same name (``tests/registry/conftest.py`` adds the reference data)."""
    from tests.factories.accounts import DEFAULT_PEOPLE, make_people

    return make_people(getattr(request.module, "PEOPLE", DEFAULT_PEOPLE))


@pytest.fixture
def admin_user(db):
    """pytest-django's admin, holding the fund administrator role and enrolled in 2FA: the admin
    site asks ``can`` and the 2FA middleware checks the session."""
    from tests.factories.accounts import user_with_role

    return user_with_role("fund_admin", "admin", superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    from tests.factories.accounts import login_with_2fa

    login_with_2fa(client, admin_user)
    return client
