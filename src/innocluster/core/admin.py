"""Admin for the decree overrides: each year an administrator enters the Government's transfers.

Saves and deletions go through ``core.services`` so that every change is validated and audited.
"""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import calendar, services
from .models import DecreeOverride


@admin.register(DecreeOverride)
class DecreeOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working", "library_says", "decree")
    list_filter = ("is_working",)
    date_hierarchy = "date"  # browse and edit one year at a time
    search_fields = ("decree", "note")
    fields = ("date", "is_working", "decree", "note", "created_at", "created_by")
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
            day=obj.date, is_working=obj.is_working, decree=obj.decree, note=obj.note, by=request.user
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
