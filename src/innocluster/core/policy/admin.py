"""Administrators add regimes and dated values; existing values are history and stay read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import ParameterValueForm
from .models import ParameterValue, Regime, RegimePeriod


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "legal_basis"]
    search_fields = ["code", "name_en", "name_ru", "name_kk"]

    def has_change_permission(self, request, obj=None):
        return False  # a regime's identity is history; a new rule set is a new regime

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        regime = services.add_regime(
            code=obj.code,
            name_en=obj.name_en,
            name_ru=obj.name_ru,
            name_kk=obj.name_kk,
            legal_basis=obj.legal_basis,
            legal_basis_ru=obj.legal_basis_ru,
            legal_basis_kk=obj.legal_basis_kk,
            by=request.user,
        )
        obj.pk = regime.pk


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    list_display = ["key", "regime", "valid_from", "kind", "value", "source", "reference"]
    list_filter = ["regime", "source", "kind"]
    search_fields = ["key", "reference"]
    date_hierarchy = "valid_from"
    readonly = [
        "regime", "key", "valid_from", "kind", "value", "reference", "reference_ru", "reference_kk",
        "source", "note", "note_ru", "note_kk", "created_by",
    ]  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ParameterValueForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "regime", "key", "valid_from", "kind", "value_text", "reference", "reference_ru", "reference_kk",
                "source", "note", "note_ru", "note_kk",
            ]  # fmt: skip
        return self.readonly

    def get_readonly_fields(self, request, obj=None):
        return self.readonly if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # values are never edited: add one with a later date

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        row = services.add_value(
            regime=obj.regime,
            key=obj.key,
            valid_from=obj.valid_from,
            kind=obj.kind,
            value=form.cleaned_data["value"],
            reference=obj.reference,
            source=obj.source,
            note=obj.note,
            reference_ru=obj.reference_ru,
            reference_kk=obj.reference_kk,
            note_ru=obj.note_ru,
            note_kk=obj.note_kk,
            by=request.user,
        )
        obj.pk = row.pk


class RegimePeriodForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )

    class Meta:
        model = RegimePeriod
        fields = ["regime", "starts_on", "reference", "reference_ru", "reference_kk", "source"]

    def clean(self):
        """The service's checks (future date, reference, free day) shown on the form's fields."""
        data = super().clean()
        if not self.errors:
            try:
                services.check_schedule(
                    code=data["regime"].code,
                    starts_on=data["starts_on"],
                    reference=data["reference"],
                    reason=data["reason"],
                    source=data["source"],
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(RegimePeriod)
class RegimePeriodAdmin(admin.ModelAdmin):
    """The timeline of regimes: past and current periods are history; an administrator schedules a
    future regime (the day its law comes into force) with a reason, which is audited."""

    form = RegimePeriodForm
    list_display = ["starts_on", "regime", "source", "reference", "created_by"]
    readonly = ["regime", "starts_on", "reference", "reference_ru", "reference_kk", "source", "created_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["regime", "starts_on", "reference", "reference_ru", "reference_kk", "source", "reason"]
        return self.readonly

    def get_readonly_fields(self, request, obj=None):
        return self.readonly if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # cancelling a scheduled regime is a service call with a reason (policy CLI)

    def save_model(self, request, obj, form, change):
        period = services.schedule_regime(
            code=obj.regime.code,
            starts_on=obj.starts_on,
            reference=obj.reference,
            reason=form.cleaned_data["reason"],
            source=obj.source,
            reference_ru=obj.reference_ru,
            reference_kk=obj.reference_kk,
            by=request.user,
        )
        obj.pk = period.pk
