import pytest

from innocluster.registry.services.register import load_reference_data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and generated files go to the test's own folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(policy_loaded):
    """The shipped regions, activities, categories and document kinds."""
    return load_reference_data()


@pytest.fixture
def people(reference_data, people):
    """The shared people (tests/conftest.py), made after the reference data is loaded."""
    return people
