"""Shared pytest set-up: settings for tests, the browser launch for e2e."""

import pytest


@pytest.fixture(autouse=True)
def _immediate_sealing_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
