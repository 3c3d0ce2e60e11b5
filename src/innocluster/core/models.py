"""Core tables that belong to no domain: the Government's decrees moving working days, and the
years an administrator has checked for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DecreeOverride(models.Model):
    """What one date *is* by decree: a working day or a day off, whatever the holidays library says.

    A row states the day's status rather than a shift, so a transfer the library already knows
    (2022 and earlier) is never counted twice; the library carries no decrees after 2025, so each
    year's transfers are entered here. Changed only through ``core.services`` (audited).
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"), help_text=_("Ticked: the decree makes this a working day; unticked: a day off.")
    )
    decree = models.CharField(
        _("decree"),
        max_length=500,
        help_text=_(
            "The act that moves the day, e.g. Government decree No. … of … on the transfer of days off."
        ),
    )
    name = models.CharField(
        _("what the day is"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Kurban ait (first day), or: working Saturday for the day off on Friday 3 January."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("decree override of the calendar")
        verbose_name_plural = _("decree overrides of the calendar")

    def __str__(self):
        status = gettext("working day") if self.is_working else gettext("day off")
        return f"{self.date.isoformat()}: {status}"


class CalendarYearCheck(models.Model):
    """An administrator's word that a year's days off are confirmed: the Government's acts moving
    days off in that year were checked and every transfer is entered as a :class:`DecreeOverride`
    (or there is none). Without a row the year counts as not confirmed, and a deadline counted
    across it is shown with a warning (``core.calendar.uncertain_days``). Changed only through
    ``core.services`` (audited)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    decree = models.CharField(
        _("decree reference"),
        max_length=500,
        help_text=_(
            "The act checked, e.g. order of the Minister of Labour No. … of … on the transfer of days "
            "off, or where it was confirmed that there is none."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("checked calendar year")
        verbose_name_plural = _("checked calendar years")

    def __str__(self):
        return str(self.year)
