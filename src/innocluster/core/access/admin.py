from django.contrib import admin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_at", "granted_by", "revoked_at"]
    list_filter = ["role", "revoked_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "role", "granted_at", "granted_by", "revoked_at", "revoked_by", "reason"]

    def has_add_permission(self, request):
        return False  # roles are granted through the service (audited), not by editing rows

    def has_delete_permission(self, request, obj=None):
        return False
