"""The bodies and their members in the admin. Bodies are regime data loaded from
``data/bodies.yaml``: shown, never edited by hand here. A membership is added through
``services.members.appoint`` (validated, audited); existing terms are not edited in place."""

from django import forms
from django.contrib import admin

from innocluster.core.readonly_admin import ReadOnlyAdmin
from innocluster.governance.models import Ballot, BallotRound, Body, Meeting, Membership, Resolution
from innocluster.governance.services import members


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["full_name", "position", "organisation", "term_start", "term_end", "user"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name_en",
        "regime",
        "exists_from",
        "exists_until",
        "quorum",
        "majority",
        "source",
    ]
    list_filter = ["regime", "code"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]
    list_select_related = ["regime"]
    inlines = [MembershipInline]


class AppointForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["body", "full_name", "position", "organisation", "term_start", "term_end", "user"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        members.check_appointment(
            data["body"],
            user=data.get("user"),
            full_name=data.get("full_name", ""),
            position=data.get("position", ""),
            start=data.get("term_start"),
            end=data.get("term_end"),
        )
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = AppointForm
    list_display = ["full_name", "body", "position", "organisation", "term_start", "term_end"]
    list_filter = ["body__code", "position"]
    search_fields = ["full_name", "organisation"]
    list_select_related = ["body", "body__regime"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:  # pragma: no cover - change is refused above
            raise PermissionError("terms change through the governance services")
        data = form.cleaned_data
        saved = members.appoint(
            data["body"],
            full_name=data["full_name"],
            position=data["position"],
            organisation=data.get("organisation") or "",
            term_start=data["term_start"],
            term_end=data.get("term_end"),
            user=data.get("user"),
            by=request.user,
            reason="appointed in the admin",
        )
        obj.__dict__.update(saved.__dict__)


# --- meetings: recorded through services.meetings (audited); shown here, never changed ---------


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "body", "starts_at", "kind", "status", "notice_late"]
    list_filter = ["body__code", "status", "kind"]
    list_select_related = ["body"]


@admin.register(BallotRound)
class BallotRoundAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "opened_at",
        "closed_at",
        "outcome",
        "votes_for",
        "votes_against",
        "votes_abstain",
    ]
    list_select_related = ["item__meeting__body"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["round", "membership", "choice", "mode", "cast_by", "cast_at"]
    list_select_related = ["round__item__meeting__body", "membership", "cast_by"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "body", "adopted_on", "status", "published"]
    list_filter = ["body__code", "status", "published"]
    list_select_related = ["body"]
