"""Read-only admin: the audit log is evidence, so nobody — not even a superuser — edits it here."""

from django.contrib import admin

from .models import AuditEvent, Checkpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "object_repr", "seq"]
    list_filter = ["action", "object_type", ("seq", admin.EmptyFieldListFilter), "occurred_at"]
    search_fields = ["actor_repr", "action", "object_type", "object_id", "object_repr", "reason", "ip"]
    date_hierarchy = "occurred_at"
    list_select_related = False
    show_full_result_count = False  # COUNT(*) over a large log on every page is slow


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["seq", "event_id", "created_at", "mac"]
    date_hierarchy = "created_at"
