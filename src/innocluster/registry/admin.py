"""Read-only admin views of the register: entries change through the registry's services (audited),
never by editing rows."""

from django.contrib import admin

from innocluster.core.readonly_admin import ReadOnlyAdmin
from innocluster.registry.models import Participant, ParticipantCategory, StatusChange


@admin.register(ParticipantCategory)
class ParticipantCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_kk", "name_ru", "kind"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["status", "effective_on", "reason", "decision", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["number", "display_name", "category", "status", "status_since", "region"]
    list_filter = ["status", "category", "region"]
    search_fields = ["number", "display_name", "organisation__bin"]
    list_select_related = ["category", "region"]
    inlines = [StatusChangeInline]
