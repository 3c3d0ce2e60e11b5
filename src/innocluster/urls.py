from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.db import transaction
from django.urls import include, path

from innocluster.core import views as core_views
from innocluster.core.accounts import views as account_views
from innocluster.core.audit import views as audit_views
from innocluster.parties import urls as parties_urls
from innocluster.registry.views import public as registry_views

# The admin signs in through allauth, so its users pass the same 2FA and throttling.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/my-data/", account_views.my_data, name="my_data"),
    # Sign-up writes the user, the consent, the role and the e-mail address: all or nothing.
    path("accounts/signup/", transaction.atomic(allauth_views.signup), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("inbox/", include("innocluster.core.notifications.urls")),
    path("staff/audit/", audit_views.audit_log, name="audit_log"),
    path("staff/decisions/", include("innocluster.core.decisions.urls")),
    path("staff/parties/", include("innocluster.parties.urls")),
    path("staff/registry/", include("innocluster.registry.urls.staff")),
    path("portal/claims/", include(parties_urls.portal)),
    path("portal/", include("innocluster.registry.urls.portal")),
    path("register/", include("innocluster.registry.urls.public")),
    path("verify/<str:number>/", registry_views.verify, name="verify"),
    path("api/v1/", include("innocluster.api.urls")),
    path("admin/", admin.site.urls),
]
