import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to the test's own folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(db):
    """The shipped regions and activities (KATO, OKED) that organisations refer to."""
    from innocluster.parties.services.register import load_reference_data

    return load_reference_data()


@pytest.fixture
def people(reference_data, people):
    """The shared people (tests/conftest.py), made after the reference data is loaded."""
    return people
