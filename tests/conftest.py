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
def admin_user(db, django_user_model, django_username_field):
    """pytest-django's admin, holding the fund administrator role: the admin site asks ``can``."""
    from innocluster.core.access.services import grant_role

    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "password")
    grant_role(user=user, role="fund_admin", reason="test administrator")
    return user
