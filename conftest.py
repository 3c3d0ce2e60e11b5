"""Shared pytest set-up: settings for tests, the browser launch for e2e."""

import pytest


def pytest_configure(config):
    """The shipped calendar corrections are not loaded after migrate/flush in tests: tests expect
    an empty override table and audit log unless they load the file themselves."""
    from django.conf import settings

    settings.CALENDAR_LOAD_ON_MIGRATE = False


@pytest.fixture(autouse=True)
def _immediate_sealing_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        fixtures & {"transactional_db", "live_server"}
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties the database with DELETE on SQLite, which the ledger's
    protection refuses (PostgreSQL's TRUNCATE fires no row triggers): lift it just before the
    flush; the flush's post_migrate signal puts it back (``finance.apps``)."""
    if _transactional(item):
        from django.db import connection

        if connection.vendor == "sqlite":
            from innocluster.finance.protection import uninstall_models

            uninstall_models(connection)
    yield
