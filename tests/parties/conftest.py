import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to the test's own folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
