"""Admin for accounts: every change audited, nothing that reveals a second factor's secret.

allauth registers its Authenticator admin with the raw secret in an editable form; ours shows only
who has which factor and lets an administrator remove a lost one (audited), nothing else. Users are
never deleted (decisions and audit entries point at them): deactivate instead.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event

from .models import Consent

User = get_user_model()

SECRET_FIELDS = {"password"}

for model in (Authenticator, EmailAddress, Group, User):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
# Groups are not used: access follows roles (core.access), granted through an audited service.


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin):
    """Read-only: an address receives password resets, so changing one is the person's own act
    (confirmed by e-mail and audited through allauth's signals), never an edit here."""

    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__username"]
    readonly_fields = ["user", "email", "primary", "verified"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        record_event(
            action="account.mfa.removed_by_admin",
            actor=request.user,
            obj=obj.user,
            changes={"authenticator": [obj.type, None]},
            reason="removed in the administration site (lost device)",
            ip=request.META.get("REMOTE_ADDR"),
        )
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    # Permissions and groups are not how access works here (roles are): keep them out of the form.
    fieldsets = [
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_filter = ["is_active"]

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            record_event(
                action="account.password.set_by_admin",
                actor=request.user,
                obj=user,
                changes={"password": ["(hidden)", "(changed)"]},
                ip=request.META.get("REMOTE_ADDR"),
            )
        return response

    def save_model(self, request, obj, form, change):
        changed = [f for f in form.changed_data if f not in SECRET_FIELDS]
        before = {}
        if change and obj.pk:
            old = User.objects.get(pk=obj.pk)
            before = {f: getattr(old, f, None) for f in changed}
        super().save_model(request, obj, form, change)
        after = {f: getattr(obj, f, None) for f in changed}
        if "password" in form.changed_data or "password1" in form.changed_data:
            after["password"], before["password"] = "(changed)", "(hidden)"
        record_event(
            action="account.changed_by_admin" if change else "account.created_by_admin",
            actor=request.user,
            obj=obj,
            changes={
                k: [str(before.get(k)) if before.get(k) is not None else None, str(v)]
                for k, v in after.items()
            },
            ip=request.META.get("REMOTE_ADDR"),
        )


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "language", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "language"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "purpose", "text", "language", "given_at", "ip", "withdrawn_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
