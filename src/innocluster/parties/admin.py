"""Read-only admin views of parties: they change through ``parties.services`` (audited), never by
editing rows."""

from django.contrib import admin

from innocluster.core.readonly_admin import ReadOnlyAdmin
from innocluster.parties.models import (
    Activity,
    AuthorityClaim,
    Individual,
    Organisation,
    Region,
    Representative,
)


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["kato", "name_kk", "name_ru", "kind"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["oked", "section", "name_ru"]
    search_fields = ["oked", "name_ru", "name_kk"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["bin", "name_ru", "legal_form", "region", "state_share"]
    list_filter = [
        "region",
        "subsoil_user",
        "sez_participant",
        "resident",
        "investment_priority_project",
        "has_branches",
        "separate_tax_accounting",
    ]
    search_fields = ["bin", "name_ru", "name_kk", "name_en"]
    list_select_related = ["region"]


@admin.register(Individual)
class IndividualAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name"]
    search_fields = ["last_name"]
    exclude = ["iin"]  # personal data: shown on the staff pages that need it, with the read logged


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "user", "role", "active", "added_at"]
    list_filter = ["role", "active"]
    list_select_related = ["organisation", "user"]


@admin.register(AuthorityClaim)
class AuthorityClaimAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "user", "role", "status", "created_at", "decided_at"]
    list_filter = ["status", "role"]
    list_select_related = ["organisation", "user"]
    exclude = ["file"]  # the document is opened from the staff claims page, where reads are checked
