"""The admin site asks :func:`can` too: only fund administrators reach it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .permissions import can


class InnoclusterAdminSite(admin.AdminSite):
    site_header = _("innocluster administration")
    site_title = _("innocluster administration")

    def has_permission(self, request):
        return request.user.is_active and can(request.user, "admin.site").allowed
