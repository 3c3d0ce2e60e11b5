from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    """An app the platform has never heard of: it exists only in the test suite."""

    name = "tests.platform.throwaway_app"
    label = "throwaway"
    verbose_name = "Throw-away app"
    manifest = "tests.platform.throwaway_app.manifest.MANIFEST"
