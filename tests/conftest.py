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
