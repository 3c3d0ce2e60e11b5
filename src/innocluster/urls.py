"""The root URLconf: the platform's own routes, then every installed app's mounts from its
manifest (``Manifest.urls``), so no domain module is named here."""

from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.db import transaction
from django.urls import include, path
from django.utils.module_loading import import_string

from innocluster.core.accounts import views as account_views
from innocluster.core.manifest import url_mounts

# The admin signs in through allauth, so its users pass the same 2FA and throttling.
admin.site.login = secure_admin_login(admin.site.login)


def _mounted():
    for _app, mount in url_mounts():
        if mount.view:
            yield path(mount.prefix, import_string(mount.view), name=mount.name or None)
        else:
            yield path(mount.prefix, include(mount.urls))


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/my-data/", account_views.my_data, name="my_data"),
    # Sign-up writes the user, the consent, the role and the e-mail address: all or nothing.
    path("accounts/signup/", transaction.atomic(allauth_views.signup), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    *_mounted(),
    path("api/v1/", include("innocluster.api.urls")),
    path("admin/", admin.site.urls),
]
