"""Read-only admin views of the register: entries change through the registry's services (audited),
never by editing rows."""

from django.contrib import admin

from innocluster.registry.models import (
    Activity,
    Individual,
    Organisation,
    Participant,
    ParticipantCategory,
    Region,
    StatusChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["kato", "name_kk", "name_ru", "kind"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["oked", "section", "name_ru"]
    search_fields = ["oked", "name_ru", "name_kk"]


@admin.register(ParticipantCategory)
class ParticipantCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_kk", "name_ru", "kind"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["bin", "name_ru", "legal_form", "region", "state_share"]
    list_filter = ["region", "subsoil_user", "sez_participant", "resident"]
    search_fields = ["bin", "name_ru", "name_kk", "name_en"]
    list_select_related = ["region"]


@admin.register(Individual)
class IndividualAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name"]
    search_fields = ["last_name"]
    exclude = ["iin"]  # personal data: shown on the staff pages that need it, with the read logged


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
