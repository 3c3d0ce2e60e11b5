"""Admin for the decree overrides (each year an administrator enters the Government's transfers)
and for the checked years (the administrator's word that a year's days off are all entered).

Saves and deletions go through ``core.services`` so that every change is validated and audited.
"""

from datetime import date

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import calendar, services
from .models import CalendarYearCheck, DecreeOverride


@admin.register(DecreeOverride)
class DecreeOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working", "name", "library_says", "decree")
    list_filter = ("is_working",)
    date_hierarchy = "date"  # browse and edit one year at a time
    search_fields = ("decree", "name", "note")
    fields = ("date", "is_working", "name", "decree", "note", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")

    def get_readonly_fields(self, request, obj=None):
        # A row is one date: moving it is a removal plus a new override, each audited on its own.
        return (*self.readonly_fields, "date") if obj else self.readonly_fields

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "l")

    @admin.display(description=_("without the override"))
    def library_says(self, obj):
        """What the holidays library alone says, so redundant or contradicting rows stand out."""
        working, name = calendar.library_day(obj.date)
        return gettext("working day") if working else name or gettext("weekend")

    def save_model(self, request, obj, form, change):
        saved = services.set_decree_override(
            day=obj.date,
            is_working=obj.is_working,
            decree=obj.decree,
            note=obj.note,
            name=obj.name,
            by=request.user,
        )
        obj.pk, obj.created_at, obj.created_by_id = saved.pk, saved.created_at, saved.created_by_id
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.remove_decree_override(
            day=obj.date, by=request.user, reason=gettext("Deleted in the admin site")
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarYearCheck)
class CalendarYearCheckAdmin(admin.ModelAdmin):
    """A year is marked checked once its transfers of days off (and the official Kurban ait date)
    are entered as decree overrides, or it is confirmed that there are none."""

    list_display = ("year", "checked_on", "checked_by", "decree", "estimated_days")
    search_fields = ("decree", "note")
    fields = ("year", "checked_on", "decree", "note", "checked_by")
    readonly_fields = ("checked_by",)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "year") if obj else self.readonly_fields

    def get_changeform_initial_data(self, request):
        return {
            "checked_on": calendar.almaty_date(timezone.now()),
            **super().get_changeform_initial_data(request),
        }

    @admin.display(description=_("estimated holidays still open"))
    def estimated_days(self, obj):
        """The library's estimated dates in the year that no override settles yet: a check does
        not settle them, an override on the official date does."""
        found = calendar.uncertain_days(date(obj.year - 1, 12, 31), date(obj.year, 12, 31))
        days = [item.day for item in found if item.reason == calendar.ESTIMATED_HOLIDAY]
        return ", ".join(date_format(d, "SHORT_DATE_FORMAT") for d in days) or "—"

    def save_model(self, request, obj, form, change):
        saved = services.mark_year_checked(
            year=obj.year, decree=obj.decree, note=obj.note, checked_on=obj.checked_on, by=request.user
        )
        obj.pk, obj.checked_by_id = saved.pk, saved.checked_by_id
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.remove_year_check(
            year=obj.year, by=request.user, reason=gettext("Deleted in the admin site")
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
