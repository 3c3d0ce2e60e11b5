from django.contrib.admin.apps import AdminConfig


class InnoclusterAdminConfig(AdminConfig):
    """Django's admin with our site class (kept apart: app configs load before models)."""

    default_site = "innocluster.core.access.adminsite.InnoclusterAdminSite"
