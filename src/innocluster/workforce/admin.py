"""Read-only admin views of foreign specialists and their requests: they change through the
workforce services (audited), never by editing rows. Personal data is not listed."""

from django.contrib import admin

from innocluster.core.readonly_admin import ReadOnlyAdmin
from innocluster.workforce.models import (
    DocumentKind,
    EngagementRequest,
    Extension,
    Letter,
    RevisionItem,
    Specialist,
)


@admin.register(DocumentKind)
class DocumentKindAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(Specialist)
class SpecialistAdmin(ReadOnlyAdmin):
    list_display = ["surname_latin", "given_names_latin", "citizenship", "employer"]
    list_filter = ["citizenship"]
    search_fields = ["surname_latin", "given_names_latin", "full_name_cyrillic"]
    list_select_related = ["employer"]
    exclude = ["passport_number", "date_of_birth"]


class RevisionItemInline(admin.TabularInline):
    model = RevisionItem
    extra = 0
    can_delete = False
    fields = ["round", "item", "text", "response", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    can_delete = False
    fields = [
        "previous_contract_end",
        "new_contract_end",
        "visa_valid_until",
        "reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class LetterInline(admin.TabularInline):
    model = Letter
    extra = 0
    can_delete = False
    fields = ["kind", "number", "issued_at", "issued_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EngagementRequest)
class EngagementRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "employer", "specialist", "position", "category", "status", "deadline"]
    list_filter = ["status", "category"]
    search_fields = ["position", "specialist__surname_latin", "employer__bin"]
    list_select_related = ["employer", "specialist"]
    inlines = [RevisionItemInline, ExtensionInline, LetterInline]
