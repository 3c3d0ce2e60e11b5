from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "innocluster.seed"
    label = "seed"
    verbose_name = "Demo and benchmark data"
