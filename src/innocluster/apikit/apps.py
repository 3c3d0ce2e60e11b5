from django.apps import AppConfig


class ApikitConfig(AppConfig):
    name = "innocluster.apikit"
    label = "apikit"
    verbose_name = "API kit"

    def ready(self):
        # permissions declares the gateway action; schema registers the token scheme with
        # drf-spectacular.
        from . import permissions, schema  # noqa: F401
