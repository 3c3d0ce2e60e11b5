import pytest

from innocluster.registry.services.register import load_reference_data
from tests.factories.accounts import user_with_role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and generated files go to the test's own folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(policy_loaded):
    """An applicant, a stranger to their application, a registrar and a commission member, on the
    shipped policy and reference data. Modules that need other people define their own."""
    load_reference_data()
    return {
        "applicant": user_with_role("participant_rep", "acme", enrolled=False),
        "other": user_with_role("participant_rep", "other", enrolled=False),
        "registrar": user_with_role("registrar", "reg"),
        "commission": user_with_role("commission_member", "com"),
    }
