"""Decisions in the administration site: read-only history; new records go through the service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from innocluster.core.access.permissions import can

from . import services
from .forms import DecisionForm
from .models import Decision, DecisionDocument

ADD_FIELDS = [
    "body", "body_name", "number", "decided_on", "basis", "outcome", "summary", "meeting_reference",
    "decided_by", "corrects",
]  # fmt: skip
VIEW_FIELDS = [
    *ADD_FIELDS, "status", "published_at", "revoked_at", "recorded_by", "recorded_at",
]  # fmt: skip


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Decision.objects.dates("decided_on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(decided_on__year=int(value))
        return queryset


class DecisionDocumentInline(admin.TabularInline):
    model = DecisionDocument
    fields = ["file", "original_name", "size", "sha256", "uploaded_at", "uploaded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # documents are attached through services.attach_document (hashed, audited)

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return can(request.user, "decisions.view").allowed


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["number", "body", "decided_on", "outcome", "status", "recorded_by"]
    list_filter = ["body", "outcome", "status", YearFilter]
    search_fields = ["number", "body_name"]
    list_select_related = ["recorded_by"]
    raw_id_fields = ["decided_by", "corrects"]  # both lists grow long; a select would load them all
    inlines = [DecisionDocumentInline]

    def get_fields(self, request, obj=None):
        return ADD_FIELDS if obj is None else VIEW_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else VIEW_FIELDS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_module_permission(self, request):
        return can(request.user, "decisions.view").allowed

    def has_view_permission(self, request, obj=None):
        return can(request.user, "decisions.view", obj).allowed

    def has_add_permission(self, request):
        return can(request.user, "decisions.record").allowed

    def has_change_permission(self, request, obj=None):
        return False  # a decision is never edited: record a correcting decision

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        decision = services.record_decision(
            **{field: form.cleaned_data.get(field) for field in ADD_FIELDS},
            by=request.user,
            ip=request.META.get("REMOTE_ADDR"),
        )
        obj.pk = decision.pk
        obj.recorded_by, obj.recorded_at = decision.recorded_by, decision.recorded_at
